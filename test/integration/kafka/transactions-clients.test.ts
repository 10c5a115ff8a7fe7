/**
 * Transactions through unmodified clients: kafkajs' transactional producer commits, aborts, sends
 * a group's offsets in a transaction and is fenced by a second producer of the same transactional
 * id, and finds its transaction aborted once its transaction timeout passed; kcat (librdkafka)
 * produces in a transaction with -X transactional.id. Readers at read_committed (kafkajs'
 * default, kcat's -X isolation.level) see committed records only.
 */
import { once } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Kafka, logLevel } from 'kafkajs'
import { kcatConsume, kcatProduce } from '../../support/kafka-clients.ts'
import { startEmbeddedKafka, type EmbeddedKafka } from '../../support/embedded-kafka.ts'

let kafka: EmbeddedKafka
let client: Kafka
let bootstrap: string

beforeAll(async () => {
  kafka = await startEmbeddedKafka()
  bootstrap = `127.0.0.1:${kafka.port}`
  client = new Kafka({ clientId: 'txn-test', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3 } })
})

afterAll(async () => {
  await kafka?.stop()
})

/** Every value of the topic's partition 0 that a reader at `isolation` sees, read up to the end. */
async function readValues(topic: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<string[]> {
  const values: string[] = []
  for (let offset = 0; ; ) {
    const read = await kafka.log.read(topic, 0, offset, { isolation })
    values.push(...read.records.map((r) => r.value!.toString()))
    if (read.nextOffset === offset) return values
    offset = read.nextOffset
  }
}

describe('kafkajs transactions', () => {
  it('commits and aborts: a read_committed consumer sees the committed records only', async () => {
    await kafka.log.createTopic('kjs-txn')
    const producer = client.producer({ transactionalId: 'kjs-1', idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    const committed = await producer.transaction()
    await committed.send({
      topic: 'kjs-txn',
      messages: [
        { key: 'a', value: 'one' },
        { key: 'b', value: 'two' },
      ],
    })
    expect(await readValues('kjs-txn', 'read_committed')).toEqual([])
    await committed.commit()
    const aborted = await producer.transaction()
    await aborted.send({ topic: 'kjs-txn', messages: [{ key: 'c', value: 'never' }] })
    await aborted.abort()
    const last = await producer.transaction()
    await last.send({ topic: 'kjs-txn', messages: [{ key: 'd', value: 'three' }] })
    await last.commit()
    await producer.disconnect()
    expect(await readValues('kjs-txn', 'read_uncommitted')).toEqual(['one', 'two', 'never', 'three'])

    const consumer = client.consumer({ groupId: 'kjs-reader', readUncommitted: false })
    await consumer.connect()
    await consumer.subscribe({ topic: 'kjs-txn', fromBeginning: true })
    const seen: string[] = []
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            seen.push(message.value!.toString())
            if (seen.length === 3) resolve()
          },
        })
        .catch(reject)
    })
    await consumer.disconnect()
    expect(seen).toEqual(['one', 'two', 'three'])
  })

  it("commits a group's offsets in the transaction: visible after the commit only, dropped by an abort", async () => {
    await kafka.log.createTopic('kjs-offsets')
    const groups = await kafka.log.groups()
    const producer = client.producer({ transactionalId: 'kjs-offsets', idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    const sendOffsets = async (offset: string, commit: boolean) => {
      const txn = await producer.transaction()
      await txn.send({ topic: 'kjs-offsets', messages: [{ value: `at ${offset}` }] })
      await txn.sendOffsets({ consumerGroupId: 'kjs-etl', topics: [{ topic: 'kjs-offsets', partitions: [{ partition: 0, offset }] }] })
      expect(groups.fetchOffsets('kjs-etl').map((o) => o.offset)).toEqual(offset === '5' ? [] : [5])
      await (commit ? txn.commit() : txn.abort())
    }
    await sendOffsets('5', true)
    expect(groups.fetchOffsets('kjs-etl').map((o) => o.offset)).toEqual([5])
    await sendOffsets('9', false)
    expect(groups.fetchOffsets('kjs-etl').map((o) => o.offset)).toEqual([5])
    await producer.disconnect()
    const admin = client.admin()
    await admin.connect()
    expect(await admin.fetchOffsets({ groupId: 'kjs-etl', topics: ['kjs-offsets'] })).toEqual([
      { topic: 'kjs-offsets', partitions: [expect.objectContaining({ partition: 0, offset: '5' })] },
    ])
    await admin.disconnect()
  })

  it('fences the first producer once a second one initialises the same transactional id', async () => {
    await kafka.log.createTopic('kjs-fenced')
    const first = client.producer({ transactionalId: 'kjs-shared', idempotent: true, maxInFlightRequests: 1, retry: { retries: 1 } })
    await first.connect()
    const zombie = await first.transaction()
    await zombie.send({ topic: 'kjs-fenced', messages: [{ value: 'zombie' }] })
    const second = client.producer({ transactionalId: 'kjs-shared', idempotent: true, maxInFlightRequests: 1 })
    await second.connect()
    // kafkajs initialises its producer id with the first transaction.
    const txn = await second.transaction()
    await expect(zombie.commit()).rejects.toMatchObject({ type: expect.stringMatching(/PRODUCER_FENCED|INVALID_PRODUCER_EPOCH/) })
    await txn.send({ topic: 'kjs-fenced', messages: [{ value: 'kept' }] })
    await txn.commit()
    await Promise.all([first.disconnect(), second.disconnect()])
    expect(await readValues('kjs-fenced', 'read_committed')).toEqual(['kept'])
  })
})

