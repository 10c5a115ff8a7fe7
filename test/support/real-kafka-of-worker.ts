/**
 * The real Kafka cluster of this test worker (test/support/real-kafka-global-setup.ts starts one
 * per worker), emptied of its topics and groups so a test starts on a clean cluster as it would on
 * a cluster of its own. One harness at a time holds it: a test that opens a second harness while
 * the first runs gets undefined (the harness then takes the embedded log), since two workers on
 * one set of internal topics would run each other's connectors. `stop()` lets it go; stopping the
 * cluster is the global setup's job.
 */
import { inject } from 'vitest'
import { KafkaLog } from '../../core/kafka/kafka-log.ts'
import { emptyCluster } from './kafka-log-under-test.ts'

let held = false

export async function emptiedRealKafka(): Promise<{ brokers: string[]; stop: () => Promise<void> } | undefined> {
  if (held) return undefined
  const clusters = inject('realKafkaBrokers')
  if (!clusters || clusters.length === 0) throw new Error('no real Kafka cluster: run this test in the vitest project real-kafka, whose globalSetup starts one')
  const pool = Number(process.env.VITEST_POOL_ID ?? 1)
  const brokers = clusters[(pool - 1) % clusters.length]!
  held = true
  try {
    const log = await KafkaLog.connect({ brokers, clientId: 'test-cleaner' })
    try {
      await emptyCluster(log)
    } finally {
      await log.close()
    }
  } catch (error) {
    held = false
    throw error
  }
  return { brokers, stop: async () => { held = false } }
}
