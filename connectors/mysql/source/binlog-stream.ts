/**
 * The binlog as a pull stream: zongji (on mysql2) connects as a replica from a file and position
 * and pushes decoded events; they queue here until `take()` hands them out in batches. The queue is
 * bounded: over a high-water mark the binlog connection pauses (the server's bytes wait in the
 * socket, not as decoded rows in memory) and it resumes once the reader has taken most of them. The
 * stream ends on the first error, which `take()` then throws: the task restarts and reconnects from
 * its stored offset.
 */
import ZongJi, { type AnyBinlogEvent, type ColumnSchema } from '@vlasky/zongji'
import { TributaryError, Wakeup } from '../../../core/runtime/plugin.ts'
import type { ConnectionSettings } from '../shared/connection-settings.ts'
import { driverOptions } from '../shared/mysql-options.ts'

export interface BinlogPosition {
  readonly file: string
  readonly pos: number
}

/** The schema history as the stream needs it: the columns a table had at a position, and DDL to record. */
export interface ColumnHistory {
  columnsAt(database: string, table: string, position: BinlogPosition): readonly ColumnSchema[] | undefined
  /** A DDL statement (run with default database `database`) ended at `end`. */
  onDdl(database: string, query: string, end: BinlogPosition): Promise<void>
}

export interface BinlogStreamOptions {
  readonly settings: ConnectionSettings
  readonly serverId: number
  readonly from: BinlogPosition
  /**
   * Executed GTIDs to resume after instead of `from`: the server finds where the first transaction
   * not among them is (MariaDB @slave_connect_state, MySQL COM_BINLOG_DUMP_GTID).
   */
  readonly gtids?: string
  /** Tables whose rows are decoded; the rows of any other table are skipped unread. */
  readonly isCaptured: (database: string, table: string) => boolean
  /**
   * Decoded rows (an event without rows counts one) to hold at most: the connection pauses there
   * and resumes once the reader has taken half. A couple of polls' worth keeps the reader from
   * waiting on a refill; more only grows the heap.
   */
  readonly queueRows: number
  readonly history?: ColumnHistory
}

/** zongji's hooks for a table map: whether to skip the table, and its columns (else read from INFORMATION_SCHEMA now). */
interface TableMapHooks {
  _skipSchema(database: string, table: string): boolean
  _fetchTableInfo(event: { schemaName: string; tableName: string; tableId: number; nextPosition: number }, next: () => void): void
}

/** Statements that may change a table's columns. */
const DDL = /^\s*(ALTER|CREATE|DROP|RENAME|TRUNCATE)\b/i

/** The events the reader needs; tablemap must be on for zongji to decode rows. */
export const BINLOG_EVENTS = [
  'rotate',
  'tablemap',
  'writerows',
  'updaterows',
  'deleterows',
  'xid',
  'query',
  'mariadbgtid',
  'gtid',
  'anonymousgtid',
]

export class BinlogStream {
  private readonly zongji: ZongJi
  private readonly queue: AnyBinlogEvent[] = []
  private readonly pauseAtRows: number
  private queued = 0
  private paused = false
  /** Table maps whose columns are being looked up: zongji holds the connection paused until then. */
  private tableMapsPending = 0
  private failure: Error | undefined
  private readonly wakeup = new Wakeup()
  private stopped = false
  /** The file being read, for the position of a table map. */
  private file: string
  private readonly history: ColumnHistory | undefined
  /** DDL being recorded: zongji reads ahead of the reader, so a table map after DDL waits for it here. */
  private recording: Promise<void> = Promise.resolve()

  private constructor(zongji: ZongJi, options: BinlogStreamOptions) {
    this.zongji = zongji
    this.file = options.from.file
    this.history = options.history
    this.pauseAtRows = options.queueRows
  }

  /** Connects and starts reading at `from` (or after `gtids`); resolves once the server accepted the dump request. */
  static async start(options: BinlogStreamOptions): Promise<BinlogStream> {
    const { serverId, from } = options
    const zongji = new ZongJi(driverOptions(options.settings))
    const stream = new BinlogStream(zongji, options)
    stream.hookTableMaps(options.isCaptured)
    await new Promise<void>((resolve, reject) => {
      zongji.once('ready', () => resolve())
      zongji.on('error', (error: Error) => {
        const failure = replicaError(error, serverId)
        reject(failure)
        stream.fail(failure)
      })
      zongji.on('binlog', (event: AnyBinlogEvent) => stream.push(event))
      const start =
        options.gtids === undefined ? { filename: from.file, position: from.pos } : { gtidSet: options.gtids.replace(/\s/g, '') }
      zongji.start({ serverId, ...start, includeEvents: BINLOG_EVENTS })
    }).catch((error: unknown) => {
      zongji.stop()
      throw error
    })
    return stream
  }

  /** Decoded rows waiting for the reader (an event without rows counts one). */
  /** What an event's length counts besides zongji's `size`: the 19-byte header, and the CRC32 checksum where the server writes one. */
  get eventOverheadBytes(): number {
    return 19 + ((this.zongji as unknown as { useChecksum?: boolean }).useChecksum === true ? 4 : 0)
  }