describe('a kafkajs transaction past its timeout', () => {
  it('is aborted by the coordinator, and its producer is fenced', async () => {
    // A listener whose coordinator looks for timed-out transactions every 50 ms.
    const quick = await startEmbeddedKafka({}, { transactions: { sweepIntervalMs: 50 } })
    try {
      await quick.log.createTopic('slow')
      const quickClient = new Kafka({
        clientId: 'txn-timeout',
        brokers: [`127.0.0.1:${quick.port}`],
        logLevel: logLevel.NOTHING,
        retry: { retries: 1 },
      })
      const producer = quickClient.producer({
        transactionalId: 'kjs-slow',
        idempotent: true,
        maxInFlightRequests: 1,
        transactionTimeout: 1000,
      })
      await producer.connect()
      const txn = await producer.transaction()
      const coordinator = await quick.log.transactions()
      const completed = once(coordinator.events, 'completed')
      await txn.send({ topic: 'slow', messages: [{ value: 'too late' }] })
      const [metadata, cause] = await completed
      expect([cause, metadata.state]).toEqual(['timed-out', 'CompleteAbort'])
      await expect(txn.commit()).rejects.toMatchObject({ type: expect.stringMatching(/PRODUCER_FENCED|INVALID_PRODUCER_EPOCH/) })
      await producer.disconnect()
      const partition = quick.log.partitionsOf('slow')[0]!
      expect(partition.lastStableOffset).toBe(partition.highWatermark)
      expect((await quick.log.read('slow', 0, 0, { isolation: 'read_committed' })).records).toEqual([])
    } finally {
      await quick.stop()
    }
  })
})

describe('kcat transactions', () => {
  it('produces in a transaction with -X transactional.id; read_committed readers see it once committed', async () => {
    await kafka.log.createTopic('kcat-txn')
    await kcatProduce(
      bootstrap,
      'kcat-txn',
      [
        { key: 'k1', value: 'v1' },
        { key: 'k2', value: 'v2' },
      ],
      ['-X', 'transactional.id=kcat-1'],
    )
    const seen = await kcatConsume(bootstrap, 'kcat-txn', 2, ['-X', 'isolation.level=read_committed'])
    expect(seen.map((r) => r.value)).toEqual(['v1', 'v2'])
    const coordinator = await kafka.log.transactions()
    expect(coordinator.describe('kcat-1')).toMatchObject({ state: 'CompleteCommit' })
    const partition = kafka.log.partitionsOf('kcat-txn')[0]!
    expect(partition.lastStableOffset).toBe(partition.highWatermark)
  })
})
