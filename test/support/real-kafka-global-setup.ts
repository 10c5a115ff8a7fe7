/**
 * vitest globalSetup of the `real-kafka` project: a real one-node Kafka cluster per test worker
 * (test/support/real-kafka.ts), started when that worker first asks for it (each takes about 15 s).
 * A worker runs its files one at a time, so a test may empty its worker's cluster at start; two
 * workers never share a cluster. One node is enough: replication and failover are the business of
 * real-kafka-log and real-kafka-workers, which start clusters of three.
 */
import type { TestProject } from 'vitest/node'
import { serveClusterPerWorker } from './cluster-per-worker-service.ts'
import { startRealKafka } from './real-kafka.ts'

const NODES = 1

export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return serveClusterPerWorker(project, async () => {
    const cluster = await startRealKafka({ brokers: NODES })
    return {
      brokers: cluster.brokers,
      failure: () => {
        const down = cluster.brokers.findIndex((_, i) => cluster.pid(i) === undefined)
        return down < 0 ? undefined : `Kafka node ${down + 1} of this test worker's cluster (${cluster.brokers.join(',')}) is down`
      },
      stop: () => cluster.stop(),
    }
  })
}
