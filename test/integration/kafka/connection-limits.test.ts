/**
 * The listener's connection limits against real sockets: silent sockets are closed by the
 * pre-authentication timeout and make room for real clients (kcat and kafkajs keep producing and
 * consuming while 1,000 are open), idle connections are closed after connections.max.idle.ms, the
 * per-address cap refuses only beyond established connections, and half-sent large frames cannot
 * make the listener hold more than queued.max.request.bytes. Timeouts are made short through the
 * listener's options; the listener's own counters say what it closed and held.
 */
import net from 'node:net'
import { Kafka, logLevel } from 'kafkajs'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiKey } from '../../../core/kafka/protocol/api-keys.ts'
import { encodeRequestHeader } from '../../../core/kafka/protocol/request-header.ts'
import { KafkaWriter } from '../../../core/kafka/protocol/writer.ts'
import type { KafkaListenerOptions } from '../../../core/kafka/server/listener.ts'
import { startEmbeddedKafka, type EmbeddedKafka } from '../../support/embedded-kafka.ts'
import { kcatConsume, kcatProduce } from '../../support/kafka-clients.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { KafkaWireClient } from '../../support/kafka-wire-client.ts'
import { eventually } from '../../support/worker-harness.ts'
import { SaslUsers } from '../../../core/kafka/server/sasl-users.ts'

const MiB = 1024 * 1024

let kafka: EmbeddedKafka | undefined
const sockets: net.Socket[] = []

async function start(options: Omit<KafkaListenerOptions, 'log' | 'port'> = {}): Promise<EmbeddedKafka> {
  kafka = await startEmbeddedKafka({ ...options, logger: (await import('../../../core/logger.ts')).createLogger('kafka-limits-test') })
  return kafka
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  await kafka?.stop()
  kafka = undefined
})

interface RawSocket {
  readonly socket: net.Socket
  /** Resolves when the connection closes, whichever side closed it. */
  readonly closed: Promise<void>
  /** Resolves with the next chunk the server sends. */
  nextData(): Promise<Buffer>
}

async function openSocket(port: number): Promise<RawSocket> {
  const socket = net.connect(port, '127.0.0.1')
  sockets.push(socket)
  socket.on('error', () => undefined)
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  return { socket, closed, nextData: () => new Promise<Buffer>((resolve) => socket.once('data', resolve)) }
}

/** Opens a socket and has it establish itself with an ApiVersions request, answered. */
async function openSpoken(port: number): Promise<RawSocket> {
  const raw = await openSocket(port)
  const answered = raw.nextData()
  raw.socket.write(apiVersionsFrame())
  await answered
  return raw
}

function apiVersionsFrame(): Buffer {
  const writer = new KafkaWriter(false)
  encodeRequestHeader(writer, { apiKey: ApiKey.ApiVersions, apiVersion: 0, correlationId: 1, clientId: 'raw' })
  const body = writer.toBuffer()
  const size = Buffer.alloc(4)
  size.writeInt32BE(body.length)
  return Buffer.concat([size, body])
}

/** The first `sent` bytes of a frame announcing `size` bytes: the rest never comes. */
function partialFrame(size: number, sent: number): Buffer {
  const frame = Buffer.alloc(4 + sent, 7)
  frame.writeInt32BE(size, 0)
  return frame
}

function written(socket: net.Socket, data: Buffer): Promise<void> {
  return new Promise((resolve) => socket.write(data, () => resolve()))
}

describe('pre-authentication timeout', () => {
  it('closes sockets that never send a request; a client that spoke stays open', async () => {
    const { listener, port } = await start({ limits: { preAuthTimeoutMs: 200 } })
    const spoken = await KafkaWireClient.connect(port)
    await spoken.request(wireApis.apiVersions, 3, { clientSoftwareName: 'raw', clientSoftwareVersion: '1' })
    const silent = await Promise.all(Array.from({ length: 5 }, () => openSocket(port)))
    await Promise.all(silent.map((s) => s.closed))
    expect(listener.counters['pre-auth-timeout']).toBe(5)
    expect(spoken.isClosed).toBe(false)
    expect(
      (
        await spoken.request(wireApis.metadata, 12, {
          topics: null,
          allowAutoTopicCreation: false,
          includeTopicAuthorizedOperations: false,
        })
      ).brokers,
    ).toHaveLength(1)
    spoken.close()
  })

  it('with SASL, closes a connection that asked for ApiVersions but never authenticated', async () => {
    const { listener, port } = await start({
      sasl: { users: SaslUsers.fromPasswords({ alice: 's3cret' }) },
      limits: { preAuthTimeoutMs: 200 },
    })
    const unauthenticated = await KafkaWireClient.connect(port)
    await unauthenticated.request(wireApis.apiVersions, 3, { clientSoftwareName: 'raw', clientSoftwareVersion: '1' })
    const authenticated = await KafkaWireClient.connect(port)
    await authenticated.request(wireApis.saslHandshake, 1, { mechanism: 'PLAIN' })
    await authenticated.request(wireApis.saslAuthenticate, 2, { authBytes: Buffer.from('\u0000alice\u0000s3cret') })
    await unauthenticated.closed
    expect(listener.counters['pre-auth-timeout']).toBe(1)
    expect(
      (await authenticated.request(wireApis.apiVersions, 3, { clientSoftwareName: 'raw', clientSoftwareVersion: '1' })).errorCode,
    ).toBe(0)
    authenticated.close()
  })

  it('takes at most 512 KiB in a frame before the connection is established, the full size after', async () => {
    const { listener, port } = await start({ limits: { socketRequestMaxBytes: 4 * MiB, queuedMaxRequestBytes: 4 * MiB } })
    const stranger = await openSocket(port)
    stranger.socket.write(partialFrame(2 * MiB, 16))
    await stranger.closed
    expect(listener.counters.protocol).toBe(1)
    const client = await openSpoken(port)
    await written(client.socket, partialFrame(2 * MiB, MiB))
    await eventually(
      () => listener.bufferedBytes,
      (bytes) => bytes >= MiB,
    )
    expect(client.socket.destroyed).toBe(false)
  })
})

