/**
 * The initial snapshot: every captured table read in primary-key chunks (keyset pagination) inside
 * one REPEATABLE READ transaction on the slot's exported snapshot, so the rows are exactly the state
 * at the slot's consistent point and the stream continues from there with nothing missed or doubled.
 * Each record's offset names its table and key, so an interrupted snapshot resumes after the last
 * stored row instead of from zero (then on a fresh snapshot: rows changed meanwhile also arrive
 * through the stream, and the upserts converge).
 */
import type pg from 'pg'
import type { SourceOffset, SourceRecord } from '../../../core/runtime/plugin.ts'
import type { Catalog } from '../source/source-catalog.ts'
import type { SnapshotMarker } from '../../cdc-envelope/envelope-schema.ts'
import type { ChangeEvents, EventContext, Row } from '../source/change-events.ts'
import { formatLsn, type Lsn } from '../source/lsn.ts'
import { quoteIdentifier } from '../shared/quote.ts'
import { readTableChunk, type TableChunk, type TableName } from './table-chunk.ts'

export interface SnapshotPosition {
  readonly table: string
  /** Text values of the last row's key (or its ctid), as the server printed them. */
  readonly key: readonly string[]
}

export interface SnapshotProgress {
  readonly rowsDone: number
  readonly rowsEstimated: number
  readonly table: string | null
}

export class SnapshotReader {
  private readonly client: pg.Client
  private readonly catalog: Catalog
  private readonly events: ChangeEvents
  private readonly tables: TableName[]
  private readonly chunkRows: number
  private readonly consistentPoint: Lsn
  private index = 0
  private lastKey: readonly string[] | null
  private rowsDone = 0
  private rowsEstimated = 0
  /** The next chunk, asked for as soon as the previous one arrived: the server reads while we convert. */
  private pending: { target: TableName; chunk: Promise<TableChunk> } | undefined
  /**
   * The last row of a full chunk, held back until the next chunk says whether it ends its table
   * (Debezium marks a table's last row); the rest of the chunk goes out at once.
   */
  private held: { relation: TableChunk['relation']; row: Row; key: readonly string[] } | undefined
  /** No row of the current table has been handed out yet. */
  private tableStarts = true
  /** Offset of the last row handed out: a restart resumes after it. */
  private lastOffset: SourceOffset
  private readonly lsnText: string

  private constructor(options: {
    client: pg.Client
    catalog: Catalog
    events: ChangeEvents
    tables: TableName[]
    chunkRows: number
    consistentPoint: Lsn
    resume?: SnapshotPosition | undefined
  }) {
    this.client = options.client
    this.catalog = options.catalog
    this.events = options.events
    this.tables = options.tables
    this.chunkRows = options.chunkRows
    this.consistentPoint = options.consistentPoint
    const resumeAt = options.resume === undefined ? -1 : this.tables.findIndex((t) => `${t.schema}.${t.table}` === options.resume?.table)
    this.index = Math.max(0, resumeAt)
    this.lastKey = resumeAt >= 0 ? (options.resume?.key ?? null) : null
    this.tableStarts = this.lastKey === null
    this.lsnText = formatLsn(this.consistentPoint)
    const resumed = resumeAt >= 0 ? this.tables[resumeAt] : undefined
    this.lastOffset =
      resumed !== undefined && this.lastKey !== null ? this.rowOffset(resumed, this.lastKey) : { snapshot: 'true', lsn: this.lsnText }
  }

  /** Opens the snapshot transaction (on the exported snapshot when there is one) on a dedicated client. */
  static async open(options: {
    client: pg.Client
    catalog: Catalog
    events: ChangeEvents
    tables: TableName[]
    chunkRows: number
    consistentPoint: Lsn
    snapshotName: string | null
    resume?: SnapshotPosition
  }): Promise<SnapshotReader> {
    await options.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    if (options.snapshotName !== null)
      await options.client.query(`SET TRANSACTION SNAPSHOT '${options.snapshotName.replaceAll("'", "''")}'`)
    const reader = new SnapshotReader(options)
    const { rows } = await options.client.query<{ estimate: string }>(
      'SELECT coalesce(sum(greatest(reltuples, 0)), 0)::bigint AS estimate FROM pg_class WHERE oid = ANY($1::regclass[])',
      [options.tables.map((t) => `${quoteIdentifier(t.schema)}.${quoteIdentifier(t.table)}`)],
    )
    reader.rowsEstimated = Number(rows[0]?.estimate ?? 0)
    return reader
  }

  get progress(): SnapshotProgress {
    const current = this.tables[this.index]
    return {
      rowsDone: this.rowsDone,
      rowsEstimated: Math.max(this.rowsEstimated, this.rowsDone),
      table: current ? `${current.schema}.${current.table}` : null,
    }
  }

