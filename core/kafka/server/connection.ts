/**
 * One client socket. Requests are answered in order, as a Kafka broker does (a client may send many;
 * it matches responses by correlation id, and ordering is what it expects), and served one at a
 * time, except that a pipelined API (produce) lets the next request start while its answer waits
 * for the disk, so a client's requests in flight share fsyncs instead of taking one each.
 * Reading pauses while requests queue up or the client is slow to take responses, so one slow client
 * holds only its own memory. A malformed or oversized frame, an unknown API or version closes this
 * connection with a log line and touches no other. When the listener has SASL users, every frame
 * goes through sasl-session.ts until the client has authenticated.
 * Until it has established itself (authenticated with SASL, else sent a first request) a connection
 * may send frames of 512 KiB at most, and it is closed if that takes longer than the
 * pre-authentication timeout; afterwards it is closed when idle for connections.max.idle.ms. The
 * bytes it holds for requests not yet served count against the listener's buffer budget.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Socket } from 'node:net'
import { TLSSocket } from 'node:tls'
import { TributaryError } from '../../errors.ts'
import { apiName, ApiKey } from '../protocol/api-keys.ts'
import { encodeApiVersionsResponse } from '../protocol/apis/api-versions.ts'
import { KafkaError } from '../protocol/error-codes.ts'
import { decodeRequestHeader, startResponse, type RequestHeader } from '../protocol/request-header.ts'
import { isFlexibleVersion, type AnyApiHandler } from './api-handler.ts'
import type { ConnectionInfo } from './connection-info.ts'
import type { Broker } from './broker.ts'
import { RequestQueue } from './request-queue.ts'
import { SASL_MAX_RECEIVE_BYTES, SaslSession, type SaslOptions } from './sasl-session.ts'
import { ANONYMOUS_PRINCIPAL, type Session } from './auth/authorizer.ts'
import type { BudgetHolder, BufferBudget } from './buffer-budget.ts'
import type { AdmittedConnection } from './connection-admission.ts'
import { ConnectionTimers, type TimedConnection } from './connection-timers.ts'

export interface ConnectionOptions {
  readonly maxFrameBytes: number
  readonly handlers: ReadonlyMap<number, AnyApiHandler>
  /** The supported versions ApiVersions advertises. */
  readonly advertisedVersions: ReadonlyArray<{ apiKey: number; minVersion: number; maxVersion: number }>
  /** Told when this connection stops reading because its client is slow to take responses. */
  readonly onSlowClient?: (info: ConnectionInfo, unsentBytes: number) => void
  /** Writes each request and response frame here (`TRB_DEBUG_FRAMES`), to capture test fixtures. */
  readonly debugFramesDir?: string | undefined
  /** When set, a client must authenticate (SASL PLAIN or SCRAM) before anything but ApiVersions. */
  readonly sasl?: SaslOptions | undefined
  /** A connection not established (authenticated, or without SASL a first request sent) by then is closed. */
  readonly preAuthTimeoutMs: number
  /** Kafka's connections.max.idle.ms: a connection with nothing to do for this long is closed. */
  readonly idleTimeoutMs: number
  /** Kafka's queued.max.request.bytes, shared by every connection of the listener. */
  readonly budget: BufferBudget
  /** Told once, as the connection closes, whichever side closed it. */
  readonly onClose?: (connection: Connection) => void
}

/** Why the listener closed a connection, for its counters; undefined when the client closed it. */
export type CloseReason = 'pre-auth-timeout' | 'idle' | 'evicted' | 'buffer-budget' | 'protocol' | 'shutdown'

/** Pipelined answers waiting for their turn before serving stops until they have gone out. */
const MAX_PENDING_ANSWERS = 32

export class Connection implements BudgetHolder, AdmittedConnection, TimedConnection {
  readonly info: ConnectionInfo
  /** The client's address, without the IPv4-mapped prefix. */
  readonly ip: string
  /** The verified client certificate's subject as Kafka names it (`CN=alice,O=Example`), with mutual TLS. */
  private readonly certificateSubject: string | undefined
  closeReason: CloseReason | undefined
  private readonly socket: Socket
  private readonly broker: Broker
  private readonly options: ConnectionOptions
  private readonly sasl: SaslSession | undefined
  private readonly queue: RequestQueue
  private readonly closed = new AbortController()
  private processing = false
  /** Pipelined answers not yet sent: each goes out after the one before it. */
  private pendingAnswers: Promise<void> = Promise.resolve()
  private pendingCount = 0
  private established = false
  private finished = false
  private readonly timers: ConnectionTimers

