/**
 * Turns binlog events into change records with offsets that are always safe to resume from.
 * Every record of a transaction carries the previous transaction's end position plus how many
 * records of its own transaction come up to it (`event`); the transaction's last record is held
 * back until the commit (XID, COMMIT or the DDL statement) arrives and then carries the commit's end
 * position. A restart reads the unfinished transaction again and skips the `event` records already
 * stored: nothing lost, nothing doubled.
 */
import type { AnyBinlogEvent, RowsEvent } from '@vlasky/zongji'
import type { SourceOffset, SourceRecord } from '../../../core/runtime/plugin.ts'
import type { TableShape } from '../shared/catalog.ts'
import { keyText, type ChangeEvents, type EventContext } from './change-events.ts'
import type { BinlogPosition } from './binlog-stream.ts'
import { eventShape } from './event-shape.ts'
import type { GtidTracker } from './gtid-position.ts'

/** Marks the records that end a transaction. */
export const TRANSACTION_END = 'txn_end'

export interface StreamReaderOptions {
  readonly events: ChangeEvents
  /** The table's shape valid at `position` (the end of the rows event). */
  readonly shape: (database: string, table: string, position: BinlogPosition) => Promise<TableShape>
  readonly isCaptured: (database: string, table: string) => boolean
  readonly start: BinlogPosition
  /** Records of the first transaction that the log already has (the stored offset's `event`). */
  readonly skip: number
  readonly serverId: number
  /** The executed GTIDs at `start`, where known. */
  readonly gtids: GtidTracker | null
  /** Bytes of an event beyond zongji's `size` (header and checksum), for where the event starts: Debezium's source.pos. */
  readonly eventOverheadBytes?: number
}

interface Transaction {
  gtid: string | null
  /** A MariaDB group of one statement (DDL) with no COMMIT: that statement ends it. */
  standalone: boolean
  serverId: number
  thread: number | null
  records: number
}

const ENDS_TRANSACTION = /^\s*(COMMIT|ROLLBACK)\s*$|^\s*XA\s+(COMMIT|ROLLBACK)\b/i

export class StreamReader {
  private readonly options: StreamReaderOptions
  private file: string
  private lastEnd: BinlogPosition
  private lastGtids: string | null
  private skip: number
  private pendingGtid: string | null = null
  private current: Transaction | undefined
  private heldBack: SourceRecord | undefined

  constructor(options: StreamReaderOptions) {
    this.options = options
    this.file = options.start.file
    this.lastEnd = options.start
    this.skip = options.skip
    this.lastGtids = options.gtids?.toString() ?? null
  }

  /** The end of the last complete transaction read. */
  get position(): BinlogPosition {
    return this.lastEnd
  }

  /** With no transaction open or held back: the offset of the last complete transaction (for a heartbeat). */
  get idleOffset(): SourceOffset | undefined {
    if (this.current !== undefined || this.heldBack !== undefined) return undefined
    return this.offset(0, true)
  }

  async accept(events: readonly AnyBinlogEvent[]): Promise<SourceRecord[]> {
    const ready: SourceRecord[] = []
    for (const event of events) await this.handle(event, ready)
    return ready
  }

  private async handle(event: AnyBinlogEvent, ready: SourceRecord[]): Promise<void> {
    switch (event.getEventName()) {
      case 'rotate': {
        const { binlogName, position } = event as Extract<AnyBinlogEvent, { binlogName: string; position: number }>
        this.file = binlogName
        // A stream resumed by GTID starts with a rotate to the start of the file the server resumes
        // in: within the file already reached, that would move the position back.
        if (this.current === undefined && (binlogName !== this.lastEnd.file || position > this.lastEnd.pos))
          this.lastEnd = { file: binlogName, pos: position }
        return
      }
      case 'gtid':
        this.pendingGtid = (event as { gtid?: string }).gtid ?? null
        return
      case 'anonymousgtid': // MySQL without gtid_mode: a transaction with no GTID
        this.pendingGtid = null
        return
      case 'mariadbgtid': {
        const gtid = event as Extract<AnyBinlogEvent, { domainId: number }>
        this.current = { gtid: gtid.gtid, standalone: gtid.standalone, serverId: gtid.serverId, thread: gtid.threadId ?? null, records: 0 }
        return
      }
      case 'query': {
        const query = event as Extract<AnyBinlogEvent, { slaveProxyId: number }>
        if (query.query === 'BEGIN') {
          this.current = {
            gtid: this.pendingGtid,
            standalone: false,
            serverId: this.options.serverId,
            thread: query.slaveProxyId,
            records: 0,
          }
          return
        }
        // SAVEPOINT and the like go by inside a transaction; COMMIT, ROLLBACK or a statement of its own end one.
        if (this.current === undefined || this.current.standalone || ENDS_TRANSACTION.test(query.query)) this.commit(event, ready)
        return
      }
      case 'xid':
        this.commit(event, ready)
        return
      case 'writerows':
      case 'updaterows':
      case 'deleterows':
        await this.rows(event as AnyBinlogEvent & RowsEvent, ready)
        return
      default:
        return
    }
  }

