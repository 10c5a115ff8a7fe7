/**
 * The Log suite on KafkaLog, against Tributary's own Kafka listener in a second process (one worker
 * for the file; each test starts from a cluster with its topics and groups deleted).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KafkaLog } from '../../../core/kafka/kafka-log.ts'
import { freePort } from '../../support/free-port.ts'
import { runGroupConsumerSuite } from '../../support/group-consumer-suite.ts'
import { runLogSuite, type LogUnderTest } from '../../support/log-suite.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { spawnWorker, type WorkerProcess } from '../../support/worker-process.ts'

let worker: WorkerProcess
let dirs: Array<{ path: string; remove: () => Promise<void> }> = []

beforeAll(async () => {
  dirs = [await makeTempDir(), await makeTempDir()]
  worker = await spawnWorker(dirs[0]!.path, dirs[1]!.path, { TRIBUTARY_KAFKA_PORT: String(await freePort()) })
})
afterAll(async () => {
  worker?.child.kill('SIGKILL')
  await worker?.exited
  await Promise.all(dirs.map((dir) => dir.remove()))
})

const connect = () => KafkaLog.connect({ brokers: [worker.kafkaAddress!] })

/** A connected log on an empty cluster. */
async function freshLog(): Promise<KafkaLog> {
  const log = await connect()
  for (const topic of await log.listTopics()) await log.deleteTopic(topic)
  for (const { groupId } of await log.listGroups()) await log.deleteGroup(groupId)
  return log
}

/** A fresh log that reopens as a new connection to the same cluster. */
async function kafkaLogUnderTest(): Promise<LogUnderTest> {
  let current = await freshLog()
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

runLogSuite('KafkaLog', kafkaLogUnderTest)

const groupTimings = { heartbeatIntervalMs: 100, sessionTimeoutMs: 6_000, rebalanceTimeoutMs: 10_000 }
runGroupConsumerSuite('KafkaLog', async () => ({ ...(await kafkaLogUnderTest()), heartbeat: () => sleep(groupTimings.heartbeatIntervalMs * 4) }), groupTimings)

describe('KafkaLog against a Kafka listener', () => {
  it('maps topic config to Kafka config entries and back', async () => {
    const log = await freshLog()
    try {
      // fsync is Kafka's flush.messages=1; the listener reports durability itself.
      const created = await log.createTopic('configured', { partitions: 2, 'cleanup.policy': 'compact', 'retention.ms': '60000', durability: 'fsync' })
      expect(created.config).toMatchObject({ partitions: 2, 'cleanup.policy': 'compact', 'retention.ms': 60_000, 'flush.messages': 1, durability: 'fsync' })
      await expect(log.createTopic('bad', { 'retention.mss': 5 } as never)).rejects.toMatchObject({ code: 'TRB_CONFIG_INVALID' })
    } finally {
      await log.close()
    }
  })

  it('appends to partitions another client added since this log last looked', async () => {
    const log = await freshLog()
    const other = await connect()
    try {
      await log.createTopic('grown')
      await log.append('grown', [{ key: null, value: Buffer.from('before') }])
      await other.createPartitions('grown', 3)
      expect(await log.append('grown', [{ key: null, value: Buffer.from('after'), partition: 2 }])).toEqual([{ partition: 2, offset: 0 }])
      expect((await other.read('grown', 2, 0)).records.map((r) => r.value?.toString())).toEqual(['after'])
    } finally {
      await other.close()
      await log.close()
    }
  })

  it('lists, describes, alters and deletes consumer groups', async () => {
    const log = await freshLog()
    try {
      await log.createTopic('events', { partitions: 2 })
      await log.append('events', [0, 1, 2, 3, 4].map((i) => ({ key: null, value: Buffer.from(`e${i}`), partition: 0 })))
      await log.alterGroupOffsets('sink', [{ topic: 'events', partition: 0, offset: 2 }, { topic: 'events', partition: 1, offset: 0 }])
      expect(await log.listGroups()).toEqual([{ groupId: 'sink', state: 'Empty', members: 0 }])
      expect(await log.describeGroup('sink')).toMatchObject({
        groupId: 'sink', state: 'Empty', members: 0, memberships: [],
        offsets: [{ topic: 'events', partition: 0, offset: 2, logEndOffset: 5, lag: 3 }, { topic: 'events', partition: 1, offset: 0, logEndOffset: 0, lag: 0 }],
      })
      await expect(log.alterGroupOffsets('sink', [{ topic: 'events', partition: 0, offset: null }])).rejects.toMatchObject({ code: 'TRB_PROTOCOL_UNSUPPORTED' })
      await log.deleteGroup('sink')
      expect(await log.listGroups()).toEqual([])
      await expect(log.deleteGroup('sink')).rejects.toMatchObject({ code: 'TRB_GROUP_NOT_FOUND' })
      await expect(log.describeGroup('nobody')).rejects.toMatchObject({ code: 'TRB_GROUP_NOT_FOUND' })
    } finally {
      await log.close()
    }
  })

  it('refuses work once closed and says when the cluster cannot be reached', async () => {
    const log = await connect()
    await log.close()
    await expect(log.listTopics()).rejects.toMatchObject({ code: 'TRB_LOG_CLOSED' })
    await expect(KafkaLog.connect({ brokers: [`127.0.0.1:${await freePort()}`], retry: { retries: 1, initialRetryTime: 50 } })).rejects.toMatchObject({ code: 'TRB_LOG_UNAVAILABLE' })
  })
})
