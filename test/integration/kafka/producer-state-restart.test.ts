/**
 * A producer's batch retried after the broker restarted (it was stored, but the answer was lost
 * with the broker) must be stored once, as before the restart: the listener learns each producer's
 * last batches again from the log. Without that, a transactional producer whose transaction
 * survived the restart would commit the retried batch twice, and exactly-once would not hold.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { KafkaListener } from '../../../core/kafka/server/listener.ts'
import { KafkaError } from '../../../core/kafka/protocol/error-codes.ts'
import { encodeRecordBatch } from '../../../core/log/record-batch.ts'
import { KafkaWireClient } from '../../support/kafka-wire-client.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { txnData } from '../../support/txn-batches.ts'

const TOPIC = 'retried'
const fresh = { transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1, enable2Pc: false, keepPreparedTxn: false }

let dir: Awaited<ReturnType<typeof makeTempDir>>
let log: EmbeddedLog
let listener: KafkaListener
let client: KafkaWireClient

async function start(): Promise<void> {
  log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
  listener = await KafkaListener.start({ log, port: 0 })
  client = await KafkaWireClient.connect(listener.port)
}

async function stop(): Promise<void> {
  client?.close()
  await listener?.close()
  await log?.close()
}

beforeEach(async () => {
  dir = await makeTempDir()
  await start()
  await log.createTopic(TOPIC)
})

afterEach(async () => {
  await stop()
  await dir?.remove()
})

async function produce(transactionalId: string | null, records: Buffer) {
  const response = await client.request(wireApis.produce, 9, {
    transactionalId,
    acks: -1,
    timeoutMs: 5000,
    topics: [{ name: TOPIC, partitions: [{ index: 0, records }] }],
  })
  return response.topics[0]!.partitions[0]!
}

function idempotent(producerId: number, producerEpoch: number, baseSequence: number, values: readonly string[]): Buffer {
  return encodeRecordBatch(
    values.map((v) => ({ key: Buffer.from(v), value: Buffer.from(v) })),
    0,
    { producerId, producerEpoch, baseSequence },
  )
}

async function values(isolation: 'read_committed' | 'read_uncommitted'): Promise<string[]> {
  const { records } = await log.read(TOPIC, 0, 0, { isolation, maxBytes: 1 << 20 })
  return records.map((r) => r.value!.toString())
}

describe('producer state across a restart', () => {
  it("stores an idempotent producer's retried batch once and still refuses a gap", async () => {
    const { producerId, producerEpoch } = await client.request(wireApis.initProducerId, 4, { ...fresh, transactionalId: null })
    expect((await produce(null, idempotent(producerId, producerEpoch, 0, ['a', 'b']))).baseOffset).toBe(0)
    expect((await produce(null, idempotent(producerId, producerEpoch, 2, ['c']))).baseOffset).toBe(2)
    await stop()
    await start()

    expect(await produce(null, idempotent(producerId, producerEpoch, 2, ['c']))).toMatchObject({ errorCode: 0, baseOffset: 2 })
    expect((await produce(null, idempotent(producerId, producerEpoch, 5, ['e']))).errorCode).toBe(KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER)
    expect(await produce(null, idempotent(producerId, producerEpoch, 3, ['d']))).toMatchObject({ errorCode: 0, baseOffset: 3 })
    expect(await values('read_uncommitted')).toEqual(['a', 'b', 'c', 'd'])
  })

  it('commits a transactional batch retried after the restart once', async () => {
    const producer = {
      transactionalId: 'retrying',
      ...(await client.request(wireApis.initProducerId, 4, { ...fresh, transactionalId: 'retrying' })),
    }
    const added = await client.request(wireApis.addPartitionsToTxn, 3, {
      transactions: [{ ...producer, verifyOnly: false, topics: [{ name: TOPIC, partitions: [0] }] }],
    })
    expect(added.resultsByTransaction[0]!.topicResults[0]!.partitions[0]!.errorCode).toBe(0)
    expect(await produce(producer.transactionalId, txnData(producer.producerId, ['x', 'y'], producer.producerEpoch))).toMatchObject({
      errorCode: 0,
      baseOffset: 0,
    })
    await stop()
    await start()

    // The transaction is still open; the retry is answered with the first copy's offset.
    expect(await produce(producer.transactionalId, txnData(producer.producerId, ['x', 'y'], producer.producerEpoch))).toMatchObject({
      errorCode: 0,
      baseOffset: 0,
    })
    expect((await client.request(wireApis.endTxn, 3, { ...producer, committed: true })).errorCode).toBe(0)
    expect(await values('read_committed')).toEqual(['x', 'y'])
  })
})