  private commit(event: AnyBinlogEvent, ready: SourceRecord[]): void {
    const end = { file: this.file, pos: event.nextPosition }
    const held = this.heldBack
    const gtid = this.current?.gtid ?? this.pendingGtid
    if (gtid !== null && this.options.gtids !== null) {
      this.options.gtids.add(gtid)
      this.lastGtids = this.options.gtids.toString()
    }
    this.heldBack = undefined
    this.current = undefined
    this.pendingGtid = null
    this.skip = 0
    this.lastEnd = end
    if (held !== undefined) ready.push(withOffset(held, this.offset(0, true)))
  }

  private async rows(event: AnyBinlogEvent & RowsEvent, ready: SourceRecord[]): Promise<void> {
    const table = event.tableMap[event.tableId]
    if (table === undefined || !this.options.isCaptured(table.parentSchema, table.tableName)) return
    const shape = this.options.events.table(
      eventShape(table, await this.options.shape(table.parentSchema, table.tableName, { file: this.file, pos: event.nextPosition })),
    )
    this.current ??= { gtid: this.pendingGtid, standalone: false, serverId: this.options.serverId, thread: null, records: 0 }
    const txn = this.current
    const { events } = this.options
    const name = event.getEventName()
    const rows = (event as { rows: unknown[] }).rows
    rows.forEach((raw, index) => {
      const context: EventContext = {
        timestampMs: event.timestamp,
        snapshot: 'false',
        serverId: txn.serverId,
        gtid: txn.gtid,
        file: this.file,
        pos: event.nextPosition - event.size - (this.options.eventOverheadBytes ?? 23),
        row: index,
        thread: txn.thread,
        offset: {},
      }
      let records: SourceRecord[]
      if (name === 'writerows') records = events.change(shape, 'c', null, shape.row(raw as Record<string, unknown>, true), context)
      else if (name === 'deleterows') records = events.change(shape, 'd', shape.row(raw as Record<string, unknown>, true), null, context)
      else {
        const { before, after } = raw as { before: Record<string, unknown>; after: Record<string, unknown> }
        const old = shape.row(before, true)
        const next = shape.row(after, true)
        // A changed primary key is a delete of the old key and a create of the new, as Debezium emits it.
        records =
          keyText(events.key(shape, old)) === keyText(events.key(shape, next))
            ? events.change(shape, 'u', old, next, context)
            : events.keyChange(shape, old, next, context)
      }
      for (const record of records) this.hold(txn, record, ready)
    })
  }

  /** Hold back the newest record (it may be the transaction's last); release the one before it. */
  private hold(txn: Transaction, record: SourceRecord, ready: SourceRecord[]): void {
    txn.records++
    if (txn.records <= this.skip) return
    if (this.heldBack !== undefined) ready.push(this.heldBack)
    this.heldBack = withOffset(record, this.offset(txn.records, false))
  }

  private offset(event: number, end: boolean): SourceOffset {
    const { file, pos } = this.lastEnd
    return end ? { file, pos, event, gtids: this.lastGtids, [TRANSACTION_END]: true } : { file, pos, event, gtids: this.lastGtids }
  }
}

/** Sets the offset of a record change-events.ts just made (and nothing else holds yet): no copy per row. */
function withOffset(record: SourceRecord, offset: SourceOffset): SourceRecord {
  ;(record as { sourceOffset: SourceOffset }).sourceOffset = offset
  return record
}
