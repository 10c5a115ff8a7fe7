/**
 * Apache Kafka's Java producer (kafka-clients 4.3.1) against the listener: idempotent (acks=all) with
 * every compression.type. Thousands of keyed records with headers land once each, in the order sent
 * on each partition, on the partition the log's own murmur2 partitioner picks for their key; the
 * stored batches keep the producer's codec, producer id and sequence numbers; the log and the Java
 * consumer read them back exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { partitionForKey } from '../../../core/log/partitioner.ts'
import { compressionOf, readBatchHeader } from '../../../core/log/record-batch.ts'
import type { StoredRecord } from '../../../core/log/log.ts'
import { batchesOnDisk } from '../../support/batches-on-disk.ts'
import {
  startKafkaForJavaClient,
  type KafkaForJavaClient,
  javaConsume,
  javaProduce,
  type JavaRecord,
} from '../../support/kafka-java-client.ts'

const PARTITIONS = 4
const RECORDS = 2000
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const

let kafka: KafkaForJavaClient
let bootstrap: string

beforeAll(async () => {
  kafka = await startKafkaForJavaClient()
  bootstrap = kafka.bootstrap
}, 300_000)

afterAll(async () => {
  await kafka?.stop()
})

/** Keyed records with headers (one null header value, one empty value), compressible but all distinct. */
function records(codec: string): JavaRecord[] {
  return Array.from({ length: RECORDS }, (_, i) => ({
    key: Buffer.from(`key-${i % 500}`),
    value: i === 7 ? Buffer.alloc(0) : Buffer.from(`${codec} value ${i} `.repeat(1 + (i % 9))),
    headers: [
      ['index', Buffer.from(String(i))],
      ['codec', Buffer.from(codec)],
      ['nothing', i % 100 === 0 ? null : Buffer.from([0, 255, i % 256])],
    ],
  }))
}

const comparable = (r: { key: Buffer | null; value: Buffer | null; headers: ReadonlyArray<readonly [string, Buffer | null]> }) => ({
  key: r.key?.toString('hex') ?? null,
  value: r.value?.toString('hex') ?? null,
  headers: r.headers.map(([k, v]) => [k, v?.toString('hex') ?? null]),
})

const storedComparable = (r: StoredRecord) =>
  comparable({ key: r.key, value: r.value, headers: r.headers.map((h) => [h.key, h.value] as const) })

async function readPartition(topic: string, partition: number): Promise<StoredRecord[]> {
  const out: StoredRecord[] = []
  for (let offset = 0; ; ) {
    const read = await kafka.log.read(topic, partition, offset)
    out.push(...read.records)
    if (read.nextOffset >= read.highWatermark) return out
    offset = read.nextOffset
  }
}

describe('the Java idempotent producer', () => {
  it.each(CODECS)(
    'stores %s batches once each, in order, with exact keys, values and headers',
    async (codec) => {
      const topic = `java-producer-${codec}`
      await kafka.log.createTopic(topic, { partitions: PARTITIONS })
      const sent = records(codec)
      const placed = await javaProduce(bootstrap, topic, codec, sent)
      expect(placed).toHaveLength(RECORDS)

      // Per partition, the records sent there, in the order sent, took offsets 0, 1, 2, …
      const sentTo = Array.from({ length: PARTITIONS }, () => [] as JavaRecord[])
      placed.forEach(({ partition, offset }, i) => {
        expect(offset).toBe(sentTo[partition]!.length)
        sentTo[partition]!.push(sent[i]!)
      })
      // Every key lands where the log's own partitioner puts it: Kafka's murmur2, as the Java client computes it.
      expect(placed.map(({ partition }) => partition)).toEqual(sent.map((r) => partitionForKey(r.key!, PARTITIONS)))
      expect(sentTo.every((p) => p.length > 0)).toBe(true)

      for (let partition = 0; partition < PARTITIONS; partition++) {
        const stored = await readPartition(topic, partition)
        expect(stored.map((r) => r.offset)).toEqual(sentTo[partition]!.map((_, i) => i))
        expect(stored.map(storedComparable)).toEqual(sentTo[partition]!.map(comparable))

        // Every stored batch is the producer's: its codec, one producer id, sequences that follow the offsets.
        const batches = batchesOnDisk(kafka.dataDir, topic, partition).map((batch) => readBatchHeader(batch))
        expect(batches.map((b) => compressionOf(b.attributes))).toEqual(batches.map(() => codec))
        expect(new Set(batches.map((b) => b.producerId)).size).toBe(1)
        expect(batches[0]!.producerId).toBeGreaterThanOrEqual(0)
        expect(batches.map((b) => b.baseSequence)).toEqual(batches.map((b) => b.baseOffset))
      }

      const consumed = await javaConsume(bootstrap, topic, RECORDS)
      for (let partition = 0; partition < PARTITIONS; partition++) {
        const read = consumed.filter((r) => r.partition === partition)
        expect(read.map((r) => r.offset)).toEqual(sentTo[partition]!.map((_, i) => i))
        expect(read.map(comparable)).toEqual(sentTo[partition]!.map(comparable))
      }
    },
    120_000,
  )
})
