/**
 * Apache Kafka's Java transactional producer (kafka-clients 4.3.1) against the listener: it commits
 * and aborts, and a read_committed Java consumer sees every committed record and never an aborted
 * one; a second producer with the same transactional.id fences the first (ProducerFencedException);
 * offsets sent in a transaction become the group's committed offsets only when it commits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  javaConsume,
  JavaAdmin,
  JavaTransactionalProducer,
  startKafkaForJavaClient,
  type KafkaForJavaClient,
} from '../../support/kafka-java-client.ts'

let kafka: KafkaForJavaClient

beforeAll(async () => {
  kafka = await startKafkaForJavaClient()
}, 300_000)

afterAll(async () => {
  await kafka?.stop()
})

describe('the Java transactional producer', () => {
  it('commits and aborts; a read_committed consumer reads the committed records only', async () => {
    await kafka.log.createTopic('java-txn', { partitions: 2 })
    const producer = await JavaTransactionalProducer.open(kafka.bootstrap, 'java-txn-1')
    await producer.ok('init')
    const transaction = async (values: string[], end: 'commit' | 'abort') => {
      await producer.ok('begin')
      for (const value of values) await producer.ok('send', 'java-txn', `key-${value}`, value)
      await producer.ok(end)
    }
    await transaction(['c1', 'c2', 'c3'], 'commit')
    await transaction(['a1', 'a2', 'a3', 'a4'], 'abort')
    await transaction(['c4', 'c5'], 'commit')
    await transaction(['a5'], 'abort')
    await transaction(['c6'], 'commit')
    await producer.close()

    // The committed records come last on each partition, after the aborted ones: a reader that let
    // an aborted record through would print it before reaching the committed count.
    const committed = await javaConsume(kafka.bootstrap, 'java-txn', 6, 60_000, 'read_committed')
    expect(committed.map((r) => r.value!.toString()).sort()).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6'])
    const everything = await javaConsume(kafka.bootstrap, 'java-txn', 11, 60_000, 'read_uncommitted')
    expect(everything.map((r) => r.value!.toString()).sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6'])
    for (const partition of kafka.log.partitionsOf('java-txn')) expect(partition.lastStableOffset).toBe(partition.highWatermark)
  })

  it('fences the first producer when a second one takes the same transactional.id', async () => {
    await kafka.log.createTopic('java-fenced')
    const first = await JavaTransactionalProducer.open(kafka.bootstrap, 'java-shared')
    await first.ok('init')
    await first.ok('begin')
    await first.ok('send', 'java-fenced', 'k', 'zombie')
    const second = await JavaTransactionalProducer.open(kafka.bootstrap, 'java-shared')
    await second.ok('init')
    await second.ok('begin')
    await second.ok('send', 'java-fenced', 'k', 'kept')
    // The first one's open transaction was aborted when the second initialised. Its next batch is
    // refused for its old epoch (an abortable error, as Kafka's broker answers it); aborting then
    // asks the coordinator, which tells it it is fenced.
    expect(await first.call('send', 'java-fenced', 'k', 'after')).toMatchObject({ error: 'InvalidProducerEpochException' })
    expect(await first.call('abort')).toMatchObject({ error: 'ProducerFencedException' })
    await second.ok('commit')
    await Promise.all([first.close(), second.close()])
    const seen = await javaConsume(kafka.bootstrap, 'java-fenced', 1, 60_000, 'read_committed')
    expect(seen.map((r) => r.value!.toString())).toEqual(['kept'])
    const partition = kafka.log.partitionsOf('java-fenced')[0]!
    expect(partition.lastStableOffset).toBe(partition.highWatermark)
  })

  it("makes offsets sent in a transaction the group's committed offsets when it commits, never when it aborts", async () => {
    await kafka.log.createTopic('java-etl')
    const producer = await JavaTransactionalProducer.open(kafka.bootstrap, 'java-etl')
    const admin = await JavaAdmin.open(kafka.bootstrap)
    const groups = await kafka.log.groups()
    const committedOffset = () => groups.fetchOffsets('java-etl-group').map((o) => o.offset)
    await producer.ok('init')
    await producer.ok('begin')
    await producer.ok('send', 'java-etl', 'k', 'out-1')
    await producer.ok('offsets', 'java-etl-group', 'java-etl', 0, 17)
    expect(committedOffset()).toEqual([])
    const offsetsPartition = `__consumer_offsets-${groups.offsetsPartitionOf('java-etl-group')}`
    expect(await admin.ok('describeTransactions', 'java-etl')).toMatchObject({
      'java-etl': { state: 'Ongoing', producerEpoch: 0, timeoutMs: 60_000, partitions: [offsetsPartition, 'java-etl-0'].sort() },
    })
    await producer.ok('commit')
    expect(committedOffset()).toEqual([17])
    await producer.ok('begin')
    await producer.ok('offsets', 'java-etl-group', 'java-etl', 0, 40)
    await producer.ok('abort')
    expect(committedOffset()).toEqual([17])
    await producer.close()
    // What a consumer of the group would resume from, asked the Kafka way (OffsetFetch).
    expect(JSON.stringify(await admin.ok('listGroupOffsets', 'java-etl-group'))).toContain('17')
    expect(await admin.ok('describeTransactions', 'java-etl')).toMatchObject({ 'java-etl': { state: 'CompleteAbort', partitions: [] } })
    expect(await admin.ok('listTransactions')).toEqual(
      expect.arrayContaining([expect.objectContaining({ transactionalId: 'java-etl', state: 'CompleteAbort' })]),
    )
    await admin.close()
  })
})