  get isDone(): boolean {
    return this.index >= this.tables.length
  }

  /** The next chunk of records ([] once every table is read). */
  async next(): Promise<SourceRecord[]> {
    while (!this.isDone) {
      const target = this.tables[this.index] as TableName
      const pending = this.pending?.target === target ? this.pending.chunk : this.read(target, this.lastKey)
      this.pending = undefined
      const chunk = await pending
      // A chunk short of full is its table's last; after a full one, the next may be empty.
      const endsTable = chunk.lastKey === null || chunk.rows.length < this.chunkRows
      if (!endsTable) this.pending = { target, chunk: this.read(target, chunk.lastKey) }
      const records = this.records(target, chunk, endsTable)
      if (endsTable) {
        this.index++
        this.lastKey = null
        this.tableStarts = true
      } else {
        this.lastKey = chunk.lastKey
      }
      if (records.length > 0) return records
    }
    return []
  }

  async close(): Promise<void> {
    await this.pending?.chunk.catch(() => undefined) // waited for only so the COMMIT below does not race it; its failure is next()'s to report
    this.pending = undefined
    await this.client.query('COMMIT').catch(() => undefined) // a read-only snapshot transaction: nothing is lost if it does not end cleanly
  }

  private read(target: TableName, after: readonly string[] | null): Promise<TableChunk> {
    const chunk = readTableChunk(this.client, this.catalog, this.events, target, after, this.chunkRows)
    chunk.catch(() => undefined) // awaited by next(); a failure surfaces there
    return chunk
  }

  private rowOffset(target: TableName, key: readonly string[]): SourceOffset {
    return { snapshot: 'true', snapshot_table: `${target.schema}.${target.table}`, snapshot_key: JSON.stringify(key), lsn: this.lsnText }
  }

  /** Debezium's marker of a row: first and last of the snapshot, of its table, or neither. */
  private marker(first: boolean, last: boolean): SnapshotMarker {
    const firstTable = this.index === 0
    const lastTable = this.index === this.tables.length - 1
    if (last && lastTable) return 'last'
    if (first && firstTable) return 'first'
    if (last) return 'last_in_data_collection'
    return first ? 'first_in_data_collection' : 'true'
  }

  /**
   * The records of the row held back from the chunk before and of this chunk's rows, but its last,
   * which is held back in turn unless the chunk ends the table. A row carries the offset of the last
   * row before it that is handed out with or before it (only a few offsets per chunk are built), but
   * the last row handed out carries its own: the batch's offset, which exactly-once sources store
   * with it, resumes just after it, so no row of the batch is read again.
   */
  private records(target: TableName, chunk: TableChunk, endsTable: boolean): SourceRecord[] {
    const held = this.held
    this.held = undefined
    const { rows } = chunk
    if (held !== undefined) this.lastOffset = this.rowOffset(target, held.key)
    // Every row of the chunk shares one context (and so one source block), but a table's first and last.
    const shared: EventContext = {
      xid: null,
      commitTimeUs: Date.now() * 1000,
      lsn: this.consistentPoint,
      lastCommitLsn: null,
      snapshot: 'true',
      offset: this.lastOffset,
    }
    const records: SourceRecord[] = []
    const emit = (relation: TableChunk['relation'], row: Row, last: boolean, offset: SourceOffset) => {
      const first = this.tableStarts
      this.tableStarts = false
      const context =
        first || last
          ? { ...shared, snapshot: this.marker(first, last), offset }
          : offset === shared.offset
            ? shared
            : { ...shared, offset }
      records.push(this.events.snapshotRow(relation, row, context))
    }
    if (held !== undefined) emit(held.relation, held.row, endsTable && rows.length === 0, this.lastOffset)
    const lastIndex = rows.length - 1
    // The last row handed out now: the chunk's last when it ends the table, else the one before it.
    const lastOut = endsTable ? lastIndex : lastIndex - 1
    for (let index = 0; index < lastOut; index++) emit(chunk.relation, rows[index] as Row, false, this.lastOffset)
    if (lastOut >= 0) {
      this.lastOffset = this.rowOffset(target, (endsTable ? chunk.lastKey : chunk.keyBeforeLast) ?? [])
      emit(chunk.relation, rows[lastOut] as Row, endsTable, this.lastOffset)
    }
    if (!endsTable && lastIndex >= 0) this.held = { relation: chunk.relation, row: rows[lastIndex] as Row, key: chunk.lastKey ?? [] }
    this.rowsDone += records.length
    return records
  }
}
