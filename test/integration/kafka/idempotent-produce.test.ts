/**
 * Idempotent producers over the wire: a batch sent twice (a retry after a lost answer) is stored
 * once and answered with its first offset; a gap in the sequence and an older epoch are refused;
 * a real kafkajs idempotent producer stores every record once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Kafka, logLevel } from 'kafkajs'
import { encodeRecordBatch } from '../../../core/log/record-batch.ts'
import { startEmbeddedKafka, type EmbeddedKafka } from '../../support/embedded-kafka.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { KafkaWireClient } from '../../support/kafka-wire-client.ts'

let kafka: EmbeddedKafka
let connection: KafkaWireClient

beforeAll(async () => {
  kafka = await startEmbeddedKafka()
  await kafka.log.createTopic('idempotent', { partitions: 1 })
  connection = await KafkaWireClient.connect(kafka.port)
})

afterAll(async () => {
  connection?.close()
  await kafka?.stop()
})

function batch(producerId: number, producerEpoch: number, baseSequence: number, values: readonly string[]): Buffer {
  return encodeRecordBatch(
    values.map((v) => ({ key: Buffer.from(v), value: Buffer.from(v) })),
    0,
    { producerId, producerEpoch, baseSequence },
  )
}

async function produce(records: Buffer, version = 7) {
  const response = await connection.request(wireApis.produce, version, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 5000,
    topics: [{ name: 'idempotent', partitions: [{ index: 0, records }] }],
  })
  return response.topics[0]!.partitions[0]!
}

describe('idempotent produce', () => {
  it('stores a repeated batch once, answers it with the first offset, and refuses gaps and older epochs', async () => {
    const { producerId, producerEpoch } = await connection.request(wireApis.initProducerId, 1, {
      transactionalId: null,
      transactionTimeoutMs: 60_000,
      producerId: -1,
      producerEpoch: -1,
      enable2Pc: false,
      keepPreparedTxn: false,
    })
    expect(producerId).toBeGreaterThanOrEqual(0)

    const first = await produce(batch(producerId, producerEpoch, 0, ['a', 'b']))
    const second = await produce(batch(producerId, producerEpoch, 2, ['c']))
    const retried = await produce(batch(producerId, producerEpoch, 0, ['a', 'b']))
    expect([first.errorCode, second.errorCode, retried.errorCode]).toEqual([0, 0, 0])
    expect(retried.baseOffset).toBe(first.baseOffset)
    expect(second.baseOffset).toBe(first.baseOffset + 2)

    const gap = await produce(batch(producerId, producerEpoch, 5, ['d']), 9)
    expect(gap.errorCode).toBe(45) // OUT_OF_ORDER_SEQUENCE_NUMBER
    expect(gap.errorMessage).toMatch(/expected 3/)

    const bumped = await connection.request(wireApis.initProducerId, 3, {
      transactionalId: null,
      transactionTimeoutMs: 60_000,
      producerId,
      producerEpoch,
      enable2Pc: false,
      keepPreparedTxn: false,
    })
    expect(bumped.producerEpoch).toBe(producerEpoch + 1)
    expect((await produce(batch(producerId, bumped.producerEpoch, 0, ['e']))).errorCode).toBe(0)
    expect((await produce(batch(producerId, producerEpoch, 3, ['late']))).errorCode).toBe(47) // INVALID_PRODUCER_EPOCH

    const stored = await kafka.log.read('idempotent', 0, 0)
    expect(stored.records.map((r) => r.value?.toString())).toEqual(['a', 'b', 'c', 'e'])
  })

  it("queues a connection's produce requests behind each other without waiting for each answer, and answers in order", async () => {
    await kafka.log.createTopic('pipelined', { partitions: 1 })
    const { producerId, producerEpoch } = await connection.request(wireApis.initProducerId, 1, {
      transactionalId: null,
      transactionTimeoutMs: 60_000,
      producerId: -1,
      producerEpoch: -1,
      enable2Pc: false,
      keepPreparedTxn: false,
    })
    const send = (records: Buffer) =>
      connection.request(wireApis.produce, 9, {
        transactionalId: null,
        acks: -1,
        timeoutMs: 5000,
        topics: [{ name: 'pipelined', partitions: [{ index: 0, records }] }],
      })
    const answered: string[] = []
    const note = <T>(label: string, pending: Promise<T>) =>
      pending.then((value) => {
        answered.push(label)
        return value
      })
    // Twenty batches in flight at once: each is checked against the sequence of the one queued before it.
    const batches = Array.from({ length: 20 }, (_, i) => batch(producerId, producerEpoch, i * 2, [`${i}a`, `${i}b`]))
    const corrupt = Buffer.from(batch(producerId, producerEpoch, 40, ['bad']))
    corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] ?? 0) ^ 0xff // breaks the CRC: refused before it takes an offset or a sequence
    const first = batches.slice(0, 10).map((records, i) => note(`produce ${i}`, send(records)))
    const between = note(
      'api-versions',
      connection.request(wireApis.apiVersions, 3, { clientSoftwareName: 'wire-client', clientSoftwareVersion: '1' }),
    )
    const rest = [...batches.slice(10), corrupt, batches[19]!].map((records, i) => note(`produce ${i + 10}`, send(records)))
    const produced = await Promise.all([...first, ...rest])
    expect((await between).errorCode).toBe(0)
    // Answers come in request order, the request of another API included.
    expect(answered).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `produce ${i}`),
      'api-versions',
      ...Array.from({ length: 12 }, (_, i) => `produce ${i + 10}`),
    ])
    const partitions = produced.map((answer) => answer.topics[0]!.partitions[0]!)
    expect(partitions.map((p) => p.errorCode)).toEqual([...Array(20).fill(0), 87, 0]) // 87: INVALID_RECORD
    expect(partitions.slice(0, 20).map((p) => p.baseOffset)).toEqual(Array.from({ length: 20 }, (_, i) => i * 2))
    expect(partitions[21]!.baseOffset).toBe(38) // the last batch again: answered with where it is, stored once
    const stored = await kafka.log.read('pipelined', 0, 0)
    expect(stored.records.map((r) => r.value?.toString())).toEqual(Array.from({ length: 20 }, (_, i) => [`${i}a`, `${i}b`]).flat())

    // As Kafka does from v3 on, a partition's records are exactly one batch; two are refused whole.
    const twoBatches = Buffer.concat([batch(-1, -1, -1, ['x']), batch(-1, -1, -1, ['y'])])
    expect((await send(twoBatches)).topics[0]!.partitions[0]!.errorCode).toBe(87)
    expect((await kafka.log.read('pipelined', 0, 40)).records).toEqual([])
  })

  it('lets a kafkajs idempotent producer store every record exactly once', async () => {
    await kafka.log.createTopic('idempotent-kafkajs', { partitions: 3 })
    const client = new Kafka({ clientId: 'idempotent', brokers: [`127.0.0.1:${kafka.port}`], logLevel: logLevel.NOTHING })
    const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    for (let round = 0; round < 5; round++) {
      await producer.send({
        topic: 'idempotent-kafkajs',
        messages: Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: `${round}-${i}` })),
      })
    }
    await producer.disconnect()
    let total = 0
    for (const partition of [0, 1, 2])
      total += (await kafka.log.read('idempotent-kafkajs', partition, 0, { maxBytes: 10 * 1024 * 1024 })).records.length
    expect(total).toBe(500)
  })
})
