/**
 * A bare Kafka client for tests: one socket, requests framed with our request header and a codec's
 * request encoder, responses matched by correlation id and read with the codec's response decoder.
 * It speaks exactly the version it is told to, so a test can drive every API at every version
 * without Metadata, and see what the server does on the wire: frames without a Kafka header
 * (legacy SASL tokens), and when it closes.
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
  readonly read: (frame: Buffer) => unknown
  readonly resolve: (value: unknown) => void
  readonly reject: (error: Error) => void
}

export class KafkaWireClient {
  readonly clientId: string
  /** Resolves when the connection closes, whichever side closed it. */
  readonly closed: Promise<void>
  private readonly socket: net.Socket
  private readonly frames = new FrameDecoder(64 * 1024 * 1024)
  private readonly pending = new Map<number, Pending>()
  /** Frames owed to readFrame: answers to sendFrame and sendRequest, which nothing decodes. */
  private rawFramesOwed = 0
  private readonly rawFrames: Buffer[] = []
  private rawReader: Omit<Pending, 'read'> | undefined
  private nextCorrelationId = 1
  private closeReason: Error | undefined

  private constructor(socket: net.Socket, clientId: string) {
    this.socket = socket
    this.clientId = clientId
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.frames.push(chunk)) this.onFrame(Buffer.from(frame))
    })
    // An error (a reset, say) is always followed by 'close'; waiters learn of both then, as a close.
    let error: Error | undefined
    socket.on('error', (e) => (error = e))
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.closeReason = new Error(`the connection closed${error ? `: ${error.message}` : ''}`)
        this.failAll(this.closeReason)
        resolve()
      })
    })
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
  request<Req, Res>(api: WireApi<Req, Res>, v: number, request: Req): Promise<Res> {
    const correlationId = this.nextCorrelationId++
    const flexible = v >= api.versions.flexibleFrom
    return new Promise<Res>((resolve, reject) => {
      if (this.closeReason) return reject(this.closeReason)
      const read = (frame: Buffer): Res => {
        const body = new KafkaReader(frame, flexible, 4)
        // Every flexible response has header v1 (a tag section), except ApiVersions.
        if (flexible && api.apiKey !== ApiKey.ApiVersions) body.taggedFields()
        const response = api.decodeResponse(body, v)
        if (body.remaining !== 0) throw new Error(`${body.remaining} bytes after the response`)
        return response
      }
      this.pending.set(correlationId, { read, resolve: resolve as (value: unknown) => void, reject })
      this.socket.write(frameOf(requestBody(api, v, request, correlationId, this.clientId)))
    })
  }

  /** Sends a request whose answer, if any, readFrame returns undecoded. */
  sendRequest<Req>(api: WireApi<Req, unknown>, v: number, request: Req): void {
    this.sendFrame(requestBody(api, v, request, this.nextCorrelationId++, this.clientId))
  }

  /** Writes `body` as one frame with no Kafka header, as legacy (v0 handshake) SASL tokens go. */
  sendFrame(body: Buffer): void {
    this.rawFramesOwed++
    this.socket.write(frameOf(body))
  }

  /** The body of the next frame answering sendFrame or sendRequest; rejects if the connection closes first. */
  readFrame(): Promise<Buffer> {
    const frame = this.rawFrames.shift()
    if (frame) return Promise.resolve(frame)
    if (this.closeReason) return Promise.reject(this.closeReason)
    return new Promise((resolve, reject) => {
      this.rawReader = { resolve: resolve as (value: unknown) => void, reject }
    })
  }

  /** True once the connection has closed. */
  get isClosed(): boolean {
    return this.socket.destroyed || this.socket.readyState === 'closed'
  }

  close(): void {
    this.socket.destroy()
  }

  private onFrame(frame: Buffer): void {
    const waiting = frame.length >= 4 ? this.pending.get(frame.readInt32BE(0)) : undefined
    if (waiting) {
      this.pending.delete(frame.readInt32BE(0))
      try {
        waiting.resolve(waiting.read(frame))
      } catch (error) {
        waiting.reject(error as Error)
      }
    } else if (this.rawFramesOwed > 0) {
      this.rawFramesOwed--
      const reader = this.rawReader
      this.rawReader = undefined
      if (reader) reader.resolve(frame)
      else this.rawFrames.push(frame)
    } else {
      // A response nobody asked for means the server mixed up correlation ids: fail loudly.
      this.socket.destroy(new Error(`a frame nothing is waiting for (correlation id ${frame.length >= 4 ? frame.readInt32BE(0) : 'none'})`))
    }
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error)
    this.pending.clear()
    this.rawReader?.reject(error)
    this.rawReader = undefined
  }
}

function requestBody<Req>(api: WireApi<Req, unknown>, v: number, request: Req, correlationId: number, clientId: string): Buffer {
  const writer = new KafkaWriter(v >= api.versions.flexibleFrom)
  encodeRequestHeader(writer, { apiKey: api.apiKey, apiVersion: v, correlationId, clientId })
  api.encodeRequest(writer, v, request)
  return writer.toBuffer()
}

/** `body` behind its int32 size. */
function frameOf(body: Buffer): Buffer {
  const size = Buffer.alloc(4)
  size.writeInt32BE(body.length)
  return Buffer.concat([size, body])
}
