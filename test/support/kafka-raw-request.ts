/**
 * Kafka requests over a bare socket, with no client library: each request is framed from
 * encodeRequestHeader and one of our encoders, and each response frame is decoded with our decoder.
 * It reaches any API at any version without Metadata, and lets a test see exactly what the server
 * does on the wire: frames without a Kafka header (legacy SASL tokens), and when it closes.
 */
import net from 'node:net'
import { ApiKey } from '../../core/kafka/protocol/api-keys.ts'
import { KafkaReader } from '../../core/kafka/protocol/reader.ts'
import { encodeRequestHeader } from '../../core/kafka/protocol/request-header.ts'
import { KafkaWriter } from '../../core/kafka/protocol/writer.ts'
import { FrameDecoder } from '../../core/kafka/server/frame-decoder.ts'

/** One API's client side: its key, the first flexible version, a request encoder and a response decoder. */
export interface RawApi<Req, Res> {
  readonly apiKey: number
  readonly versions: { readonly flexibleFrom: number }
  encodeRequest(writer: KafkaWriter, version: number, request: Req): void
  decodeResponse(reader: KafkaReader, version: number): Res
}

export class RawKafkaConnection {
  private readonly socket: net.Socket
  private readonly frames = new FrameDecoder(64 * 1024 * 1024)
  private readonly received: Buffer[] = []
  private waiting: { resolve: (frame: Buffer) => void; reject: (error: Error) => void } | undefined
  private nextCorrelationId = 1
  /** Resolves when the server closes the connection (or it fails). */
  readonly closed: Promise<void>
  isClosed = false

  private constructor(socket: net.Socket) {
    this.socket = socket
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.frames.push(chunk)) this.deliver(frame)
    })
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.isClosed = true
        this.waiting?.reject(new Error('the server closed the connection'))
        this.waiting = undefined
        resolve()
      })
    })
    socket.on('error', () => undefined)
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawKafkaConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host }, () => {
        socket.off('error', reject)
        resolve(new RawKafkaConnection(socket))
      })
      socket.once('error', reject)
    })
  }

  /** Sends one request and decodes the response to it. */
  async request<Req, Res>(api: RawApi<Req, Res>, version: number, request: Req): Promise<Res> {
    const correlationId = this.nextCorrelationId++
    this.sendRequest(api, version, request, correlationId)
    const flexible = version >= api.versions.flexibleFrom
    const reader = new KafkaReader(await this.readFrame(), flexible)
    const answered = reader.int32()
    if (answered !== correlationId) throw new Error(`response to correlation id ${answered}, expected ${correlationId}`)
    // Flexible responses carry a header tag buffer, except ApiVersions'.
    if (flexible && api.apiKey !== ApiKey.ApiVersions) reader.taggedFields()
    const response = api.decodeResponse(reader, version)
    if (reader.remaining !== 0) throw new Error(`${reader.remaining} bytes left after the response`)
    return response
  }

  /** Sends a request without waiting for its response. */
  sendRequest<Req>(api: RawApi<Req, unknown>, version: number, request: Req, correlationId = this.nextCorrelationId++): void {
    const writer = new KafkaWriter(version >= api.versions.flexibleFrom)
    encodeRequestHeader(writer, { apiKey: api.apiKey, apiVersion: version, correlationId, clientId: 'raw-test' })
    api.encodeRequest(writer, version, request)
    this.sendFrame(writer.toBuffer())
  }

  /** Writes `body` as one frame: its int32 size, then the bytes. */
  sendFrame(body: Buffer): void {
    const size = Buffer.alloc(4)
    size.writeInt32BE(body.length)
    this.socket.write(Buffer.concat([size, body]))
  }

  /** The body of the next frame the server sends; rejects if the server closes first. */
  readFrame(): Promise<Buffer> {
    const frame = this.received.shift()
    if (frame) return Promise.resolve(frame)
    if (this.isClosed) return Promise.reject(new Error('the server closed the connection'))
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject }
    })
  }

  close(): void {
    this.socket.destroy()
  }

  private deliver(frame: Buffer): void {
    const copy = Buffer.from(frame)
    if (this.waiting) {
      const { resolve } = this.waiting
      this.waiting = undefined
      resolve(copy)
    } else {
      this.received.push(copy)
    }
  }
}

/** Connects, sends one request, decodes its response and disconnects. */
export async function kafkaRawRequest<Req, Res>(port: number, api: RawApi<Req, Res>, version: number, request: Req): Promise<Res> {
  const connection = await RawKafkaConnection.connect(port)
  try {
    return await connection.request(api, version, request)
  } finally {
    connection.close()
  }
}
