/**
 * The listener under bad input: random and truncated frames, oversized sizes, unknown APIs and
 * versions close only the connection that sent them, and the server goes on serving real clients.
 */
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { Kafka, logLevel } from 'kafkajs'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { KafkaListener } from '../../../core/kafka/server/listener.ts'
import { ApiKey } from '../../../core/kafka/protocol/api-keys.ts'
import { decodeApiVersionsResponse } from '../../../core/kafka/protocol/apis/api-versions.ts'
import { encodeProduceRequest } from '../../../core/kafka/protocol/apis/produce.ts'
import { KafkaReader } from '../../../core/kafka/protocol/reader.ts'
import { encodeRequestHeader } from '../../../core/kafka/protocol/request-header.ts'
import { KafkaWriter } from '../../../core/kafka/protocol/writer.ts'
import { checkBatch, decodeBatchRecords, encodeRecordBatch, readBatchHeader } from '../../../core/log/record-batch.ts'
import type { StoredRecord } from '../../../core/log/log.ts'
import { decodeFetchResponse } from '../../../core/kafka/protocol/apis/fetch.ts'
import { kcatConsume } from '../../support/kafka-clients.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

let dir: Awaited<ReturnType<typeof makeTempDir>>
let log: EmbeddedLog
let listener: KafkaListener
let kafka: Kafka

beforeAll(async () => {
  dir = await makeTempDir()
  log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
  listener = await KafkaListener.start({
    log,
    port: 0,
    maxRequestBytes: 1024 * 1024,
    maxConnections: 20,
    logger: (await import('../../../core/logger.ts')).createLogger('kafka-test'),
  })
  kafka = new Kafka({ clientId: 'robustness', brokers: [`127.0.0.1:${listener.port}`], logLevel: logLevel.NOTHING })
})

afterAll(async () => {
  await listener?.close()
  await log?.close()
  await dir?.remove()
})

function sized(body: Buffer): Buffer {
  const size = Buffer.alloc(4)
  size.writeInt32BE(body.length)
  return Buffer.concat([size, body])
}

function request(apiKey: number, apiVersion: number, correlationId: number, body: (w: KafkaWriter) => void = () => undefined): Buffer {
  const writer = new KafkaWriter(false)
  encodeRequestHeader(writer, { apiKey, apiVersion, correlationId, clientId: 'raw' })
  body(writer)
  return sized(writer.toBuffer())
}

interface RawConnection {
  readonly socket: net.Socket
  readonly closed: Promise<void>
  /** The next response frame's body, or null when the server closed the connection instead. */
  nextFrame(): Promise<Buffer | null>
}

async function connect(): Promise<RawConnection> {
  const socket = net.connect(listener.port, '127.0.0.1')
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  let buffered = Buffer.alloc(0)
  const waiters: Array<() => void> = []
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk])
    waiters.splice(0).forEach((wake) => {
      wake()
    })
  })
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      waiters.splice(0).forEach((wake) => {
        wake()
      })
      resolve()
    }),
  )
  socket.on('error', () => undefined)
  return {
    socket,
    closed,
    async nextFrame() {
      for (;;) {
        if (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
          const size = buffered.readInt32BE(0)
          const frame = buffered.subarray(4, 4 + size)
          buffered = buffered.subarray(4 + size)
          return frame
        }
        if (socket.destroyed) return null
        await new Promise<void>((resolve) => waiters.push(resolve))
      }
    },
  }
}

