/**
 * vitest globalSetup of the `on-kafka` project: a Kafka cluster per test worker, started when that
 * worker first asks for it, of the kind test/support/kafka-cluster.ts makes (a Tributary worker in a
 * second process whose listener plays the cluster, with a SASL/PLAIN super user). One start takes
 * about 2 s; once per worker instead of once per test keeps the project's time on its tests.
 */
import type { TestProject } from 'vitest/node'
import { serveClusterPerWorker } from './cluster-per-worker-service.ts'
import { startKafkaCluster } from './kafka-cluster.ts'

const STDERR_TAIL = 4_000

export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return serveClusterPerWorker(project, async () => {
    const cluster = await startKafkaCluster()
    const { child } = cluster.worker
    return {
      brokers: cluster.brokers,
      sasl: cluster.sasl,
      failure: () =>
        child.exitCode === null && child.signalCode === null
          ? undefined
          : `the worker playing this test worker's cluster exited (${child.exitCode ?? child.signalCode}); its stderr ends:\n${cluster.worker.stderr().slice(-STDERR_TAIL)}`,
      stop: () => cluster.stop(),
    }
  })
}
