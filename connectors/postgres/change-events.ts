/**
 * Builds Debezium-compatible change events from decoded pgoutput messages and snapshot rows:
 * key = primary key (or `message.key.columns`), value `{ before, after, source, op, ts_ms }`,
 * topic `<prefix>.<schema>.<table>`. Unchanged TOASTed values become the placeholder, never a guess.
 */
import type { SourceOffset, SourcePartition, SourceRecord } from '../../core/runtime/plugin.ts'
import { formatLsn, type Lsn } from './lsn.ts'
import type { RelationColumn, TupleValue } from './pgoutput.ts'
import { decodeTextValue, type TypeLookup } from './value-decoder.ts'

export interface Relation {
  readonly schema: string
  readonly table: string
  readonly columns: readonly RelationColumn[]
  readonly keyColumns: readonly string[]
}

export interface EventContext {
  readonly xid: number | null
  readonly commitTimeMs: number
  /** The WAL position of the change (or the snapshot's consistent point). */
  readonly lsn: Lsn
  readonly lastCommitLsn: Lsn
  /** lastCommitLsn formatted, when the caller has it already. */
  readonly lastCommitLsnText?: string
  /** Debezium's source.snapshot: 'incremental' marks rows an incremental snapshot read. */
  readonly snapshot: 'false' | 'true' | 'last' | 'incremental'
  /** Offset of the record; the runtime stores the newest and resumes after it. */
  readonly offset: SourceOffset
}

export interface ChangeEventSettings {
  readonly prefix: string
  readonly database: string
  readonly topic: string | undefined
  readonly placeholder: string
  readonly tombstones: boolean
  readonly types: TypeLookup
}

export type Row = Record<string, unknown>

export class ChangeEvents {
  private readonly settings: ChangeEventSettings
  /** One object for every record: the runtime recognises an unchanged partition by identity. */
  private readonly partition: SourcePartition

  constructor(settings: ChangeEventSettings) {
    this.settings = settings
    this.partition = Object.freeze({ server: settings.prefix })
  }

  topicFor(relation: Pick<Relation, 'schema' | 'table'>): string {
    return this.settings.topic ?? `${this.settings.prefix}.${relation.schema}.${relation.table}`
  }

  /** A tuple from the stream as a row (a key tuple has nulls for the columns it does not carry). */
  row(relation: Relation, tuple: readonly TupleValue[]): Row {
    const row: Row = {}
    const { columns } = relation
    for (let index = 0; index < columns.length; index++) {
      const column = columns[index] as RelationColumn
      const value = tuple[index]
      if (value === undefined) continue
      if (value.kind === 'null') row[column.name] = null
      else if (value.kind === 'unchanged') row[column.name] = this.settings.placeholder
      else if (value.kind === 'binary') row[column.name] = value.bytes.toString('base64')
      else row[column.name] = decodeTextValue(column.typeOid, value.text, this.settings.types)
    }
    return row
  }

  key(relation: Relation, row: Row): Row | null {
    if (relation.keyColumns.length === 0) return null
    const key: Row = {}
    for (const name of relation.keyColumns) key[name] = row[name] ?? null
    return key
  }

  /** One change; a delete is followed by a tombstone unless disabled. */
  change(relation: Relation, op: 'c' | 'u' | 'd' | 'r', before: Row | null, after: Row | null, context: EventContext): SourceRecord[] {
    const key = this.key(relation, (after ?? before) as Row)
    const record = this.record(relation, key, { before, after, source: this.source(relation, context), op, ts_ms: Date.now() }, context)
    if (op !== 'd' || !this.settings.tombstones || key === null) return [record]
    return [record, { ...record, value: null }]
  }

  truncate(relation: Relation, context: EventContext): SourceRecord {
    return this.record(relation, null, { before: null, after: null, source: this.source(relation, context), op: 't', ts_ms: Date.now() }, context)
  }

  private record(relation: Relation, key: Row | null, value: unknown, context: EventContext): SourceRecord {
    return {
      topic: this.topicFor(relation),
      key,
      value,
      timestamp: context.commitTimeMs,
      sourcePartition: this.partition,
      sourceOffset: context.offset,
    }
  }

  private source(relation: Relation, context: EventContext): Record<string, unknown> {
    return {
      version: '1.0.0',
      connector: 'postgresql',
      name: this.settings.prefix,
      ts_ms: context.commitTimeMs,
      snapshot: context.snapshot,
      db: this.settings.database,
      sequence: `["${context.lastCommitLsnText ?? formatLsn(context.lastCommitLsn)}","${formatLsn(context.lsn)}"]`,
      schema: relation.schema,
      table: relation.table,
      txId: context.xid,
      lsn: Number(context.lsn),
      xmin: null,
    }
  }
}
