/**
 * The Log suite on KafkaLog, against Tributary's own Kafka listener in a second process (one worker
 * for the file; each test starts from a cluster with its topics and groups deleted).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Kafka, logLevel, PartitionAssigners, type PartitionAssigner } from 'kafkajs'
import { KafkaLog } from '../../../core/kafka/kafka-log.ts'
import { freePort } from '../../support/free-port.ts'
import { range, runGroupConsumerSuite, values } from '../../support/group-consumer-suite.ts'
import { freshKafkaLog, kafkaLogUnderTest } from '../../support/kafka-log-under-test.ts'
import { runLogSuite } from '../../support/log-suite.ts'
import { runTransactionSuite } from '../../support/transaction-suite.ts'
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

const freshLog = () => freshKafkaLog([worker.kafkaAddress!])

runLogSuite('KafkaLog', () => kafkaLogUnderTest([worker.kafkaAddress!]))
runTransactionSuite('KafkaLog', () => kafkaLogUnderTest([worker.kafkaAddress!]))

const groupTimings = { heartbeatIntervalMs: 100, sessionTimeoutMs: 6_000, rebalanceTimeoutMs: 10_000 }
runGroupConsumerSuite(
  'KafkaLog',
  async () => ({ ...(await kafkaLogUnderTest([worker.kafkaAddress!])), heartbeat: () => sleep(groupTimings.heartbeatIntervalMs * 4) }),
  groupTimings,
)

describe('KafkaLog against a Kafka listener', () => {
  it('maps topic config to Kafka config entries and back', async () => {
    const log = await freshLog()
    try {
      // fsync is Kafka's flush.messages=1; the listener reports durability itself.
      const created = await log.createTopic('configured', {
        partitions: 2,
        'cleanup.policy': 'compact',
        'retention.ms': '60000',
        durability: 'fsync',
      })
      expect(created.config).toMatchObject({
        partitions: 2,
        'cleanup.policy': 'compact',
        'retention.ms': 60_000,
        'flush.messages': 1,
        durability: 'fsync',
      })
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
      await log.append(
        'events',
        [0, 1, 2, 3, 4].map((i) => ({ key: null, value: Buffer.from(`e${i}`), partition: 0 })),
      )
      await log.alterGroupOffsets('sink', [
        { topic: 'events', partition: 0, offset: 2 },
        { topic: 'events', partition: 1, offset: 0 },
      ])
      expect(await log.listGroups()).toEqual([{ groupId: 'sink', state: 'Empty', members: 0 }])
      expect(await log.describeGroup('sink')).toMatchObject({
        groupId: 'sink',
        state: 'Empty',
        members: 0,
        memberships: [],
        offsets: [
          { topic: 'events', partition: 0, offset: 2, logEndOffset: 5, lag: 3 },
          { topic: 'events', partition: 1, offset: 0, logEndOffset: 0, lag: 0 },
        ],
      })
      await expect(log.alterGroupOffsets('sink', [{ topic: 'events', partition: 0, offset: null }])).rejects.toMatchObject({
        code: 'TRB_PROTOCOL_UNSUPPORTED',
      })
      await log.deleteGroup('sink')
      expect(await log.listGroups()).toEqual([])
      await expect(log.deleteGroup('sink')).rejects.toMatchObject({ code: 'TRB_GROUP_NOT_FOUND' })
      await expect(log.describeGroup('nobody')).rejects.toMatchObject({ code: 'TRB_GROUP_NOT_FOUND' })
    } finally {
      await log.close()
    }
  })

  it('shares a group and its committed offsets with a kafkajs consumer', async () => {
    const log = await freshLog()
    const kafka = new Kafka({ brokers: [worker.kafkaAddress!], clientId: 'kafkajs-member', logLevel: logLevel.NOTHING })
    // kafkajs's round robin under the name the Log's members offer, so the group has a common protocol.
    const roundRobin: PartitionAssigner = (config) => ({ ...PartitionAssigners.roundRobin(config), name: 'roundrobin' })
    const kafkajsSeen: string[] = []
    const consumer = kafka.consumer({ groupId: 'mixed', partitionAssigners: [roundRobin], heartbeatInterval: 100, maxWaitTimeInMs: 100 })
    try {
      await log.createTopic('mixed', { partitions: 2 })
      await log.append(
        'mixed',
        Array.from({ length: 20 }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`), partition: i % 2 })),
      )
      const member = await log.subscribe({ groupId: 'mixed', topics: ['mixed'], assignor: 'roundrobin', ...groupTimings })
      await consumer.connect()
      await consumer.subscribe({ topic: 'mixed', fromBeginning: true })
      const running = consumer.run({
        autoCommit: false,
        eachMessage: async ({ message }) => {
          kafkajsSeen.push(message.value!.toString())
        },
      })
      // Both members at once: once kafkajs's join started a rebalance and the member heard of it by
      // heartbeat, each takes one partition, and together they read everything once.
      const deadline = Date.now() + 15_000
      while ((await log.describeGroup('mixed')).state !== 'PreparingRebalance' && Date.now() < deadline) await sleep(50)
      await sleep(groupTimings.heartbeatIntervalMs * 4)
      const memberSeen: string[] = []
      while (memberSeen.length + kafkajsSeen.length < 20 && Date.now() < deadline)
        memberSeen.push(...values(await member.poll({ maxWaitMs: 100 })))
      await running
      expect(member.assignment()).toHaveLength(1)
      expect([...memberSeen, ...kafkajsSeen].sort()).toEqual(range(0, 20))
      const mine = member.assignment()[0]!.partition
      await member.commit([{ topic: 'mixed', partition: mine, offset: 7 }])
      await consumer.commitOffsets([{ topic: 'mixed', partition: 1 - mine, offset: '4' }])
      await consumer.disconnect()
      await member.close()
      // A new member resumes from both commits, the Log member's and kafkajs's.
      const again = await log.subscribe({ groupId: 'mixed', topics: ['mixed'], ...groupTimings })
      expect(again.position('mixed', mine)).toBe(7)
      expect(again.position('mixed', 1 - mine)).toBe(4)
      await again.close()
      expect((await log.describeGroup('mixed')).offsets.map((o) => [o.partition, o.offset]).sort()).toEqual(
        [
          [mine, 7],
          [1 - mine, 4],
        ].sort(),
      )
    } finally {
      await consumer.disconnect().catch(() => undefined)
      await log.close()
    }
  })

  it('heartbeats while a poll waits at the end of the log, so the member keeps its place', async () => {
    const log = await freshLog()
    try {
      await log.createTopic('quiet')
      const member = await log.subscribe({
        groupId: 'patient',
        topics: ['quiet'],
        heartbeatIntervalMs: 100,
        sessionTimeoutMs: 500,
        rebalanceTimeoutMs: 2_000,
      })
      expect(await member.poll({ maxWaitMs: 2_000 })).toEqual([])
      expect(await log.describeGroup('patient')).toMatchObject({ state: 'Stable', members: 1 })
      await member.commit([{ topic: 'quiet', partition: 0, offset: 0 }])
      await member.close()
    } finally {
      await log.close()
    }
  })

  it('refuses static membership, which kafkajs cannot send', async () => {
    const log = await freshLog()
    try {
      await log.createTopic('t')
      await expect(log.subscribe({ groupId: 'g', topics: ['t'], groupInstanceId: 'one' })).rejects.toMatchObject({
        code: 'TRB_PROTOCOL_UNSUPPORTED',
      })
    } finally {
      await log.close()
    }
  })

  it('refuses work once closed and says when the cluster cannot be reached', async () => {
    const log = await connect()
    await log.close()
    await expect(log.listTopics()).rejects.toMatchObject({ code: 'TRB_LOG_CLOSED' })
    await expect(
      KafkaLog.connect({ brokers: [`127.0.0.1:${await freePort()}`], retry: { retries: 1, initialRetryTime: 50 } }),
    ).rejects.toMatchObject({ code: 'TRB_LOG_UNAVAILABLE' })
  })
})
