/**
 * Builds Debezium's change events for MySQL/MariaDB rows: key = primary key, value = the envelope
 * `{ before, after, source, transaction, op, ts_ms, ts_us, ts_ns }`, both with their schemas
 * (table-schema.ts), with Debezium's MySQL or MariaDB `source` block (source-block.ts), topic
 * `<prefix>.<database>.<table>`; a tombstone follows a delete unless disabled.
 */
import type { SourceOffset, SourcePartition, SourceRecord } from '../../../core/runtime/plugin.ts'
import { ChangeEnvelope, ChangeRowsShared } from '../../cdc-envelope/change-envelope.ts'
import { ProcessingClock, keyOf, keyText, withTombstone, type ProcessingTime } from '../../cdc-envelope/change-record.ts'
import type { StreamedOperation } from '../../cdc-envelope/skipped-operations.ts'
import type { SnapshotMarker } from '../../cdc-envelope/envelope-schema.ts'
import { TableTopics } from '../../cdc-envelope/table-topics.ts'
import { tableTopic } from '../../cdc-envelope/topic-name.ts'
import type { TableShape } from '../shared/catalog.ts'
import type { SchemaSettings } from './schema-settings.ts'
import { sourceBlock, type MysqlSource, type SharedSource } from './source-block.ts'
import { TableSchemas, type Row, type TableSchema } from './table-schema.ts'

export type { Row, TableSchema }

/** Where in the binlog (or the snapshot) a change comes from. */
export interface EventContext {
  readonly timestampMs: number
  readonly snapshot: SnapshotMarker
  readonly serverId: number | null
  readonly gtid: string | null
  readonly file: string
  readonly pos: number
  /** The row's index within its rows event. */
  readonly row: number
  readonly thread: number | null
  readonly offset: SourceOffset
}

export interface ChangeEventSettings {
  readonly prefix: string
  readonly topic: string | undefined
  readonly tombstones: boolean
  /** Streamed operations not emitted (`skipped.operations`; MySQL's truncates are never captured). */
  readonly skipped: ReadonlySet<StreamedOperation>
  /** The connector's version, for `source.version`. */
  readonly version: string
  readonly schemas: SchemaSettings
}

export { keyText }

export class ChangeEvents {
  private readonly settings: ChangeEventSettings
  private readonly schemas: TableSchemas
  private readonly topics: TableTopics<TableSchema>
  private readonly clock = new ProcessingClock()
  /** One object for every record: the runtime recognises an unchanged partition by identity. */
  readonly sourcePartition: SourcePartition
  /** The newest shared source values, and the table and event they were made for. */
  private shared: { source: SharedSource; table: TableSchema; context: EventContext } | undefined
  /** The newest source block: the rows of a snapshot chunk (one position, row 0) share it. */
  private block: { shared: SharedSource; source: MysqlSource } | undefined
  /** What the newest snapshot rows share, with the text written once for them all (change-envelope.ts). */
  private snapshotRows: ChangeRowsShared<MysqlSource> | undefined
  /** What the newest changes of each streamed operation share, with its text (change-envelope.ts). */
  private readonly changeRows: Partial<Record<'c' | 'u' | 'd', ChangeRowsShared<MysqlSource>>> = {}

  constructor(settings: ChangeEventSettings) {
    this.settings = settings
    this.schemas = new TableSchemas(settings.schemas)
    this.topics = new TableTopics(settings.prefix, settings.topic, (table) => table.database)
    this.sourcePartition = Object.freeze({ server: settings.prefix })
  }

  /** The schemas and row conversion of a table in this shape (the same object while the shape is the same). */
  table(shape: TableShape): TableSchema {
    return this.schemas.get(tableTopic(this.settings.prefix, shape.database, shape.table), shape)
  }

  topicFor(table: TableSchema): string {
    return this.topics.topicFor(table)
  }

  key(table: TableSchema, row: Row): Row | null {
    return keyOf(table.keyColumns, row)
  }

  /** One change; a delete is followed by a tombstone unless disabled; none when its kind is skipped. */
  change(table: TableSchema, op: 'c' | 'u' | 'd' | 'r', before: Row | null, after: Row | null, context: EventContext): SourceRecord[] {
    return op !== 'r' && this.settings.skipped.has(op) ? [] : this.emit(table, op, before, after, context)
  }

