/**
 * Distributed mode (test/support/distributed-workers-suite.ts) on a Kafka cluster played by a
 * fourth Tributary's listener; test/integration/kafka/real-kafka-workers.test.ts runs the same
 * suite on real Apache Kafka.
 */
import { afterAll, beforeAll } from 'vitest'
import { runDistributedWorkersSuite } from '../../support/distributed-workers-suite.ts'
import { startKafkaCluster, type KafkaCluster } from '../../support/kafka-cluster.ts'

let cluster: KafkaCluster

beforeAll(async () => {
  cluster = await startKafkaCluster()
}, 60_000)

afterAll(async () => {
  await cluster?.stop()
})

runDistributedWorkersSuite('Tributary as the cluster', () => ({
  clientEnv: cluster.clientEnv,
  sessionTimeoutMs: 3_000,
  async values(topic) {
    const response = await fetch(`${cluster.worker.url}/topics/${topic}/records?partition=0&offset=0&limit=10000&wait_ms=200`)
    if (!response.ok) return []
    return ((await response.json()) as { records: Array<{ value: string }> }).records.map((r) => r.value)
  },
}))
