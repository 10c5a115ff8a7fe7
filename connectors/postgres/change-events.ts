/**
 * Builds Debezium-compatible change events from decoded pgoutput messages and snapshot rows:
 * key = primary key (or `message.key.columns`), value `{ before, after, source, op, ts_ms }`,
 * topic `<prefix>.<schema>.<table>`. Unchanged TOASTed values become the placeholder, never a guess.
 */
import { toJsonText, type JsonTextSource, type SourceOffset, type SourcePartition, type SourceRecord } from '../../core/runtime/plugin.ts'
import { formatLsn, type Lsn } from './lsn.ts'
import { UNCHANGED, type RelationColumn, type TupleValue } from './pgoutput.ts'
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

/** Debezium's `source` block of a Postgres change event. */
interface PostgresSource {
  readonly version: string
  readonly connector: 'postgresql'
  readonly name: string
  readonly ts_ms: number
  readonly snapshot: EventContext['snapshot']
  readonly db: string
  readonly sequence: string
  readonly schema: string
  readonly table: string
  readonly txId: number | null
  readonly lsn: number
  readonly xmin: null
}

/**
 * The `source` fields all changes of one relation in one transaction share, with their JSON text
 * around the two that differ per change (sequence, lsn): encoded once, not once per row.
 */
class SourceTemplate {
  readonly shared: Omit<PostgresSource, 'sequence' | 'lsn'>
  readonly head: string
  readonly middle: string
  private readonly relation: Relation
  private readonly context: EventContext

  constructor(shared: Omit<PostgresSource, 'sequence' | 'lsn'>, relation: Relation, context: EventContext) {
    this.shared = shared
    this.relation = relation
    this.context = context
    const { version, connector, name, ts_ms, snapshot, db, schema, table, txId } = shared
    this.head = `{"version":${JSON.stringify(version)},"connector":"${connector}","name":${JSON.stringify(name)},"ts_ms":${ts_ms},"snapshot":"${snapshot}","db":${JSON.stringify(db)},"sequence":`
    this.middle = `,"schema":${JSON.stringify(schema)},"table":${JSON.stringify(table)},"txId":${JSON.stringify(txId)},"lsn":`
  }

  fits(relation: Relation, context: EventContext): boolean {
    const known = this.context
    return relation === this.relation && context.commitTimeMs === known.commitTimeMs && context.xid === known.xid && context.snapshot === known.snapshot
  }
}

/** A change event's value; its JSON text reuses the template's encoding of the shared `source` fields. */
class ChangeEventValue implements JsonTextSource {
  // Declared in Debezium's order, which JSON.stringify of this object keeps.
  readonly before: Row | null
  readonly after: Row | null
  readonly source: PostgresSource
  readonly op: string
  readonly ts_ms: number
  readonly #template: SourceTemplate

  constructor(before: Row | null, after: Row | null, template: SourceTemplate, sequence: string, lsn: number, op: string, tsMs: number) {
    const { shared } = template
    this.before = before
    this.after = after
    this.source = {
      version: shared.version, connector: shared.connector, name: shared.name, ts_ms: shared.ts_ms, snapshot: shared.snapshot, db: shared.db,
      sequence, schema: shared.schema, table: shared.table, txId: shared.txId, lsn, xmin: null,
    }
    this.op = op
    this.ts_ms = tsMs
    this.#template = template
  }

  [toJsonText](): string {
    const template = this.#template
    return `{"before":${JSON.stringify(this.before)},"after":${JSON.stringify(this.after)},"source":${template.head}${JSON.stringify(this.source.sequence)}${template.middle}${this.source.lsn},"xmin":null},"op":${JSON.stringify(this.op)},"ts_ms":${this.ts_ms}}`
  }
}

export class ChangeEvents {
  private readonly settings: ChangeEventSettings
  /** One object for every record: the runtime recognises an unchanged partition by identity. */
  private readonly partition: SourcePartition
  /** The newest source template: changes come in runs of one relation and transaction. */
  private template: SourceTemplate | undefined
  private sequence: { lsn: Lsn; lastCommitLsn: Lsn; text: string } | undefined

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
      if (typeof value === 'string') row[column.name] = decodeTextValue(column.typeOid, value, this.settings.types)
      else if (value === null) row[column.name] = null
      else if (value === UNCHANGED) row[column.name] = this.settings.placeholder
      else row[column.name] = value.toString('base64')
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
    const record = this.record(relation, key, this.value(relation, before, after, op, context), context)
    if (op !== 'd' || !this.settings.tombstones || key === null) return [record]
    return [record, { ...record, value: null }]
  }

  truncate(relation: Relation, context: EventContext): SourceRecord {
    return this.record(relation, null, this.value(relation, null, null, 't', context), context)
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

  private value(relation: Relation, before: Row | null, after: Row | null, op: string, context: EventContext): ChangeEventValue {
    return new ChangeEventValue(before, after, this.templateFor(relation, context), this.sequenceFor(context), Number(context.lsn), op, Date.now())
  }

  /** Debezium's `source.sequence`; every row of a snapshot has the same one, so the newest is kept. */
  private sequenceFor(context: EventContext): string {
    const cached = this.sequence
    if (cached !== undefined && cached.lsn === context.lsn && cached.lastCommitLsn === context.lastCommitLsn) return cached.text
    const text = `["${context.lastCommitLsnText ?? formatLsn(context.lastCommitLsn)}","${formatLsn(context.lsn)}"]`
    this.sequence = { lsn: context.lsn, lastCommitLsn: context.lastCommitLsn, text }
    return text
  }

  private templateFor(relation: Relation, context: EventContext): SourceTemplate {
    if (this.template?.fits(relation, context) === true) return this.template
    this.template = new SourceTemplate({
      version: '1.0.0',
      connector: 'postgresql',
      name: this.settings.prefix,
      ts_ms: context.commitTimeMs,
      snapshot: context.snapshot,
      db: this.settings.database,
      schema: relation.schema,
      table: relation.table,
      txId: context.xid,
      xmin: null,
    }, relation, context)
    return this.template
  }
}