  /**
   * An update that changed the key: a delete of the old key (with its tombstone) and a create of the
   * new, as Debezium emits it; an update all the same to skipped.operations, so skipped with updates.
   */
  keyChange(table: TableSchema, before: Row, after: Row, context: EventContext): SourceRecord[] {
    return this.settings.skipped.has('u')
      ? []
      : [...this.emit(table, 'd', before, null, context), ...this.emit(table, 'c', null, after, context)]
  }

  private emit(
    table: TableSchema,
    op: 'c' | 'u' | 'd' | 'r',
    before: Row | null,
    after: Row | null,
    context: EventContext,
  ): SourceRecord[] {
    const key = this.key(table, (after ?? before) as Row)
    const now = this.clock.now()
    const source = this.source(table, context)
    // Written out in the envelope's field order, which a copy keeps.
    const value =
      op !== 'r'
        ? new ChangeEnvelope(before, after, source, this.changeShared(table, op, now))
        : after !== null
          ? new ChangeEnvelope(null, after, source, this.snapshotShared(table, source, now))
          : { before, after, source, transaction: null, op, ts_ms: now.ms, ts_us: now.ms * 1000, ts_ns: now.ns }
    const record: SourceRecord = {
      topic: this.topicFor(table),
      key,
      keySchema: key === null ? undefined : table.keySchema,
      value,
      valueSchema: table.envelopeSchema,
      timestamp: context.timestampMs,
      sourcePartition: this.sourcePartition,
      sourceOffset: context.offset,
    }
    return withTombstone(record, op, this.settings.tombstones)
  }

  private snapshotShared(table: TableSchema, source: MysqlSource, now: ProcessingTime): ChangeRowsShared<MysqlSource> {
    let shared = this.snapshotRows
    if (shared === undefined || shared.shared !== source || shared.now !== now || shared.envelopeSchema !== table.envelopeSchema) {
      shared = new ChangeRowsShared(table.envelopeSchema, table.rowSchema, source, source, [], 'r', now)
      this.snapshotRows = shared
    }
    return shared
  }

  /** Called right after source(): the changes of its shared values share the text of all but `pos` and `row`. */
  private changeShared(table: TableSchema, op: 'c' | 'u' | 'd', now: ProcessingTime): ChangeRowsShared<MysqlSource> {
    const shared = (this.shared as { source: SharedSource }).source
    let rows = this.changeRows[op]
    if (rows === undefined || rows.shared !== shared || rows.now !== now || rows.envelopeSchema !== table.envelopeSchema) {
      rows = new ChangeRowsShared(table.envelopeSchema, table.rowSchema, shared, sourceBlock(shared, 0, 0), ['pos', 'row'], op, now)
      this.changeRows[op] = rows
    }
    return rows
  }

  private source(table: TableSchema, context: EventContext): MysqlSource {
    const cached = this.shared
    if (cached !== undefined && cached.table === table && sameEvent(cached.context, context))
      return this.blockAt(cached.source, context.pos, context.row)
    const ms = context.timestampMs
    const source: SharedSource = {
      version: this.settings.version,
      connector: this.settings.schemas.isMariaDb ? 'mariadb' : 'mysql',
      name: this.settings.prefix,
      ts_ms: ms,
      snapshot: context.snapshot,
      db: table.database,
      sequence: null,
      ts_us: ms * 1000,
      ts_ns: BigInt(ms) * 1_000_000n,
      table: table.table,
      server_id: context.serverId ?? 0,
      gtid: context.gtid,
      file: context.file,
      // Debezium's MariaDB connector leaves the thread out; its MySQL one takes it from the query event.
      thread: this.settings.schemas.isMariaDb ? null : context.thread,
      query: null,
    }
    this.shared = { source, table, context }
    return this.blockAt(source, context.pos, context.row)
  }

  /** The block of one change: the newest one again when it is of the same shared values, position and row. */
  private blockAt(shared: SharedSource, pos: number, row: number): MysqlSource {
    const last = this.block
    if (last !== undefined && last.shared === shared && last.source.pos === pos && last.source.row === row) return last.source
    const source = sourceBlock(shared, pos, row)
    this.block = { shared, source }
    return source
  }
}

function sameEvent(a: EventContext, b: EventContext): boolean {
  return (
    a.timestampMs === b.timestampMs &&
    a.snapshot === b.snapshot &&
    a.serverId === b.serverId &&
    a.gtid === b.gtid &&
    a.file === b.file &&
    a.thread === b.thread
  )
}
