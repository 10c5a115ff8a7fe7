/**
 * KafkaLog as the Log suite and the group member suite take it, on any cluster (Tributary's listener
 * in a second process, or a real Kafka cluster): each test starts from a cluster emptied of its
 * topics and groups, and reopening is a new connection to the same cluster.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { isTributaryError } from '../../core/errors.ts'
import { KafkaLog } from '../../core/kafka/kafka-log.ts'
import type { LogUnderTest } from './log-suite.ts'

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
      await sleep(250)
    }
  }
}

/** Deletes every group and topic of the cluster the log is connected to; resolves with the topics. */
export async function emptyCluster(log: KafkaLog): Promise<string[]> {
  for (const { groupId } of await log.listGroups()) await deleteGroup(log, groupId)
  const topics = await log.listTopics()
  for (const topic of topics) {
    try {
      await log.deleteTopic(topic)
    } catch (error) {
      // Listed a moment ago, gone now: a deletion the cluster was still finishing.
      if (!isTributaryError(error, 'TRB_TOPIC_NOT_FOUND')) throw error
    }
  }
  return topics
}

/** A KafkaLog connected to an emptied cluster. */
export async function freshKafkaLog(brokers: readonly string[]): Promise<KafkaLog> {
  const log = await KafkaLog.connect({ brokers: [...brokers] })
  await emptyCluster(log)
  return log
}

/** A KafkaLog on an emptied cluster, for runLogSuite and runGroupConsumerSuite. */
export async function kafkaLogUnderTest(brokers: readonly string[]): Promise<LogUnderTest> {
  const connect = () => KafkaLog.connect({ brokers: [...brokers] })
  let current = await freshKafkaLog(brokers)
  return {
    log: current,
    async reopen() {
      await current.close()
      current = await connect()
      return current
    },
    cleanup: async () => current.close(),
  }
}
