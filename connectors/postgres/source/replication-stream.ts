/**
 * A logical replication stream over a `pg` connection in replication mode: START_REPLICATION with
 * pgoutput, XLogData decoded as it arrives, keepalives answered, and standby status updates that
 * confirm only the LSN the caller says is safe (durable in the log), so the server never releases
 * WAL that Tributary still needs. The socket is paused while too much is buffered (backpressure).
 */
import pg from 'pg'
import { Wakeup } from '../../../core/runtime/plugin.ts'
import { quoteIdentifier } from '../shared/quote.ts'
import { formatLsn, type Lsn } from './lsn.ts'
import { decodePgOutput, pgTimestampNow, type PgOutputMessage } from './pgoutput.ts'

export interface ReplicationStreamOptions {
  readonly connectionString: string
  readonly slot: string
  readonly publication: string
  /** Resume from here; the server starts at the slot's confirmed position when it is later. */
  readonly startLsn: Lsn
  /**
   * What is durable downstream already, the position status updates confirm until told more; the
   * start point by default. Lower when a stream restarts past records still on their way.
   */
  readonly confirmedLsn?: Lsn
  readonly protoVersion?: 1 | 2
  /** Stream large in-progress transactions (protocol 2) instead of spilling them on the server. */
  readonly streaming?: boolean
  readonly statusIntervalMs?: number
  /** Pause reading when this many messages wait. */
  readonly maxBuffered?: number
  /**
   * True when everything taken from this stream is durable downstream. The server's keepalives that
   * ask for a reply are then answered with its own position: a server shutting down waits for that.
   */
  readonly isDrained?: () => boolean
}

export interface ReplicationEvent {
  /** The WAL position of this message's data. */
  readonly lsn: Lsn
  readonly message: PgOutputMessage
}

const KEEPALIVE = 0x6b // 'k'
const XLOG_DATA = 0x77 // 'w'

/** The parts of pg's connection the replication protocol needs, which its types leave out. */
interface CopyBothConnection {
  on(event: 'copyData', listener: (message: { chunk: Buffer }) => void): void
  sendCopyFromChunk(chunk: Buffer): void
  readonly stream: { pause(): void; resume(): void }
}

function copyBoth(client: pg.Client): CopyBothConnection {
  return (client as unknown as { connection: CopyBothConnection }).connection
}

/** Value formats the decoders expect: ISO dates in UTC, ISO intervals, floats that round-trip. */
export const SESSION_OPTIONS = '-c DateStyle=ISO -c TimeZone=UTC -c IntervalStyle=iso_8601 -c extra_float_digits=3'

export class ReplicationStream {
  private readonly client: pg.Client
  private readonly options: ReplicationStreamOptions
  private buffered: ReplicationEvent[] = []
  private readonly wakeup = new Wakeup()
  private inStream = false
  private receivedLsn: Lsn
  private idleLsn: Lsn = 0n
  private confirmedLsn: Lsn
  private failure: Error | undefined
  private ended = false
  private paused = false
  private statusTimer: NodeJS.Timeout | undefined

  private constructor(client: pg.Client, options: ReplicationStreamOptions) {
    this.client = client
    this.options = options
    this.receivedLsn = options.startLsn
    this.confirmedLsn = options.confirmedLsn ?? options.startLsn
  }

  static async start(options: ReplicationStreamOptions): Promise<ReplicationStream> {
    const client = new pg.Client({
      connectionString: options.connectionString,
      replication: 'database',
      options: SESSION_OPTIONS,
    } as pg.ClientConfig)
    await client.connect()
    const stream = new ReplicationStream(client, options)
    client.on('error', (error) => stream.fail(error))
    copyBoth(client).on('copyData', (message) => stream.onCopyData(message.chunk))
    const parameters = [
      `proto_version '${options.protoVersion ?? 2}'`,
      `publication_names '${quoteIdentifier(options.publication).replaceAll("'", "''")}'`,
    ]
    if ((options.protoVersion ?? 2) >= 2 && options.streaming !== false) parameters.push(`streaming 'on'`)
    parameters.push(`messages 'true'`)
    const sql = `START_REPLICATION SLOT ${quoteIdentifier(options.slot)} LOGICAL ${formatLsn(options.startLsn)} (${parameters.join(', ')})`
    // The query settles only when the stream ends; an error (slot in use, no publication) rejects it.
    client.query(sql).then(
      () => stream.end(),
      (error: Error) => stream.fail(error),
    )
    stream.statusTimer = setInterval(() => stream.sendStatus(false), options.statusIntervalMs ?? 10_000)
    return stream
  }