describe('connections.max.idle.ms', () => {
  it('closes a connection with nothing to do, but not one waiting on a long poll', async () => {
    const { listener, port, log } = await start({ limits: { connectionsMaxIdleMs: 300 } })
    await log.createTopic('quiet', { partitions: 1 })
    const idle = await KafkaWireClient.connect(port)
    await idle.request(wireApis.apiVersions, 3, { clientSoftwareName: 'raw', clientSoftwareVersion: '1' })
    const polling = await KafkaWireClient.connect(port)
    const started = Date.now()
    const fetched = await polling.request(wireApis.fetch, 11, {
      replicaId: -1,
      maxWaitMs: 1000,
      minBytes: 1,
      maxBytes: MiB,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      rackId: '',
      topics: [
        {
          topic: 'quiet',
          topicId: Buffer.alloc(16),
          partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, partitionMaxBytes: MiB }],
        },
      ],
    })
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(fetched.topics[0]!.partitions[0]!.errorCode).toBe(0)
    await idle.closed
    await polling.closed
    expect(listener.counters.idle).toBe(2)
  })
})

describe('max.connections and max.connections.per.ip', () => {
  it('1,000 silent sockets do not lock out kcat and kafkajs: newcomers take the place of the oldest silent ones', async () => {
    // A long pre-authentication timeout: the clients get in by making room, not by waiting.
    const { listener, port } = await start({ limits: { preAuthTimeoutMs: 120_000 } })
    const silent = await Promise.all(Array.from({ length: 1000 }, () => openSocket(port)))
    expect(listener.connectionCount).toBeLessThanOrEqual(listener.limits.maxConnectionsPerIp)
    const bootstrap = `127.0.0.1:${port}`
    await kcatProduce(bootstrap, 'orders', [{ key: 'k1', value: 'from kcat' }])
    const producer = new Kafka({ clientId: 'real', brokers: [bootstrap], logLevel: logLevel.NOTHING }).producer()
    await producer.connect()
    await producer.send({ topic: 'orders', messages: [{ key: 'k2', value: 'from kafkajs' }] })
    await producer.disconnect()
    expect((await kcatConsume(bootstrap, 'orders', 2)).map((r) => r.value)).toEqual(['from kcat', 'from kafkajs'])
    expect(listener.counters.evicted).toBeGreaterThanOrEqual(500)
    expect(listener.counters['refused-total'] + listener.counters['refused-per-ip']).toBe(0)
    expect(silent.filter((s) => !s.socket.destroyed).length).toBeGreaterThan(0)
  })

  it('refuses a connection beyond the per-address cap only when every one there is established', async () => {
    const { listener, port } = await start({ limits: { maxConnectionsPerIp: 3 } })
    const spoken = await Promise.all(Array.from({ length: 3 }, () => openSpoken(port)))
    const refused = await openSocket(port)
    await refused.closed
    expect(listener.counters['refused-per-ip']).toBe(1)
    spoken[0]!.socket.destroy()
    await spoken[0]!.closed
    await eventually(
      () => listener.connectionCount,
      (count) => count === 2,
    )
    const admitted = await openSpoken(port)
    expect(admitted.socket.destroyed).toBe(false)
    expect(spoken.slice(1).every((s) => !s.socket.destroyed)).toBe(true)
  })
})

describe('queued.max.request.bytes', () => {
  it('three connections each holding a 60 MiB half-sent frame: the listener never holds more than its budget', async () => {
    const { listener, port } = await start()
    expect(listener.limits.queuedMaxRequestBytes).toBe(100 * MiB)
    const holders: RawSocket[] = []
    for (let i = 0; i < 3; i++) {
      const holder = await openSpoken(port)
      holders.push(holder)
      await written(holder.socket, partialFrame(80 * MiB, 60 * MiB))
      // Each newcomer pushes the total over budget: the one whose frame has waited longest is closed.
      if (i > 0) await holders[i - 1]!.closed
      await eventually(
        () => listener.bufferedBytes,
        (bytes) => bytes >= 60 * MiB,
      )
    }
    // Over by at most the one socket read that tipped it (64 KiB), as the bytes are counted when they arrive.
    expect(listener.peakBufferedBytes).toBeLessThanOrEqual(100 * MiB + 64 * 1024)
    expect(listener.counters['buffer-budget']).toBe(2)
    expect(holders[2]!.socket.destroyed).toBe(false)
    // Real clients are served meanwhile.
    await kcatProduce(`127.0.0.1:${port}`, 'orders', [{ key: 'k', value: 'v' }])
    holders[2]!.socket.destroy()
    await eventually(
      () => listener.bufferedBytes,
      (bytes) => bytes === 0,
    )
  })
})
