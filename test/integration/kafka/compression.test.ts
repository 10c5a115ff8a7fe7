/**
 * Compressed batches over the wire and in the engine: real clients produce snappy, lz4 and zstd
 * batches (kcat for zstd; @platformatic/kafka for snappy and lz4, since the librdkafka of Debian's
 * kcat compresses those only for brokers that still list Produce v0), which are stored as sent,
 * read back decompressed by in-process readers and fetched as they are, and kcat reads them. A
 * batch that does not decompress is CORRUPT_MESSAGE and an undefined codec
 * UNSUPPORTED_COMPRESSION_TYPE, one that would inflate past 64 MiB MESSAGE_TOO_LARGE, and the
 * connection goes on; a topic's compression.type compresses the batches the engine writes itself,
 * on disk, and kcat reads them.
 */
import { Producer, stringSerializers } from '@platformatic/kafka'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { crc32c } from '@node-rs/crc32'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { KafkaListener } from '../../../core/kafka/server/listener.ts'
import { compressionCodecs } from '../../../core/log/compression/compression-codecs.ts'
import {
  BatchField,
  Compression,
  compressionOf,
  encodeRecordBatch,
  MAX_DECOMPRESSED_RECORDS_BYTES,
  readBatchHeader,
} from '../../../core/log/record-batch.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { KafkaWireClient } from '../../support/kafka-wire-client.ts'
import { batchesOnDisk as batchesOnDiskOf } from '../../support/batches-on-disk.ts'
import { byPosition, kcatConsume, kcatProduce, type RecordToSend } from '../../support/kafka-clients.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

let dir: Awaited<ReturnType<typeof makeTempDir>>
let log: EmbeddedLog
let listener: KafkaListener
let bootstrap: string

beforeAll(async () => {
  dir = await makeTempDir()
  log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
  listener = await KafkaListener.start({ log, port: 0 })
  bootstrap = `127.0.0.1:${listener.port}`
})

afterAll(async () => {
  await listener?.close()
  await log?.close()
  await dir?.remove()
})

const CODECS = ['snappy', 'lz4', 'zstd'] as const

function records(prefix: string, count: number): RecordToSend[] {
  // Repetitive values, so every codec really compresses them.
  return Array.from({ length: count }, (_, i) => ({
    key: `${prefix}-${i}`,
    value: `${prefix} value ${i} `.repeat(20),
    headers: { codec: prefix },
  }))
}

const batchesOnDisk = (topic: string, partition = 0): Buffer[] => batchesOnDiskOf(dir.path, topic, partition)

async function produce(codec: (typeof CODECS)[number], topic: string, sent: readonly RecordToSend[]): Promise<void> {
  if (codec === 'zstd') return kcatProduce(bootstrap, topic, sent, ['-z', codec])
  const producer = new Producer({
    clientId: `compression-${codec}`,
    bootstrapBrokers: [bootstrap],
    serializers: stringSerializers,
    autocreateTopics: false,
  })
  try {
    await producer.send({
      compression: codec,
      messages: sent.map((r) => ({ topic, partition: 0, key: r.key!, value: r.value!, headers: { ...r.headers } })),
    })
  } finally {
    await producer.close()
  }
}

describe('compressed batches from Kafka clients', () => {
  for (const codec of CODECS) {
    it(`stores ${codec} batches as sent and reads them back decompressed, in process and over the wire`, async () => {
      const topic = `client-${codec}`
      await log.createTopic(topic, { partitions: 1 })
      const sent = records(codec, 50)
      await produce(codec, topic, sent)

      const stored = batchesOnDisk(topic)
      expect(stored.length).toBeGreaterThan(0)
      expect(stored.map((batch) => compressionOf(readBatchHeader(batch).attributes))).toEqual(stored.map(() => codec))
      const uncompressedSize = encodeRecordBatch(
        sent.map((r) => ({ key: Buffer.from(r.key!), value: Buffer.from(r.value!) })),
        0,
      ).length
      expect(stored.reduce((sum, batch) => sum + batch.length, 0)).toBeLessThan(uncompressedSize)

      const inProcess = await log.read(topic, 0, 0, { maxBytes: 1 << 20 })
      expect(inProcess.records.map((r) => [r.key?.toString(), r.value?.toString()])).toEqual(sent.map((r) => [r.key, r.value]))
      expect(inProcess.records.every((r) => r.headers[0]?.key === 'codec' && r.headers[0].value?.toString() === codec)).toBe(true)

      const fetched = await log.readBatches(topic, 0, 0, { maxBytes: 1 << 20 })
      expect(Buffer.concat(fetched.batches).equals(Buffer.concat(stored))).toBe(true)
      const viaKcat = byPosition(await kcatConsume(bootstrap, topic, sent.length))
      expect(viaKcat.map((r) => r.value)).toEqual(sent.map((r) => r.value))
    })
  }
})

