/**
 * The transactional APIs at the wire, where clients rarely go: Produce refuses transactional
 * batches outside a transaction and control batches from clients; AddPartitionsToTxn answers a
 * missing topic per partition; PRODUCER_FENCED becomes INVALID_PRODUCER_EPOCH for old versions;
 * OffsetFetch with require_stable answers UNSTABLE_OFFSET_COMMIT while a transaction's commit is
 * pending; DescribeTransactions and ListTransactions filter as Kafka's do; ACLs on transactional ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { KafkaListener } from '../../../core/kafka/server/listener.ts'
import { KafkaError } from '../../../core/kafka/protocol/error-codes.ts'
import { KafkaWireClient } from '../../support/kafka-wire-client.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { wireClientPerFile } from '../../support/wire-client-per-file.ts'
import { txnData, txnMarker } from '../../support/txn-batches.ts'

const wire = wireClientPerFile()
const fresh = { transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1, enable2Pc: false, keepPreparedTxn: false }

async function init(transactionalId: string) {
  const { producerId, producerEpoch, errorCode } = await wire.client.request(wireApis.initProducerId, 4, { ...fresh, transactionalId })
  expect(errorCode).toBe(0)
  return { transactionalId, producerId, producerEpoch }
}

function produce(transactionalId: string | null, topic: string, records: Buffer) {
  return wire.client.request(wireApis.produce, 9, {
    transactionalId,
    acks: -1,
    timeoutMs: 5000,
    topics: [{ name: topic, partitions: [{ index: 0, records }] }],
  })
}

const errorOf = (response: { topics: ReadonlyArray<{ partitions: ReadonlyArray<{ errorCode: number }> }> }) =>
  response.topics[0]!.partitions[0]!.errorCode

function addPartitions(
  producer: { transactionalId: string; producerId: number; producerEpoch: number },
  topics: Array<{ name: string; partitions: number[] }>,
  version = 3,
) {
  return wire.client.request(wireApis.addPartitionsToTxn, version, { transactions: [{ ...producer, verifyOnly: false, topics }] })
}

describe('transactional produce', () => {
  beforeAll(async () => {
    await wire.kafka.log.createTopic('wire-txn')
  })

  it("accepts a transactional batch only for a partition of the producer's open transaction", async () => {
    const producer = await init('wire-1')
    const batch = () => txnData(producer.producerId, ['x'], producer.producerEpoch)
    expect(errorOf(await produce(null, 'wire-txn', batch()))).toBe(KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
    expect(errorOf(await produce('wire-1', 'wire-txn', batch()))).toBe(KafkaError.INVALID_TXN_STATE)
    expect(errorOf(await produce('wire-1', 'wire-txn', txnMarker(producer.producerId, 'commit', producer.producerEpoch)))).toBe(
      KafkaError.INVALID_RECORD,
    )
    const added = await addPartitions(producer, [{ name: 'wire-txn', partitions: [0] }])
    expect(added.resultsByTransaction[0]!.topicResults).toEqual([{ name: 'wire-txn', partitions: [{ partitionIndex: 0, errorCode: 0 }] }])
    expect(errorOf(await produce('wire-1', 'wire-txn', batch()))).toBe(0)
    expect(errorOf(await produce('wire-1', 'wire-txn', txnData(producer.producerId, ['y'], producer.producerEpoch - 1)))).toBe(
      KafkaError.INVALID_PRODUCER_EPOCH,
    )
    expect((await wire.client.request(wireApis.endTxn, 3, { ...producer, committed: true })).errorCode).toBe(0)
    expect(wire.kafka.log.partitionsOf('wire-txn')[0]!.lastStableOffset).toBe(wire.kafka.log.partitionsOf('wire-txn')[0]!.highWatermark)
  })

  it('answers a missing topic for its partition and OPERATION_NOT_ATTEMPTED for the others', async () => {
    const producer = await init('wire-2')
    const added = await addPartitions(producer, [
      { name: 'wire-txn', partitions: [0, 5] },
      { name: 'no-such-topic', partitions: [0] },
    ])
    expect(added.resultsByTransaction[0]!.topicResults).toEqual([
      {
        name: 'wire-txn',
        partitions: [
          { partitionIndex: 0, errorCode: KafkaError.OPERATION_NOT_ATTEMPTED },
          { partitionIndex: 5, errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION },
        ],
      },
      { name: 'no-such-topic', partitions: [{ partitionIndex: 0, errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION }] },
    ])
    const internal = await addPartitions(producer, [{ name: '__consumer_offsets', partitions: [0] }])
    expect(internal.resultsByTransaction[0]!.topicResults[0]!.partitions[0]!.errorCode).toBe(KafkaError.TOPIC_AUTHORIZATION_FAILED)
  })

  it('tells a fenced producer PRODUCER_FENCED from v2 on and INVALID_PRODUCER_EPOCH before', async () => {
    const old = await init('wire-3')
    // Twice: a re-initialisation naming the epoch the last bump replaced is a retry (KIP-360), answered again.
    await init('wire-3')
    await init('wire-3')
    expect((await wire.client.request(wireApis.endTxn, 1, { ...old, committed: true })).errorCode).toBe(KafkaError.INVALID_PRODUCER_EPOCH)
    expect((await wire.client.request(wireApis.endTxn, 2, { ...old, committed: true })).errorCode).toBe(KafkaError.PRODUCER_FENCED)
    expect(
      (await addPartitions(old, [{ name: 'wire-txn', partitions: [0] }], 1)).resultsByTransaction[0]!.topicResults[0]!.partitions[0]!
        .errorCode,
    ).toBe(KafkaError.INVALID_PRODUCER_EPOCH)
    expect((await wire.client.request(wireApis.addOffsetsToTxn, 3, { ...old, groupId: 'g' })).errorCode).toBe(KafkaError.PRODUCER_FENCED)
    expect(
      (
        await wire.client.request(wireApis.initProducerId, 3, {
          ...fresh,
          transactionalId: 'wire-3',
          producerId: old.producerId,
          producerEpoch: old.producerEpoch,
        })
      ).errorCode,
    ).toBe(KafkaError.INVALID_PRODUCER_EPOCH)
    expect((await wire.client.request(wireApis.endTxn, 3, { ...old, producerId: old.producerId + 1000, committed: true })).errorCode).toBe(
      KafkaError.INVALID_PRODUCER_ID_MAPPING,
    )
  })
})

describe('offsets in a transaction', () => {
  it('answers UNSTABLE_OFFSET_COMMIT to require_stable while the commit is pending, the offset once committed', async () => {
    const producer = await init('wire-offsets')
    const fetchStable = async (requireStable: boolean) =>
      (
        await wire.client.request(wireApis.offsetFetch, 7, {
          groupId: 'wire-group',
          topics: [{ name: 'wire-txn', partitionIndexes: [0] }],
          groups: [],
          requireStable,
        })
      ).topics[0]!.partitions[0]!
    expect((await wire.client.request(wireApis.addOffsetsToTxn, 3, { ...producer, groupId: 'wire-group' })).errorCode).toBe(0)
    const committed = await wire.client.request(wireApis.txnOffsetCommit, 3, {
      ...producer,
      groupId: 'wire-group',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        { name: 'wire-txn', partitions: [{ partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: -1, committedMetadata: null }] },
      ],
    })
    expect(committed.topics).toEqual([{ name: 'wire-txn', partitions: [{ partitionIndex: 0, errorCode: 0 }] }])
    expect(await fetchStable(true)).toMatchObject({ errorCode: KafkaError.UNSTABLE_OFFSET_COMMIT })
    expect(await fetchStable(false)).toMatchObject({ errorCode: 0, committedOffset: -1 })
    expect((await wire.client.request(wireApis.endTxn, 3, { ...producer, committed: true })).errorCode).toBe(0)
    expect(await fetchStable(true)).toMatchObject({ errorCode: 0, committedOffset: 42 })
  })
})

describe('DescribeTransactions and ListTransactions', () => {
  it('describe known ids, say which are not found, and list by state, producer id and pattern', async () => {
    const producer = await init('wire-listed')
    await addPartitions(producer, [{ name: 'wire-txn', partitions: [0] }])
    const described = await wire.client.request(wireApis.describeTransactions, 0, { transactionalIds: ['wire-listed', 'nobody'] })
    expect(described.transactionStates).toEqual([
      expect.objectContaining({
        errorCode: 0,
        transactionState: 'Ongoing',
        transactionTimeoutMs: 60_000,
        ...producer,
        topics: [{ name: 'wire-txn', partitions: [0] }],
      }),
      expect.objectContaining({ errorCode: KafkaError.TRANSACTIONAL_ID_NOT_FOUND, transactionalId: 'nobody' }),
    ])
    expect(described.transactionStates[0]!.transactionStartTimeMs).toBeGreaterThan(0)
    const list = (filters: { stateFilters?: string[]; producerIdFilters?: number[]; transactionalIdPattern?: string | null }) =>
      wire.client.request(wireApis.listTransactions, 2, {
        stateFilters: [],
        producerIdFilters: [],
        durationFilter: -1,
        transactionalIdPattern: null,
        ...filters,
      })
    const ongoing = await list({ stateFilters: ['Ongoing', 'Bogus'] })
    expect(ongoing.unknownStateFilters).toEqual(['Bogus'])
    expect(ongoing.transactionStates).toEqual([
      { transactionalId: 'wire-listed', producerId: producer.producerId, transactionState: 'Ongoing' },
    ])
    expect((await list({ producerIdFilters: [producer.producerId] })).transactionStates.map((t) => t.transactionalId)).toEqual([
      'wire-listed',
    ])
    expect((await list({ transactionalIdPattern: 'wire-[0-9]' })).transactionStates.map((t) => t.transactionalId).sort()).toEqual([
      'wire-1',
      'wire-2',
      'wire-3',
    ])
    expect((await list({ transactionalIdPattern: '(' })).errorCode).toBe(KafkaError.INVALID_REQUEST)
    await wire.client.request(wireApis.endTxn, 3, { ...producer, committed: false })
  })
})

describe('transactional ids under ACLs', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>
  let log: EmbeddedLog
  let listener: KafkaListener
  let anonymous: KafkaWireClient

  beforeAll(async () => {
    dir = await makeTempDir()
    log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
    await log.createTopic('closed')
    listener = await KafkaListener.start({ log, port: 0, allowEveryoneIfNoAclFound: false })
    anonymous = await KafkaWireClient.connect(listener.port)
  })
  afterAll(async () => {
    anonymous?.close()
    await listener?.close()
    await log?.close()
    await dir?.remove()
  })

  it('refuses a principal without Describe or Write on the transactional id', async () => {
    expect(await anonymous.request(wireApis.findCoordinator, 3, { key: 'locked', keyType: 1, coordinatorKeys: [] })).toMatchObject({
      errorCode: KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
      nodeId: -1,
    })
    expect((await anonymous.request(wireApis.initProducerId, 4, { ...fresh, transactionalId: 'locked' })).errorCode).toBe(
      KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
    )
    const producer = { transactionalId: 'locked', producerId: 0, producerEpoch: 0 }
    expect((await anonymous.request(wireApis.endTxn, 3, { ...producer, committed: true })).errorCode).toBe(
      KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
    )
    expect((await anonymous.request(wireApis.addOffsetsToTxn, 3, { ...producer, groupId: 'g' })).errorCode).toBe(
      KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
    )
    const produced = await anonymous.request(wireApis.produce, 9, {
      transactionalId: 'locked',
      acks: -1,
      timeoutMs: 5000,
      topics: [{ name: 'closed', partitions: [{ index: 0, records: txnData(0, ['x']) }] }],
    })
    expect(errorOf(produced)).toBe(KafkaError.TOPIC_AUTHORIZATION_FAILED)
    expect(
      (await anonymous.request(wireApis.describeTransactions, 0, { transactionalIds: ['locked'] })).transactionStates[0]!.errorCode,
    ).toBe(KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
    expect(log.hasTopic('__transaction_state')).toBe(false)
  })
})
