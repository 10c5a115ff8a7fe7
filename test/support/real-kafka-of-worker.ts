/**
 * The real Kafka cluster of this test worker (test/support/real-kafka-global-setup.ts starts one
 * per worker), emptied of its topics and groups so a test starts on a clean cluster as it would on
 * a cluster of its own. One harness at a time holds it: a test that opens a second harness while
 * the first runs gets undefined (the harness then takes the embedded log), since two workers on
 * one set of internal topics would run each other's connectors. `stop()` lets it go; stopping the
 * cluster is the global setup's job.
 */
import { inject } from 'vitest'
import { isTributaryError } from '../../core/errors.ts'
import { KafkaLog } from '../../core/kafka/kafka-log.ts'

/** Kafka's default group.max.session.timeout.ms bounds how long a member that never left stays. */
const MEMBER_GONE_MS = 60_000

/** Deletes the group, waiting while a member of an earlier test has yet to leave or time out. */
async function deleteGroup(log: KafkaLog, groupId: string): Promise<void> {
  const deadline = Date.now() + MEMBER_GONE_MS
  for (;;) {
    try {
      return await log.deleteGroup(groupId)
    } catch (error) {
      if (isTributaryError(error, 'TRB_GROUP_NOT_FOUND')) return
      if (!isTributaryError(error, 'TRB_GROUP_NOT_EMPTY') || Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
}

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
      for (const { groupId } of await log.listGroups()) await deleteGroup(log, groupId)
      for (const topic of await log.listTopics()) await log.deleteTopic(topic)
    } finally {
      await log.close()
    }
  } catch (error) {
    held = false
    throw error
  }
  return { brokers, stop: async () => { held = false } }
}