  get queuedRows(): number {
    return this.queued
  }

  /**
   * Events carrying up to `maxRows` rows (at least one event), waiting up to `waitMs` for the first;
   * throws the stream's error once drained. Counting rows, not events, keeps a poll's size bounded
   * when one rows event holds hundreds of rows.
   */
  async take(maxRows: number, waitMs: number, signal: AbortSignal): Promise<AnyBinlogEvent[]> {
    if (this.queue.length === 0 && this.failure === undefined) await this.wakeup.wait(waitMs, signal)
    if (this.queue.length === 0 && this.failure !== undefined) throw this.failure
    let count = 0
    let rows = 0
    let weight = 0
    for (const event of this.queue) {
      if (count > 0 && rows >= maxRows) break
      const eventRows = rowCount(event)
      rows += eventRows
      weight += Math.max(1, eventRows)
      count++
    }
    const taken = this.queue.splice(0, count)
    this.queued -= weight
    // Resuming replays the packets that came in meanwhile, synchronously: after the splice, not before.
    if (this.paused && this.queued <= this.pauseAtRows / 2 && this.tableMapsPending === 0 && !this.stopped) {
      this.paused = false
      this.zongji.connection?.resume()
    }
    return taken
  }

  stop(): void {
    if (this.stopped) return
    this.stopped = true
    this.zongji.stop()
  }

  /**
   * zongji never decodes the rows of a table it skips here. Table maps take their columns from the
   * schema history where it knows the table (binlog from before an ALTER then decodes with the
   * columns it was written with). DDL is recorded before the next table map is looked up. zongji's
   * table map cache needs no clearing: an altered table is reopened under a new table id, and
   * queued row events still point into that cache.
   */
  private hookTableMaps(isCaptured: (database: string, table: string) => boolean): void {
    const hooks = this.zongji as unknown as TableMapHooks
    hooks._skipSchema = (database, table) => !isCaptured(database, table)
    const fetchCurrent = hooks._fetchTableInfo.bind(this.zongji)
    hooks._fetchTableInfo = (event, next) => {
      this.tableMapsPending++
      const done = (): void => {
        this.tableMapsPending--
        next()
      }
      const position = { file: this.file, pos: event.nextPosition }
      void this.recording.then(
        () => {
          const columnSchemas = this.history?.columnsAt(event.schemaName, event.tableName, position)
          if (columnSchemas === undefined) return fetchCurrent(event, done)
          this.zongji.tableMap[event.tableId] = {
            columnSchemas: [...columnSchemas],
            parentSchema: event.schemaName,
            tableName: event.tableName,
          }
          done()
        },
        (error: unknown) => this.fail(error as Error),
      )
    }
  }

  private push(event: AnyBinlogEvent): void {
    const name = event.getEventName()
    if (name === 'rotate') this.file = (event as { binlogName: string }).binlogName
    else if (name === 'query' && DDL.test((event as { query: string }).query)) {
      const { schema, query } = event as { schema: string; query: string }
      const end = { file: this.file, pos: event.nextPosition }
      const history = this.history
      if (history !== undefined) {
        // A failure ends the stream (take() throws it); after stop() the connections are gone and nothing is recorded.
        const recorded = this.recording.then(() => (this.stopped ? undefined : history.onDdl(schema, query, end)))
        recorded.catch((error: unknown) => this.fail(error as Error))
        this.recording = recorded
      }
    }
    this.queue.push(event)
    this.queued += Math.max(1, rowCount(event))
    // Also when already paused: a table map's lookup ends with zongji resuming the connection.
    if (this.queued >= this.pauseAtRows && !this.stopped) {
      this.paused = true
      this.zongji.connection?.pause()
    }
    this.wakeup.wake()
  }

  private fail(error: Error): void {
    this.failure ??= error
    this.wakeup.wake()
  }
}

function rowCount(event: AnyBinlogEvent): number {
  return (event as { rows?: unknown[] }).rows?.length ?? 0
}

/** MariaDB's ER_SLAVE_SAME_ID; MySQL says the same with its generic 1236 (ER_MASTER_FATAL_ERROR_READING_BINLOG) and this text. */
const SAME_SERVER_ID_ERRNO = 4052
const SAME_SERVER_ID_TEXT = /same server_uuid\/server_id/i

/** A server drops the older of two binlog connections with one server id: say which setting to change. */
function replicaError(error: Error, serverId: number): Error {
  const { errno } = error as { errno?: unknown }
  if (errno !== SAME_SERVER_ID_ERRNO && !SAME_SERVER_ID_TEXT.test(error.message)) return error
  return new TributaryError(
    'TRB_SOURCE_READ',
    `another replica connected to the server with server id ${serverId}, so the server dropped this binlog connection: give each connector reading this server its own server.id`,
    {
      cause: error,
      details: { serverId, ...(typeof errno === 'number' && { errno }) },
    },
  )
}
