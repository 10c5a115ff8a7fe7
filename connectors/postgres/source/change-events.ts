/**
 * Builds Debezium's change events from decoded pgoutput messages and snapshot rows: key = primary key
 * (or `message.key.columns`), value = the envelope `{ before, after, source, transaction, op, ts_ms,
 * ts_us, ts_ns }`, both with their schemas (table-schema.ts), topic `<prefix>.<schema>.<table>`.
 * Unchanged TOASTed values become the placeholder, never a guess.
 */
import type { SourceOffset, SourcePartition, SourceRecord } from '../../../core/runtime/plugin.ts'
import { ProcessingClock, keyOf, keyText, withTombstone } from '../../cdc-envelope/change-record.ts'
import type { SnapshotMarker } from '../../cdc-envelope/envelope-schema.ts'
import type { StreamedOperation } from '../../cdc-envelope/skipped-operations.ts'
import { TableTopics } from '../../cdc-envelope/table-topics.ts'
import { tableTopic } from '../../cdc-envelope/topic-name.ts'
import type { CatalogColumn } from './source-catalog.ts'
import type { Lsn } from './lsn.ts'
import type { TypeLookup } from './pg-types.ts'
import { UNCHANGED, type RelationColumn, type TupleValue } from './pgoutput.ts'
import type { SchemaSettings } from './schema-settings.ts'
import { SourceBlock, SourceTemplate } from './source-block.ts'
import { ChangeEnvelope, ChangeRowsShared } from '../../cdc-envelope/change-envelope.ts'
import { queriedColumn, streamedColumn } from './source-columns.ts'
import { TableSchemas, type FieldReader, type TableSchema } from './table-schema.ts'

/** A captured table as events are built for it: its schemas and column readers (table-schema.ts). */
export type Relation = TableSchema

export interface EventContext {
  readonly xid: number | null
  /** The transaction's commit time (a snapshot's read time), µs since the epoch. */
  readonly commitTimeUs: number
  /** The WAL position of the change (or the snapshot's consistent point). */
  readonly lsn: Lsn
  /** The previous commit's position; null in a snapshot. */
  readonly lastCommitLsn: Lsn | null
  /** Debezium's source.snapshot. */
  readonly snapshot: SnapshotMarker
  /** Offset of the record; the runtime stores the newest and resumes after it. */
  readonly offset: SourceOffset
}

export interface ChangeEventSettings {
  readonly prefix: string
  readonly database: string
  readonly topic: string | undefined
  readonly tombstones: boolean
  /** Streamed operations not emitted (`skipped.operations`). */
  readonly skipped: ReadonlySet<StreamedOperation>
  /** The connector's version, for `source.version`. */
  readonly version: string
  readonly schemas: SchemaSettings
}

export type Row = Record<string, unknown>

export { keyText }

export class ChangeEvents {
  private readonly settings: ChangeEventSettings
  private readonly schemas: TableSchemas
  private readonly topics: TableTopics<Pick<TableSchema, 'schema' | 'table'>>
  private readonly clock = new ProcessingClock()
  /** One object for every record: the runtime recognises an unchanged partition by identity. */
  readonly sourcePartition: SourcePartition
  /** The newest source template and block: changes come in runs of one table and transaction, rows of a snapshot chunk at one position. */
  private source:
    | {
        table: TableSchema
        context: EventContext
        template: SourceTemplate
        block: SourceBlock
        lastCommit: { lsn: Lsn | null; text: string }
      }
    | undefined
  /** What the newest snapshot rows share: those of one chunk, one source block and one ms. */
  private snapshotRows: ChangeRowsShared<SourceBlock> | undefined

  constructor(settings: ChangeEventSettings) {
    this.settings = settings
    this.schemas = new TableSchemas(settings.schemas)
    this.topics = new TableTopics(settings.prefix, settings.topic, (table) => table.schema)
    this.sourcePartition = Object.freeze({ server: settings.prefix })
  }

  /** The schema names' start: the table's own topic name, also when every change goes to one topic. */
  private schemaName(schema: string, table: string): string {
    return tableTopic(this.settings.prefix, schema, table)
  }

  topicFor(table: Pick<TableSchema, 'schema' | 'table'>): string {
    return this.topics.topicFor(table)
  }

  /** A table as a Relation message describes it (`catalog`: its columns' nullability and defaults; `types`: theirs, loaded). */
  streamedTable(
    schema: string,
    table: string,
    columns: readonly RelationColumn[],
    catalog: readonly CatalogColumn[],
    keyColumns: readonly string[],
    types: TypeLookup,
  ): TableSchema {
    const described = new Map(catalog.map((column) => [column.name, column]))
    const names = new Set(columns.map((column) => column.name))
    const sourceColumns = columns.map((column) => streamedColumn(column, described, types))
    return this.schemas.get(
      this.schemaName(schema, table),
      schema,
      table,
      sourceColumns,
      keyColumns.filter((column) => names.has(column)),
      types,
    )
  }

  /** A table as a query reads it (every column, generated ones too). */
  queriedTable(
    schema: string,
    table: string,
    catalog: readonly CatalogColumn[],
    keyColumns: readonly string[],
    types: TypeLookup,
  ): TableSchema {
    return this.schemas.get(
      this.schemaName(schema, table),
      schema,
      table,
      catalog.map((column) => queriedColumn(column, types)),
      keyColumns,
      types,
    )
  }