  constructor(id: number, socket: Socket, broker: Broker, options: ConnectionOptions) {
    this.socket = socket
    this.broker = broker
    this.options = options
    this.sasl = options.sasl ? new SaslSession(options.sasl) : undefined
    this.ip = (socket.remoteAddress ?? '').replace(/^::ffff:/, '')
    this.certificateSubject = socket instanceof TLSSocket && socket.authorized ? certificateSubject(socket) : undefined
    // As Kafka does with SASL, a client that has not established itself may not make the broker buffer large frames.
    this.queue = new RequestQueue(Math.min(SASL_MAX_RECEIVE_BYTES, options.maxFrameBytes))
    this.timers = new ConnectionTimers(this, options)
    this.info = {
      id,
      remoteAddress: `${socket.remoteAddress}:${socket.remotePort}`,
      localAddress: socket.localAddress ?? '127.0.0.1',
      localPort: socket.localPort ?? 0,
    }
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('drain', () => this.resumeIfIdle())
    socket.on('error', (error) =>
      this.broker.logger.debug({ err: error, connection: this.info.remoteAddress }, 'Kafka client socket error'),
    )
    socket.on('close', () => this.finish())
  }

  get unsentBytes(): number {
    return this.socket.writableLength
  }

  get signal(): AbortSignal {
    return this.closed.signal
  }

  /** Authenticated (with SASL) or past its first request (without). */
  get isEstablished(): boolean {
    return this.established
  }

  /** Bytes held for requests not yet served: the frame arriving and those queued. */
  get bufferedBytes(): number {
    return this.queue.bufferedBytes
  }

  close(reason: CloseReason = 'shutdown'): void {
    this.closeReason ??= reason
    this.finish()
    this.socket.destroy()
  }

  /** Closed to make room for a new connection: this one never established itself. */
  evict(): void {
    this.broker.logger.debug(
      { connection: this.info.remoteAddress },
      'closing a Kafka connection that never established itself, to make room for a new one',
    )
    this.close('evicted')
  }

  /** Closed because its frame has waited longest when the listener's buffered requests went over budget. */
  evictForBuffer(): void {
    this.broker.logger.warn(
      { connection: this.info.remoteAddress, bufferedBytes: this.bufferedBytes },
      'closing the Kafka connection whose request has waited longest: buffered requests are over queued.max.request.bytes',
    )
    this.close('buffer-budget')
  }

  /** Once, however the connection ends: stops the timers and gives its buffered bytes back. */
  private finish(): void {
    if (this.finished) return
    this.finished = true
    this.closed.abort()
    this.timers.stop()
    this.queue.clear()
    this.options.budget.set(this, 0)
    this.options.onClose?.(this)
  }

  private establish(): void {
    if (this.established) return
    this.established = true
    this.timers.established()
    this.queue.maxFrameBytes = this.options.maxFrameBytes
  }

  isBusy(): boolean {
    return this.processing || this.pendingCount > 0 || this.queue.length > 0 || this.socket.writableLength > 0
  }

  expire(reason: 'pre-auth-timeout' | 'idle'): void {
    if (this.finished || (reason === 'pre-auth-timeout' && this.established)) return
    const why =
      reason === 'idle'
        ? 'was idle for connections.max.idle.ms'
        : `did not ${this.sasl ? 'authenticate' : 'send a request'} within the pre-authentication timeout`
    this.broker.logger.debug({ connection: this.info.remoteAddress }, `closing a Kafka connection that ${why}`)
    this.close(reason)
  }

  /** Kafka's principal: the SASL user, else the client certificate's subject (mutual TLS), else User:ANONYMOUS. */
  private session(): Session {
    const user = this.sasl?.user ?? this.certificateSubject
    return { principal: user === undefined ? ANONYMOUS_PRINCIPAL : `User:${user}`, host: this.ip }
  }