describe('refused compressed batches', () => {
  let connection: KafkaWireClient

  beforeAll(async () => {
    await log.createTopic('refusals', { partitions: 1 })
    connection = await KafkaWireClient.connect(listener.port)
  })

  afterAll(() => connection?.close())

  async function produce(records: Buffer) {
    const response = await connection.request(wireApis.produce, 8, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 5000,
      topics: [{ name: 'refusals', partitions: [{ index: 0, records }] }],
    })
    return response.topics[0]!.partitions[0]!
  }

  /** A batch claiming `codecId` whose records section is `body`, with a correct CRC. */
  function batchWith(codecId: number, body: Buffer): Buffer {
    const plain = encodeRecordBatch([{ key: Buffer.from('k'), value: Buffer.from('v') }], 0)
    const batch = Buffer.concat([plain.subarray(0, 61), body])
    batch.writeInt32BE(batch.length - 12, BatchField.batchLength)
    batch.writeInt16BE(codecId, BatchField.attributes)
    batch.writeUInt32BE(crc32c(batch.subarray(BatchField.attributes)), BatchField.crc)
    return batch
  }

  it('refuses a batch that does not decompress as CORRUPT_MESSAGE, an undefined codec as UNSUPPORTED_COMPRESSION_TYPE, and goes on', async () => {
    for (const codec of CODECS) {
      const answer = await produce(batchWith(Compression[codec], Buffer.alloc(16, 0xff)))
      expect({ codec, errorCode: answer.errorCode }).toEqual({ codec, errorCode: 2 }) // CORRUPT_MESSAGE
      expect(answer.errorMessage).toMatch(new RegExp(`does not decompress as ${codec}`))
    }
    const undefinedCodec = await produce(batchWith(5, Buffer.from('whatever')))
    expect(undefinedCodec.errorCode).toBe(76) // UNSUPPORTED_COMPRESSION_TYPE

    const fine = await produce(encodeRecordBatch([{ key: Buffer.from('k'), value: Buffer.from('after the refusals') }], 0))
    expect(fine.errorCode).toBe(0)
    const stored = await log.read('refusals', 0, 0)
    expect(stored.records.map((r) => r.value?.toString())).toEqual(['after the refusals'])
  })

  it('refuses a batch that would decompress past 64 MiB as MESSAGE_TOO_LARGE before inflating it, and goes on', async () => {
    const inflated = Buffer.alloc(MAX_DECOMPRESSED_RECORDS_BYTES + 1)
    for (const codec of ['gzip', 'zstd'] as const) {
      const before = (await log.describeTopic('refusals')).partitions[0]!.highWatermark
      const answer = await produce(batchWith(Compression[codec], compressionCodecs[codec].compress(inflated)))
      expect({ codec, errorCode: answer.errorCode }).toEqual({ codec, errorCode: 10 }) // MESSAGE_TOO_LARGE
      expect(answer.errorMessage).toMatch(
        new RegExp(
          `^the ${codec} records decompress to (up to \\d+ bytes, over the limit of|more than) ${MAX_DECOMPRESSED_RECORDS_BYTES} bytes; send smaller batches`,
        ),
      )
      expect((await log.describeTopic('refusals')).partitions[0]!.highWatermark).toBe(before)
    }
    const fine = await produce(encodeRecordBatch([{ key: Buffer.from('k'), value: Buffer.from('after the bombs') }], 0))
    expect(fine.errorCode).toBe(0)
  })
})

describe('compression.type', () => {
  for (const codec of CODECS) {
    it(`compresses the engine's own batches with ${codec} on disk, and kcat reads them`, async () => {
      const topic = `engine-${codec}`
      await log.createTopic(topic, { partitions: 1, 'compression.type': codec })
      const values = Array.from({ length: 40 }, (_, i) => `engine record ${i} `.repeat(10))
      await log.append(
        topic,
        values.map((value, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(value) })),
      )

      const stored = batchesOnDisk(topic)
      expect(stored.length).toBeGreaterThan(0)
      expect(stored.every((batch) => (batch.readInt16BE(BatchField.attributes) & 0x07) === Compression[codec])).toBe(true)

      expect((await log.read(topic, 0, 0)).records.map((r) => r.value?.toString())).toEqual(values)
      expect((await kcatConsume(bootstrap, topic, values.length)).map((r) => r.value)).toEqual(values)
    })
  }

  it('leaves batches uncompressed under producer (the default) and uncompressed', async () => {
    await log.createTopic('engine-default', { partitions: 1 })
    await log.createTopic('engine-uncompressed', { partitions: 1, 'compression.type': 'uncompressed' })
    for (const topic of ['engine-default', 'engine-uncompressed']) {
      await log.append(topic, [{ key: Buffer.from('k'), value: Buffer.from('v'.repeat(500)) }])
      expect(batchesOnDisk(topic).map((batch) => batch.readInt16BE(BatchField.attributes) & 0x07)).toEqual([0])
    }
  })

  it('stores a producer batch as sent under a topic with a fixed compression.type', async () => {
    await log.createTopic('fixed-lz4', { partitions: 1, 'compression.type': 'lz4' })
    await kcatProduce(bootstrap, 'fixed-lz4', records('zstd', 5), ['-z', 'zstd'])
    const codecs = batchesOnDisk('fixed-lz4').map((batch) => compressionOf(readBatchHeader(batch).attributes))
    expect(codecs.length).toBeGreaterThan(0)
    expect(new Set(codecs)).toEqual(new Set(['zstd']))
  })
})