  /** Up to `max` events, waiting up to `waitMs` for the first. Throws the stream's failure. */
  async take(max: number, waitMs: number, signal: AbortSignal): Promise<ReplicationEvent[]> {
    if (this.buffered.length === 0 && this.failure === undefined && !this.ended) await this.wakeup.wait(waitMs, signal)
    if (this.buffered.length === 0 && this.failure !== undefined) throw this.failure
    const taken = this.buffered.length <= max ? this.buffered : this.buffered.slice(0, max)
    this.buffered = this.buffered.length <= max ? [] : this.buffered.slice(max)
    if (this.paused && this.buffered.length < (this.options.maxBuffered ?? 5000) / 2) {
      this.paused = false
      copyBoth(this.client).stream.resume()
    }
    return taken
  }

  get isEnded(): boolean {
    return this.ended || this.failure !== undefined
  }

  /** Everything up to `lsn` is durable downstream: the server may release that WAL. */
  confirm(lsn: Lsn): void {
    if (lsn <= this.confirmedLsn) return
    this.confirmedLsn = lsn
    this.sendStatus(false)
  }

  /**
   * The server's WAL end from its last keepalive while nothing of ours was buffered: once the caller
   * has nothing in flight either, confirming it lets an idle slot release WAL.
   */
  get idlePosition(): Lsn {
    return this.idleLsn
  }

  get confirmed(): Lsn {
    return this.confirmedLsn
  }

  async close(): Promise<void> {
    clearInterval(this.statusTimer)
    this.sendStatus(false)
    this.ended = true
    this.wakeup.wake()
    await this.client.end().catch(() => undefined) // the last position was sent above; a stream that fails to close has nothing left to confirm
  }

  private onCopyData(chunk: Buffer): void {
    const kind = chunk[0]
    if (kind === KEEPALIVE) {
      const walEnd = chunk.readBigUInt64BE(1)
      if (this.buffered.length === 0 && walEnd > this.idleLsn) this.idleLsn = walEnd
      if (chunk[17] === 1) {
        if (this.buffered.length === 0 && this.idleLsn > this.confirmedLsn && this.options.isDrained?.() === true)
          this.confirmedLsn = this.idleLsn
        this.sendStatus(false)
      }
      return
    }
    if (kind !== XLOG_DATA) return
    const lsn = chunk.readBigUInt64BE(1)
    let message: PgOutputMessage
    try {
      // A view into pg's receive buffer, valid only now: the decoded message holds strings and copies.
      message = decodePgOutput(chunk.subarray(25), this.inStream)
    } catch (error) {
      this.fail(error as Error)
      return
    }
    if (message.tag === 'streamStart') this.inStream = true
    else if (message.tag === 'streamStop') this.inStream = false
    if (lsn > this.receivedLsn) this.receivedLsn = lsn
    this.buffered.push({ lsn, message })
    if (!this.paused && this.buffered.length >= (this.options.maxBuffered ?? 5000)) {
      this.paused = true
      copyBoth(this.client).stream.pause()
    }
    this.wakeup.wake()
  }

  /** Standby status update 'r': written, flushed, applied, clock, reply-requested. */
  private sendStatus(replyRequested: boolean): void {
    if (this.ended || this.failure !== undefined) return
    const status = Buffer.alloc(34)
    status[0] = 0x72
    // biome-ignore lint/complexity/useMathMinMax: LSNs are bigints, which Math.max does not take
    status.writeBigUInt64BE(this.receivedLsn > this.confirmedLsn ? this.receivedLsn : this.confirmedLsn, 1)
    status.writeBigUInt64BE(this.confirmedLsn, 9)
    status.writeBigUInt64BE(this.confirmedLsn, 17)
    status.writeBigInt64BE(pgTimestampNow(Date.now()), 25)
    status[33] = replyRequested ? 1 : 0
    copyBoth(this.client).sendCopyFromChunk(status)
  }

  private fail(error: Error): void {
    this.failure ??= error
    clearInterval(this.statusTimer)
    this.wakeup.wake()
  }

  private end(): void {
    this.ended = true
    clearInterval(this.statusTimer)
    this.wakeup.wake()
  }
}