  private onData(chunk: Buffer): void {
    this.timers.touch()
    let completed: number
    try {
      completed = this.queue.push(chunk)
    } catch (error) {
      this.fail(error, undefined)
      return
    }
    if (!this.sasl && completed > 0) this.establish()
    // May close this very connection, when its frame is the one that has waited longest.
    this.options.budget.set(this, this.bufferedBytes, completed > 0)
    if (this.finished) return
    if (this.queue.isFull()) this.socket.pause()
    if (!this.processing) void this.drainQueue()
  }

  private async drainQueue(): Promise<void> {
    this.processing = true
    try {
      while (this.queue.length > 0 && !this.closed.signal.aborted) {
        // Answer nothing more until the client has taken what was already sent.
        if (this.socket.writableNeedDrain) await this.drained()
        const frame = this.queue.shift()
        if (frame === undefined) continue
        this.options.budget.set(this, this.bufferedBytes)
        await this.serve(frame)
      }
    } finally {
      this.processing = false
      this.resumeIfIdle()
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done)
        this.socket.off('close', done)
        resolve()
      }
      this.socket.on('drain', done)
      this.socket.on('close', done)
    })
  }

  private resumeIfIdle(): void {
    if (!this.queue.isFull() && !this.socket.writableNeedDrain && !this.closed.signal.aborted) this.socket.resume()
  }

  private async serve(frame: Buffer): Promise<void> {
    let header: RequestHeader | undefined
    const answered: Array<() => void> = []
    const done = (): void => {
      for (const callback of answered.splice(0)) callback()
    }
    try {
      if (this.sasl && !this.sasl.isAuthenticated && !this.authenticate(this.sasl, frame)) return
      const decoded = decodeRequestHeader(frame, (apiKey, version) => {
        // A version above the range is read with the oldest header, as Kafka does, so that an
        // ApiVersions from a newer client still gets its UNSUPPORTED_VERSION answer.
        const handler = this.options.handlers.get(apiKey)
        return handler !== undefined && version <= handler.versions.max && isFlexibleVersion(handler.versions, version)
      })
      header = decoded.header
      this.debugFrame(header, 'request', [frame])
      const handler = this.options.handlers.get(header.apiKey)
      if (!handler || header.apiVersion < handler.versions.min || header.apiVersion > handler.versions.max) {
        if (header.apiKey === ApiKey.ApiVersions) return this.answerUnsupportedApiVersions(header)
        throw new TributaryError('TRB_PROTOCOL_UNSUPPORTED', `${apiName(header.apiKey)} v${header.apiVersion} is not supported`, {
          details: { apiKey: header.apiKey, apiVersion: header.apiVersion },
        })
      }
      const request = handler.decodeRequest(decoded.body, header.apiVersion)
      if (decoded.body.remaining !== 0) {
        throw new TributaryError(
          'TRB_PROTOCOL_FRAME',
          `${apiName(header.apiKey)} v${header.apiVersion} request has ${decoded.body.remaining} bytes after its end`,
        )
      }
      const onAnswered = (callback: () => void): void => {
        answered.push(callback)
      }
      const context = {
        broker: this.broker,
        header,
        connection: this.info,
        signal: this.closed.signal,
        session: this.session(),
        onAnswered,
      }
      if (handler.pipelined) return await this.pipeline(handler, header, handler.handle(request, context), done)
      // Anything else is served once every earlier answer has gone out, as if served one at a time.
      await this.pendingAnswers
      this.answer(handler, header, await handler.handle(request, context), done)
    } catch (error) {
      done()
      this.fail(error, header)
    }
  }

  /** Queues an answer behind the pending ones; waits only when too many are pending. */
  private async pipeline(handler: AnyApiHandler, header: RequestHeader, response: Promise<unknown>, done: () => void): Promise<void> {
    const previous = this.pendingAnswers
    this.pendingCount++
    this.pendingAnswers = (async () => {
      try {
        const [answer] = await Promise.all([response, previous])
        this.answer(handler, header, answer, done)
      } catch (error) {
        done()
        this.fail(error, header)
      } finally {
        this.pendingCount--
      }
    })()
    if (this.pendingCount >= MAX_PENDING_ANSWERS) await this.pendingAnswers
  }

  /** Sends the answer; `sent` runs once the socket is done with its bytes (at once when nothing is sent). */
  private answer(handler: AnyApiHandler, header: RequestHeader, response: unknown, sent: () => void): void {
    if (response === undefined || this.closed.signal.aborted) {
      sent()
      return
    }
    const writer = startResponse(header.correlationId, header.apiKey, isFlexibleVersion(handler.versions, header.apiVersion))
    handler.encodeResponse(writer, header.apiVersion, response)
    this.send(header, writer.chunks(), sent)
  }

  /** Serves a frame received before SASL completed; true when it is a request to serve as usual. */
  private authenticate(sasl: SaslSession, frame: Buffer): boolean {
    const step = sasl.receive(frame)
    if (step.kind === 'serve') return true
    if (step.response) this.send(step.header, step.response)
    if (step.failure) {
      this.broker.logger.warn(
        { connection: this.info.remoteAddress, clientId: step.header?.clientId, reason: step.failure.message },
        'closing a Kafka connection that failed SASL authentication',
      )
      // The client reads why before the connection ends.
      this.closed.abort()
      this.socket.end(() => this.socket.destroy())
    } else if (sasl.isAuthenticated) {
      this.establish()
      this.broker.logger.debug({ connection: this.info.remoteAddress, user: sasl.user }, 'a Kafka client authenticated')
    }
    return false
  }

  /** KIP-511: a version this broker does not know gets a v0 answer listing the versions it does. */
  private answerUnsupportedApiVersions(header: RequestHeader): void {
    const writer = startResponse(header.correlationId, header.apiKey, false)
    encodeApiVersionsResponse(writer, 0, {
      errorCode: KafkaError.UNSUPPORTED_VERSION,
      apiKeys: this.options.advertisedVersions,
      throttleTimeMs: 0,
    })
    this.send(header, writer.chunks())
  }

  /**
   * Writes one response frame; a legacy SASL token has no header. `written` runs once the socket has
   * written the frame or given up on it (the connection closed), never before.
   */
  private send(header: RequestHeader | undefined, chunks: readonly Buffer[], written?: () => void): void {
    if (this.closed.signal.aborted) {
      written?.()
      return
    }
    this.timers.touch()
    let size = 0
    for (const chunk of chunks) size += chunk.length
    const prefix = Buffer.allocUnsafe(4)
    prefix.writeInt32BE(size, 0)
    if (header) this.debugFrame(header, 'response', chunks)
    this.socket.cork()
    this.socket.write(prefix, chunks.length === 0 && written ? () => written() : undefined)
    for (const [i, chunk] of chunks.entries()) this.socket.write(chunk, i === chunks.length - 1 && written ? () => written() : undefined)
    this.socket.uncork()
    if (this.socket.writableNeedDrain) {
      this.socket.pause()
      this.options.onSlowClient?.(this.info, this.socket.writableLength)
    }
  }

  private fail(error: unknown, header: RequestHeader | undefined): void {
    const api = header ? `${apiName(header.apiKey)} v${header.apiVersion}` : undefined
    if (error instanceof TributaryError && (error.code === 'TRB_PROTOCOL_FRAME' || error.code === 'TRB_PROTOCOL_UNSUPPORTED')) {
      this.broker.logger.warn(
        { connection: this.info.remoteAddress, clientId: header?.clientId, api, code: error.code, reason: error.message },
        'closing a Kafka connection that sent a request it cannot serve',
      )
    } else {
      this.broker.logger.error(
        { err: error, connection: this.info.remoteAddress, clientId: header?.clientId, api },
        'closing a Kafka connection after a request failed unexpectedly',
      )
    }
    this.close('protocol')
  }

  private debugFrame(header: RequestHeader, kind: 'request' | 'response', chunks: readonly Buffer[]): void {
    const dir = this.options.debugFramesDir
    if (!dir) return
    const client = (header.clientId ?? 'client').replace(/[^A-Za-z0-9_.-]/g, '_')
    const name = `${client}-${apiName(header.apiKey)}-v${header.apiVersion}-${header.correlationId}.${kind}.bin`
    fs.writeFileSync(path.join(dir, name), Buffer.concat(chunks as Buffer[]))
  }
}

/** The peer certificate's subject most specific first, as Java's X500Principal.getName() writes it. */
function certificateSubject(socket: TLSSocket): string | undefined {
  const subject = socket.getPeerCertificate().subject as Record<string, string | string[]> | undefined
  if (subject === undefined) return undefined
  const parts = Object.entries(subject).flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${key}=${v}`))
  return parts.length === 0 ? undefined : parts.reverse().join(',')
}