/** A deterministic pseudo-random source, so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    return state / 0x7fffffff
  }
}

describe('Kafka listener robustness', () => {
  it('answers an ApiVersions version it does not know in v0 with UNSUPPORTED_VERSION and its list', async () => {
    const connection = await connect()
    connection.socket.write(request(ApiKey.ApiVersions, 99, 7))
    const frame = await connection.nextFrame()
    expect(frame).not.toBeNull()
    const reader = new KafkaReader(frame!)
    expect(reader.int32()).toBe(7)
    const response = decodeApiVersionsResponse(reader, 0)
    expect(response.errorCode).toBe(35)
    expect(response.apiKeys.map((k) => k.apiKey)).toContain(ApiKey.Produce)
    connection.socket.destroy()
  })

  it('closes the connection on an unknown API, an unsupported version, an oversized or a truncated frame', async () => {
    const cases: Buffer[] = [
      request(9999, 0, 1),
      request(ApiKey.Produce, 0, 2),
      Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0, 0]),
      sized(Buffer.from([0, 3, 0, 1])),
      request(ApiKey.Metadata, 1, 3, (w) => w.int32(5)),
    ]
    for (const bytes of cases) {
      const connection = await connect()
      connection.socket.write(bytes)
      expect(await connection.nextFrame()).toBeNull()
      await connection.closed
    }
  })

  it('survives random and truncated frames, then still serves kafkajs and kcat', async () => {
    const producer = kafka.producer()
    await producer.connect()
    await producer.send({ topic: 'fuzz', messages: [{ key: 'before', value: 'fuzzing' }] })
    const next = random(20261125)
    const valid = request(ApiKey.Metadata, 1, 9, (w) => w.array(['fuzz'], (t, name) => t.string(name)))
    for (let round = 0; round < 200; round++) {
      const connection = await connect()
      let bytes: Buffer
      if (round % 2 === 0) {
        bytes = Buffer.from(Array.from({ length: 4 + Math.floor(next() * 200) }, () => Math.floor(next() * 256)))
        bytes.writeInt32BE(bytes.length - 4, 0)
        // Keep the API key and version plausible half the time so the body decoders are reached.
        if (round % 4 === 0) bytes.writeInt16BE(Math.floor(next() * 4), 4)
      } else {
        const cut = 4 + Math.floor(next() * (valid.length - 4))
        bytes = Buffer.concat([valid.subarray(0, 4), valid.subarray(4, cut)])
        bytes.writeInt32BE(cut - 4, 0)
      }
      connection.socket.write(bytes)
      connection.socket.end()
      await connection.closed
    }
    // The producer's own connection was never touched.
    await producer.send({ topic: 'fuzz', messages: [{ key: 'after', value: 'fuzzing' }] })
    await producer.disconnect()
    const read = await kcatConsume(`127.0.0.1:${listener.port}`, 'fuzz', 2)
    expect(read.map((r) => r.key)).toEqual(['before', 'after'])
    // The clients have closed; the server hears of each close a moment later (later still under load).
    await vi.waitFor(() => expect(listener.connectionCount).toBe(0), { timeout: 5_000 })
  })

  it('stores an acks=0 produce and sends no answer to it', async () => {
    await log.createTopic('fire-and-forget')
    const connection = await connect()
    const batch = encodeRecordBatch([{ key: Buffer.from('k'), value: Buffer.from('v') }], 0)
    connection.socket.write(
      request(ApiKey.Produce, 7, 11, (w) =>
        encodeProduceRequest(w, 7, {
          transactionalId: null,
          acks: 0,
          timeoutMs: 1000,
          topics: [{ name: 'fire-and-forget', partitions: [{ index: 0, records: batch }] }],
        }),
      ),
    )
    // The next answer on the connection belongs to the next request: nothing came for the produce.
    connection.socket.write(request(ApiKey.ApiVersions, 0, 12))
    const frame = await connection.nextFrame()
    expect(new KafkaReader(frame!).int32()).toBe(12)
    expect((await log.read('fire-and-forget', 0, 0)).records).toHaveLength(1)
    connection.socket.destroy()
  })

  it('keeps serving other clients, and holds little memory, while one client never reads its responses', async () => {
    await log.createTopic('big', { partitions: 1 })
    const chunk = Buffer.alloc(100_000, 0x61)
    for (let i = 0; i < 10; i++) await log.append('big', [{ key: Buffer.from(`k${i}`), value: chunk }])
    const before = process.memoryUsage().arrayBuffers
    const stuck = await connect()
    stuck.socket.pause()
    // The kernel's socket buffers take a few answers; then the server holds the rest itself and stops.
    const paused = new Promise<number>((resolve) =>
      listener.events.on('slow-client', (_info, unsentBytes) => {
        if (unsentBytes > 0) resolve(unsentBytes)
      }),
    )
    // 300 fetches of about 1 MB each: 300 MB of answers if the server did not stop reading.
    const fetch = request(ApiKey.Fetch, 5, 1, (w) => {
      w.int32(-1)
        .int32(0)
        .int32(1)
        .int32(1024 * 1024)
        .int8(0)
      w.array(['big'], (t, name) =>
        t.string(name).array([0], (p, partition) =>
          p
            .int32(partition)
            .int64(0)
            .int64(-1)
            .int32(1024 * 1024),
        ),
      )
    })
    stuck.socket.write(Buffer.concat(Array.from({ length: 300 }, () => fetch)))
    expect(await paused).toBeGreaterThan(0)
    const producer = kafka.producer()
    await producer.connect()
    const [ack] = await producer.send({ topic: 'slow-reader', messages: [{ key: 'k', value: 'still served' }] })
    expect(ack!.errorCode).toBe(0)
    await producer.disconnect()
    expect((await kcatConsume(`127.0.0.1:${listener.port}`, 'big', 10)).length).toBe(10)
    expect(listener.unsentBytes()).toBeLessThan(8 * 1024 * 1024)
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024)
    stuck.socket.destroy()
  })

  it("sends a slow reader the bytes it was answered, while other fetches reuse the listener's read buffers", async () => {
    await log.createTopic('lent', { partitions: 1 })
    await log.createTopic('lent-other', { partitions: 1 })
    for (let i = 0; i < 80; i++) {
      await log.append('lent', [{ key: null, value: Buffer.alloc(100_000, i) }])
      await log.append('lent-other', [{ key: null, value: Buffer.alloc(100_000, 0xee) }])
    }
    const fetchOf = (topic: string, correlationId: number) =>
      request(ApiKey.Fetch, 5, correlationId, (w) => {
        w.int32(-1)
          .int32(0)
          .int32(1)
          .int32(16 * 1024 * 1024)
          .int8(0)
        w.array([topic], (t, name) =>
          t.string(name).array([0], (p, partition) =>
            p
              .int32(partition)
              .int64(0)
              .int64(-1)
              .int32(16 * 1024 * 1024),
          ),
        )
      })
    const stuck = await connect()
    stuck.socket.pause()
    const paused = new Promise<number>((resolve) =>
      listener.events.on('slow-client', (_info, unsentBytes) => {
        if (unsentBytes > 0) resolve(unsentBytes)
      }),
    )
    // An answer of 8 MB: more than the kernel's buffers take while nobody reads, so the listener holds the rest.
    stuck.socket.write(fetchOf('lent', 1))
    expect(await paused).toBeGreaterThan(0)
    // Meanwhile other fetches are read into the same pool, and would overwrite buffers lent too early.
    const other = await connect()
    for (let i = 0; i < 3; i++) {
      other.socket.write(fetchOf('lent-other', 10 + i))
      expect((await other.nextFrame())!.length).toBeGreaterThan(8_000_000)
    }
    other.socket.destroy()
    stuck.socket.resume()
    const frame = (await stuck.nextFrame())!
    const partition = decodeFetchResponse(new KafkaReader(frame.subarray(4)), 5).topics[0]!.partitions[0]!
    const records = partition.records[0]!
    const fills: number[] = []
    for (let at = 0; at < records.length; ) {
      const size = readBatchHeader(records, at).sizeBytes
      expect(checkBatch(records, at, at + size)).toBeUndefined()
      const batch = records.subarray(at, at + size)
      const decoded: StoredRecord[] = []
      decodeBatchRecords(batch, 'lent', 0, 0, decoded)
      fills.push(...decoded.map((record) => (record.value!.every((byte) => byte === record.value![0]) ? record.value![0]! : -1)))
      at += size
    }
    expect(fills).toEqual(Array.from({ length: 80 }, (_, i) => i))
    stuck.socket.destroy()
  })

  it('refuses connections beyond the limit without disturbing the ones it holds', async () => {
    const held = await Promise.all(Array.from({ length: 20 }, () => connect()))
    // Established connections (silent ones would make room for the newcomer: connection-limits.test.ts).
    for (const [i, connection] of held.entries()) {
      connection.socket.write(request(ApiKey.ApiVersions, 0, 100 + i))
      await connection.nextFrame()
    }
    const extra = await connect()
    await extra.closed
    held[0]!.socket.write(request(ApiKey.ApiVersions, 0, 5))
    expect(new KafkaReader((await held[0]!.nextFrame())!).int32()).toBe(5)
    held.forEach((c) => {
      c.socket.destroy()
    })
  })
})
