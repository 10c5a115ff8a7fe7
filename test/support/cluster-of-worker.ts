/**
 * The Kafka cluster of this test worker in the projects on-kafka and real-kafka (their globalSetup
 * serves one per worker: test/support/cluster-per-worker-service.ts), emptied of its topics and
 * groups so a test starts on a clean cluster as it would on a cluster of its own. On a cluster of
 * several brokers the emptying ends once every broker has applied it: a KRaft controller answers
 * DeleteTopics before the brokers do, and a client that meets one broker still listing a deleted
 * topic and another not (kafkajs's metadata then reads null) fails at its first call.
 * One user at a time holds the cluster: while it is held, `emptiedClusterOfWorker()` answers
 * undefined and the caller takes another log (a cluster of its own, or the embedded one), since two
 * workers on one set of internal topics would run each other's connectors. `stop()` lets it go;
 * stopping the cluster is the global setup's job.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { inject } from 'vitest'
import { KafkaLog } from '../../core/kafka/kafka-log.ts'
import type { ClusterAddress } from './cluster-per-worker-service.ts'
import { emptyCluster } from './kafka-log-under-test.ts'
import { wireApis } from './kafka-wire-apis.ts'
import { KafkaWireClient } from './kafka-wire-client.ts'

/** How long the brokers may take to apply the deletions. */
const DELETIONS_HEARD_MS = 15_000

/** The names of the topics a broker lists (Metadata for all topics). */
async function topicsOf(broker: string): Promise<string[]> {
  const [host, port] = broker.split(':') as [string, string]
  const client = await KafkaWireClient.connect(Number(port), 'test-cleaner', host)
  try {
    const response = await client.request(wireApis.metadata, 12, {
      topics: null,
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    })
    return response.topics.flatMap((topic) => (topic.name === null ? [] : [topic.name]))
  } finally {
    client.close()
  }
}

/** Waits until no broker lists any of the topics. */
async function untilEveryBrokerDropped(brokers: readonly string[], topics: readonly string[]): Promise<void> {
  const deadline = Date.now() + DELETIONS_HEARD_MS
  for (;;) {
    const listed = (await Promise.all(brokers.map(topicsOf))).flat().filter((topic) => topics.includes(topic))
    if (listed.length === 0) return
    if (Date.now() > deadline)
      throw new Error(`brokers still list deleted topics after ${DELETIONS_HEARD_MS} ms: ${[...new Set(listed)].join(', ')}`)
    await sleep(50)
  }
}

let held = false

/** True in a project whose globalSetup serves a cluster per test worker. */
export function servesClusterOfWorker(): boolean {
  return inject('clusterService') !== undefined
}

/** This worker's cluster as it is (started by the service on the first call). */
export async function clusterOfWorker(): Promise<ClusterAddress> {
  const service = inject('clusterService')
  if (service === undefined)
    throw new Error(
      'no cluster of this test worker: run the test in the vitest project on-kafka or real-kafka, whose globalSetup serves one',
    )
  const response = await fetch(`${service}/${process.pid}`)
  if (!response.ok) throw new Error(`no cluster for this test worker: ${await response.text()}`)
  return (await response.json()) as ClusterAddress
}

export async function emptiedClusterOfWorker(): Promise<(ClusterAddress & { stop: () => Promise<void> }) | undefined> {
  if (held) return undefined
  held = true
  try {
    const cluster = await clusterOfWorker()
    const log = await KafkaLog.connect({ brokers: cluster.brokers, ...(cluster.sasl && { sasl: cluster.sasl }), clientId: 'test-cleaner' })
    let deleted: string[]
    try {
      deleted = await emptyCluster(log)
    } finally {
      await log.close()
    }
    // One broker (Tributary's listener) cannot disagree with itself; it also wants SASL first.
    if (cluster.brokers.length > 1) await untilEveryBrokerDropped(cluster.brokers, deleted)
    return {
      ...cluster,
      stop: async () => {
        held = false
      },
    }
  } catch (error) {
    held = false
    throw error
  }
}
