/**
 * The initial snapshot: every captured table read in primary-key chunks (keyset pagination) inside
 * one consistent-snapshot transaction whose binlog position is known, so the rows are exactly the
 * state at that position and the stream continues from there with nothing missed or doubled. Each
 * record's offset names its table and key, so an interrupted snapshot resumes after the last stored
 * row (in a new snapshot transaction, while the stream still starts from the first one's position:
 * rows changed meanwhile arrive again through the stream, and upserts converge).
 */
import type { Connection } from 'mysql2/promise'
import type { SourceRecord } from '../../../core/runtime/plugin.ts'
import type { SnapshotMarker } from '../../cdc-envelope/envelope-schema.ts'
import type { BinlogPosition } from '../source/binlog-stream.ts'
import type { Catalog, TableShape } from '../shared/catalog.ts'
import type { ChangeEvents } from '../source/change-events.ts'
import { decodeKey, encodeKey, keyCondition } from './snapshot-key.ts'
import { quoteIdentifier } from '../shared/quote.ts'

export interface SnapshotPosition {
  readonly table: string
  /** The last row's key, as snapshot-key.ts encodes it. */
  readonly key: string
}

export interface SnapshotOptions {
  readonly connection: Connection
  readonly catalog: Catalog
  readonly events: ChangeEvents
  readonly tables: ReadonlyArray<{ database: string; table: string }>
  readonly chunkRows: number
  /** Where the stream starts once the snapshot is read. */
  readonly position: BinlogPosition
  /** The executed GTIDs at `position`, where known: the stream after the snapshot can resume by them. */
  readonly gtids: string | null
  readonly serverId: number
  readonly resume?: SnapshotPosition | undefined
}

export class SnapshotReader {
  private readonly options: SnapshotOptions
  private index: number
  private lastKey: unknown[] | null
  /** Rows of a keyless table already read (it has no key to continue after). */
  private rowOffset = 0
  private rowsDone = 0
  private rowsEstimated = 0

  constructor(options: SnapshotOptions) {
    this.options = options
    const resumeAt =
      options.resume === undefined ? -1 : options.tables.findIndex((t) => `${t.database}.${t.table}` === options.resume?.table)
    this.index = Math.max(0, resumeAt)
    this.lastKey = resumeAt >= 0 && options.resume !== undefined ? decodeKey(options.resume.key) : null
  }

  /** Reads the row estimate for progress reports. */
  async estimate(): Promise<void> {
    const { tables, connection } = this.options
    if (tables.length === 0) return
    const [rows] = await connection.query(
      `SELECT COALESCE(SUM(TABLE_ROWS), 0) AS estimate FROM information_schema.TABLES WHERE (TABLE_SCHEMA, TABLE_NAME) IN (${tables.map(() => '(?, ?)').join(', ')})`,
      tables.flatMap((t) => [t.database, t.table]),
    )
    this.rowsEstimated = Number((rows as Array<{ estimate: number | string }>)[0]?.estimate ?? 0)
  }

  get progress(): { rowsDone: number; rowsEstimated: number; table: string | null } {
    const current = this.options.tables[this.index]
    return {
      rowsDone: this.rowsDone,
      rowsEstimated: Math.max(this.rowsEstimated, this.rowsDone),
      table: current ? `${current.database}.${current.table}` : null,
    }
  }

  /** The next chunk of records ([] once every table is read). */
  async next(): Promise<SourceRecord[]> {
    while (this.index < this.options.tables.length) {
      const target = this.options.tables[this.index] as { database: string; table: string }
      const records = await this.chunk(await this.options.catalog.shape(target.database, target.table))
      if (records.length > 0) return records
      this.index++
      this.lastKey = null
      this.rowOffset = 0
    }
    return []
  }

  async close(): Promise<void> {
    await this.options.connection.query('COMMIT').catch(() => undefined) // a read-only snapshot transaction: nothing is lost if it does not end cleanly
  }

  private async chunk(shape: TableShape): Promise<SourceRecord[]> {
    const { connection, chunkRows, events, position, gtids } = this.options
    const name = `${quoteIdentifier(shape.database)}.${quoteIdentifier(shape.table)}`
    const keyed = shape.keyColumns.length > 0
    const condition = keyed && this.lastKey !== null ? keyCondition(shape, this.lastKey) : { sql: '', params: [] }
    const order = keyed ? `ORDER BY ${shape.keyColumns.map(quoteIdentifier).join(', ')}` : ''
    // One row more than a chunk: when it is missing, this chunk ends the table (and maybe the snapshot).
    const sql = `SELECT * FROM ${name} ${condition.sql} ${order} LIMIT ${chunkRows + 1}${keyed ? '' : ` OFFSET ${this.rowOffset}`}`
    const [rows] = await connection.query({ sql, values: condition.params })
    const more = (rows as unknown[]).length > chunkRows
    const raws = (rows as Array<Record<string, unknown>>).slice(0, chunkRows)
    const endsSnapshot = !more && this.index === this.options.tables.length - 1
    const startsTable = this.lastKey === null && this.rowOffset === 0
    const firstTable = this.index === 0
    const tableName = `${shape.database}.${shape.table}`
    const table = events.table(shape)
    const now = Date.now()
    return raws.flatMap((raw, index) => {
      if (keyed) this.lastKey = shape.keyColumns.map((column) => raw[column])
      this.rowOffset++
      this.rowsDone++
      const isLast = endsSnapshot && index === raws.length - 1
      // The offset of the snapshot's last record says 'last': a restart then knows the snapshot is done.
      const offsetMarker = isLast ? 'last' : 'true'
      return events.change(table, 'r', null, table.row(raw, false), {
        timestampMs: now,
        snapshot: snapshotMarker(firstTable, startsTable && index === 0, endsSnapshot, !more && index === raws.length - 1),
        serverId: 0,
        gtid: null,
        file: position.file,
        pos: position.pos,
        row: 0,
        thread: null,
        offset: {
          snapshot: offsetMarker,
          snapshot_table: tableName,
          snapshot_key: keyed ? encodeKey(this.lastKey ?? []) : '',
          file: position.file,
          pos: position.pos,
          event: 0,
          gtids,
        },
      })
    })
  }
}

/** Debezium's source.snapshot of a snapshot row: the whole snapshot's first and last, each table's first and last, else true. */
function snapshotMarker(firstTable: boolean, firstRow: boolean, lastTable: boolean, lastRow: boolean): SnapshotMarker {
  if (firstTable && firstRow) return 'first'
  if (lastTable && lastRow) return 'last'
  if (firstRow) return 'first_in_data_collection'
  if (lastRow) return 'last_in_data_collection'
  return 'true'
}
