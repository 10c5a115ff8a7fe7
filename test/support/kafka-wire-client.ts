/**
 * A bare Kafka client for tests: one socket, requests framed with our request header and a codec's
 * request encoder, responses matched by correlation id and read with the codec's response decoder.
 * It speaks exactly the version it is told to, so a test can drive every version of an API.
 */
import net from 'node:net'
import { ApiKey } from '../../core/kafka/protocol/api-keys.ts'
import { KafkaReader } from '../../core/kafka/protocol/reader.ts'
import { encodeRequestHeader } from '../../core/kafka/protocol/request-header.ts'
import { KafkaWriter } from '../../core/kafka/protocol/writer.ts'
import { FrameDecoder } from '../../core/kafka/server/frame-decoder.ts'

/** One API as a client sees it: its key, versions, request encoder and response decoder. */
export interface WireApi<Req, Res> {
  readonly apiKey: number
  readonly versions: { readonly flexibleFrom: number }
  readonly encodeRequest: (w: KafkaWriter, v: number, request: Req) => void
  readonly decodeResponse: (r: KafkaReader, v: number) => Res
}

interface Pending {
  readonly read: (body: KafkaReader) => unknown
  readonly flexible: boolean
  readonly hasHeaderTags: boolean
  readonly resolve: (value: unknown) => void
  readonly reject: (error: Error) => void
}

export class KafkaWireClient {
  readonly clientId: string
  private readonly socket: net.Socket
  private readonly frames = new FrameDecoder(64 * 1024 * 1024)
  private readonly pending = new Map<number, Pending>()
  private nextCorrelationId = 1

  private constructor(socket: net.Socket, clientId: string) {
    this.socket = socket
    this.clientId = clientId
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.frames.push(chunk)) this.onFrame(frame)
    })
    socket.on('close', () => this.failAll(new Error('the connection closed')))
    socket.on('error', (error) => this.failAll(error))
  }

  static connect(port: number, clientId = 'wire-client', host = '127.0.0.1'): Promise<KafkaWireClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host }, () => {
        socket.off('error', reject)
        resolve(new KafkaWireClient(socket, clientId))
      })
      socket.once('error', reject)
    })
  }

  /** Sends one request at version `v` and resolves with the decoded response. */
  send<Req, Res>(api: WireApi<Req, Res>, v: number, request: Req): Promise<Res> {
    const correlationId = this.nextCorrelationId++
    const flexible = v >= api.versions.flexibleFrom
    const writer = new KafkaWriter(flexible)
    writer.int32(0) // the frame size, filled in below
    encodeRequestHeader(writer, { apiKey: api.apiKey, apiVersion: v, correlationId, clientId: this.clientId })
    api.encodeRequest(writer, v, request)
    const frame = writer.toBuffer()
    frame.writeInt32BE(frame.length - 4, 0)
    return new Promise<Res>((resolve, reject) => {
      this.pending.set(correlationId, {
        read: (body) => api.decodeResponse(body, v),
        flexible,
        // Every flexible response has header v1 (a tag section), except ApiVersions.
        hasHeaderTags: flexible && api.apiKey !== ApiKey.ApiVersions,
        resolve: resolve as (value: unknown) => void,
        reject,
      })
      this.socket.write(frame)
    })
  }

  /** True once the server has closed this connection. */
  get isClosed(): boolean {
    return this.socket.destroyed || this.socket.readyState === 'closed'
  }

  close(): void {
    this.socket.destroy()
  }

  private onFrame(frame: Buffer): void {
    const correlationId = frame.readInt32BE(0)
    const waiting = this.pending.get(correlationId)
    if (!waiting) {
      this.socket.destroy(new Error(`a response to correlation id ${correlationId}, which no request is waiting for`))
      return
    }
    this.pending.delete(correlationId)
    try {
      const body = new KafkaReader(frame, waiting.flexible, 4)
      if (waiting.hasHeaderTags) body.taggedFields()
      const response = waiting.read(body)
      if (body.remaining !== 0) throw new Error(`${body.remaining} bytes after the response`)
      waiting.resolve(response)
    } catch (error) {
      waiting.reject(error as Error)
    }
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error)
    this.pending.clear()
  }
}