  /**
   * A row from a tuple (a key tuple has NULLs for the columns it does not carry) or from a query's
   * values, which start at `from`.
   */
  row(table: TableSchema, values: readonly (TupleValue | undefined)[], from = 0): Row {
    const row: Row = {}
    const { fields } = table
    for (let index = 0; index < fields.length; index++) {
      const field = fields[index] as FieldReader | undefined
      if (field === undefined) continue
      const value = values[from + index]
      if (typeof value === 'string') row[field.name] = field.read(value)
      else if (value === null || value === undefined) row[field.name] = field.nullValue
      else if (value === UNCHANGED) row[field.name] = field.unchanged
      else row[field.name] = field.read(value.toString('utf8'))
    }
    return row
  }

  key(table: TableSchema, row: Row): Row | null {
    return keyOf(table.keyColumns, row)
  }

  /** One change; a delete is followed by a tombstone unless disabled; none when its kind is skipped. */
  change(table: TableSchema, op: 'c' | 'u' | 'd', before: Row | null, after: Row | null, context: EventContext): SourceRecord[] {
    return this.settings.skipped.has(op) ? [] : this.emit(table, op, before, after, context)
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

  private emit(table: TableSchema, op: 'c' | 'u' | 'd', before: Row | null, after: Row | null, context: EventContext): SourceRecord[] {
    const record = this.record(table, this.key(table, (after ?? before) as Row), this.value(table, before, after, op, context), context)
    return withTombstone(record, op, this.settings.tombstones)
  }

  /** A snapshot row (op r): never followed by a tombstone, so no list is made for it. */
  snapshotRow(table: TableSchema, row: Row, context: EventContext): SourceRecord {
    const source = this.sourceBlock(table, context)
    const now = this.clock.now()
    let shared = this.snapshotRows
    if (shared === undefined || shared.shared !== source || shared.now !== now || shared.envelopeSchema !== table.envelopeSchema) {
      shared = new ChangeRowsShared(table.envelopeSchema, table.rowSchema, source, source, [], 'r', now)
      this.snapshotRows = shared
    }
    return this.record(table, this.key(table, row), new ChangeEnvelope(null, row, source, shared), context)
  }

  truncate(table: TableSchema, context: EventContext): SourceRecord[] {
    return this.settings.skipped.has('t') ? [] : [this.record(table, null, this.value(table, null, null, 't', context), context)]
  }

  private record(table: TableSchema, key: Row | null, value: unknown, context: EventContext): SourceRecord {
    // Written out, not spread: one record per row.
    return {
      topic: this.topicFor(table),
      key,
      keySchema: key === null ? undefined : table.keySchema,
      value,
      valueSchema: table.envelopeSchema,
      timestamp: Math.floor(context.commitTimeUs / 1000),
      sourcePartition: this.sourcePartition,
      sourceOffset: context.offset,
    }
  }

  private value(table: TableSchema, before: Row | null, after: Row | null, op: string, context: EventContext): Row {
    // Written out in the envelope's field order, which a copy keeps.
    const now = this.clock.now()
    return {
      before,
      after,
      source: this.sourceBlock(table, context),
      transaction: null,
      op,
      ts_ms: now.ms,
      ts_us: now.ms * 1000,
      ts_ns: now.ns,
    }
  }

  /**
   * Changes at one position of one table (every row of a snapshot chunk) share one source block,
   * and a run of one table and transaction one template: data is never changed in place.
   */
  private sourceBlock(table: TableSchema, context: EventContext): SourceBlock {
    const cached = this.source
    if (cached !== undefined && cached.table === table && (cached.context === context || samePosition(cached.context, context)))
      return cached.block
    const incremental = context.snapshot === 'incremental'
    const position = Number(context.lsn)
    // The last commit is the same for a whole transaction: its text is made once.
    let lastCommit = cached?.lastCommit
    if (lastCommit === undefined || lastCommit.lsn !== context.lastCommitLsn)
      lastCommit = { lsn: context.lastCommitLsn, text: context.lastCommitLsn === null ? 'null' : `"${lsnText(context.lastCommitLsn)}"` }
    const sequence = `[${lastCommit.text},"${lsnText(context.lsn)}"]`
    const template =
      cached !== undefined && cached.table === table && sameRun(cached.context, context) ? cached.template : this.template(table, context)
    const block = new SourceBlock(template, sequence, incremental ? null : position <= Number.MAX_SAFE_INTEGER ? position : context.lsn)
    this.source = { table, context, template, block, lastCommit }
    return block
  }

  private template(table: TableSchema, context: EventContext): SourceTemplate {
    const us = context.commitTimeUs
    return new SourceTemplate({
      version: this.settings.version,
      connector: 'postgresql',
      name: this.settings.prefix,
      ts_ms: Math.floor(us / 1000),
      snapshot: context.snapshot,
      db: this.settings.database,
      ts_us: us,
      ts_ns: BigInt(us) * 1000n,
      schema: table.schema,
      table: table.table,
      txId: context.snapshot === 'incremental' ? null : context.xid,
      xmin: null,
      origin: null,
      origin_lsn: null,
    })
  }
}

/** An LSN as the decimal number Debezium writes in `sequence`. */
function lsnText(lsn: Lsn): string {
  const value = Number(lsn)
  return value <= Number.MAX_SAFE_INTEGER ? String(value) : String(lsn)
}

/** Of one transaction (or snapshot read), with the same snapshot marker. */
function sameRun(a: EventContext, b: EventContext): boolean {
  return a.xid === b.xid && a.commitTimeUs === b.commitTimeUs && a.snapshot === b.snapshot
}

function samePosition(a: EventContext, b: EventContext): boolean {
  return a.lsn === b.lsn && a.lastCommitLsn === b.lastCommitLsn && sameRun(a, b)
}
