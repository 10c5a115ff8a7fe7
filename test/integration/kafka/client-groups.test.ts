/**
 * Unmodified Kafka clients in consumer groups against the listener: kafkajs, kcat (librdkafka's
 * balanced consumer) and kafka-python each read a topic in a group and commit, and a group that one
 * client leaves is picked up by another where the first committed, as the in-process log sees it too.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Kafka, logLevel, type Consumer } from 'kafkajs'
import { KafkaListener } from '../../../core/kafka/server/listener.ts'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { byPosition, kcatGroupConsume, pythonGroupConsume, type ClientRecord } from '../../support/kafka-clients.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

let dir: Awaited<ReturnType<typeof makeTempDir>>
let log: EmbeddedLog
let listener: KafkaListener
let bootstrap: string
const RECORDS = 30

beforeAll(async () => {
  dir = await makeTempDir()
  log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
  listener = await KafkaListener.start({ log, port: 0 })
  bootstrap = `127.0.0.1:${listener.port}`
  await log.createTopic('orders', { partitions: 3 })
  await log.append(
    'orders',
    Array.from({ length: RECORDS }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`order ${i}`) })),
  )
})
afterAll(async () => {
  await listener?.close()
  await log?.close()
  await dir?.remove()
})

const values = (records: readonly ClientRecord[]) => records.map((r) => r.value).sort()
const everyValue = Array.from({ length: RECORDS }, (_, i) => `order ${i}`).sort()

/** Committed offsets of a group, summed over partitions: the records it has consumed. */
async function committedCount(groupId: string): Promise<number> {
  const group = await log.describeGroup(groupId)
  return group.offsets.reduce((sum, o) => sum + o.offset, 0)
}

async function kafkajsGroupConsume(groupId: string, count: number): Promise<ClientRecord[]> {
  const kafka = new Kafka({ clientId: 'kafkajs-group', brokers: [bootstrap], logLevel: logLevel.NOTHING })
  const consumer = kafka.consumer({ groupId })
  await consumer.connect()
  await consumer.subscribe({ topic: 'orders', fromBeginning: true })
  const seen: ClientRecord[] = []
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ partition, message }) => {
          seen.push({
            partition,
            offset: Number(message.offset),
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? null,
            headers: {},
          })
          if (seen.length >= count) resolve()
        },
      })
      .catch(reject)
  })
  await consumer.disconnect()
  return seen
}

it('kafkajs, kcat and kafka-python each read a topic in a group and commit where they stopped', async () => {
  expect(values(await kafkajsGroupConsume('by-kafkajs', RECORDS))).toEqual(everyValue)
  expect(values(await kcatGroupConsume(bootstrap, 'orders', 'by-kcat', RECORDS))).toEqual(everyValue)
  expect(values(await pythonGroupConsume(bootstrap, 'orders', 'by-python', RECORDS))).toEqual(everyValue)
  for (const group of ['by-kafkajs', 'by-kcat', 'by-python']) expect(await committedCount(group)).toBe(RECORDS)
})

it('a group one client left is resumed by another from its committed offsets', async () => {
  const first = await pythonGroupConsume(bootstrap, 'orders', 'handed-over', 10)
  expect(await committedCount('handed-over')).toBe(10)
  const rest = await kcatGroupConsume(bootstrap, 'orders', 'handed-over', RECORDS - 10)
  expect(values([...first, ...rest])).toEqual(everyValue)
  expect(byPosition(rest).some((r) => first.some((f) => f.partition === r.partition && f.offset === r.offset))).toBe(false)
})

it('a second kafkajs consumer joining the group takes part of the partitions from the first', async () => {
  const kafka = new Kafka({ clientId: 'kafkajs-pair', brokers: [bootstrap], logLevel: logLevel.NOTHING })
  const latest = new Map<Consumer, number[]>()
  let onJoin = (): void => undefined
  const start = async (): Promise<Consumer> => {
    // kafkajs heartbeats between fetches: short fetch waits let it hear of the rebalance at once.
    const consumer = kafka.consumer({ groupId: 'pair', heartbeatInterval: 100, maxWaitTimeInMs: 100 })
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      latest.set(consumer, [...(event.payload.memberAssignment.orders ?? [])].sort())
      onJoin()
    })
    await consumer.connect()
    await consumer.subscribe({ topic: 'orders', fromBeginning: true })
    await consumer.run({ eachMessage: async () => undefined })
    return consumer
  }
  /** Resolves once the members' latest assignments are `count` and split the three partitions between them. */
  const split = (count: number) =>
    new Promise<void>((resolve) => {
      onJoin = () => {
        const held = [...latest.values()]
        if (held.length === count && held.every((p) => p.length > 0) && held.flat().sort().join() === '0,1,2') resolve()
      }
      onJoin()
    })
  const a = await start()
  await split(1)
  const b = await start()
  await split(2)
  expect([...latest.values()].map((p) => p.length).sort()).toEqual([1, 2])
  const described = await log.describeGroup('pair')
  expect(described).toMatchObject({ state: 'Stable', members: 2 })
  await Promise.all([a.disconnect(), b.disconnect()])
})

it('kafkajs admin lists and describes the groups, reads what they committed and deletes one', async () => {
  const admin = new Kafka({ clientId: 'kafkajs-admin', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin()
  await admin.connect()
  try {
    const { groups } = await admin.listGroups()
    expect(groups.map((g) => g.groupId)).toEqual(expect.arrayContaining(['by-kafkajs', 'by-kcat', 'by-python']))
    const described = await admin.describeGroups(['by-kcat'])
    expect(described.groups[0]).toMatchObject({ groupId: 'by-kcat', state: 'Empty', members: [] })
    const committed = await admin.fetchOffsets({ groupId: 'by-python', topics: ['orders'] })
    expect(committed[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0)).toBe(RECORDS)
    await admin.deleteGroups(['by-python'])
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain('by-python')
  } finally {
    await admin.disconnect()
  }
})
