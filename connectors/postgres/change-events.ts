/**
 * Builds Debezium-compatible change events from decoded pgoutput messages and snapshot rows:
 * key = primary key (or `message.key.columns`), value `{ before, after, source, op, ts_ms }`,
 * topic `<prefix>.<schema>.<table>`. Unchanged TOASTed values become the placeholder, never a guess.
 */
import type { SourceOffset, SourcePartition, SourceRecord } from '../../core/runtime/plugin.ts'
import { keyOf, withTombstone } from '../cdc-envelope/change-record.ts'
import { EnvelopeValue, SourceTemplate } from '../cdc-envelope/envelope-value.ts'
import { tableTopic } from '../cdc-envelope/topic-name.ts'
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
type PostgresSource = Readonly<{
  version: string
  connector: 'postgresql'
  name: string
  ts_ms: number
  snapshot: EventContext['snapshot']
  db: string
  sequence: string
  schema: string
  table: string
  txId: number | null
  lsn: number
  xmin: null
}>

const SOURCE_FIELDS = ['version', 'connector', 'name', 'ts_ms', 'snapshot', 'db', 'sequence', 'schema', 'table', 'txId', 'lsn', 'xmin'] as const
const PER_CHANGE = ['sequence', 'lsn'] as const

/** The source template of one relation in one transaction (or snapshot), and what it was built for. */
interface TemplateFor {
  readonly template: SourceTemplate<PostgresSource>
  readonly relation: Relation
  readonly context: EventContext
}

export class ChangeEvents {
  private readonly settings: ChangeEventSettings
  private readonly topics = new WeakMap<Pick<Relation, 'schema' | 'table'>, string>()
  /** One object for every record: the runtime recognises an unchanged partition by identity. */
  readonly partition: SourcePartition
  /** The newest source template: changes come in runs of one relation and transaction. */
  private template: TemplateFor | undefined
  private sequence: { lsn: Lsn; lastCommitLsn: Lsn; text: string } | undefined
  /** The newest source block, and the template it was made from. */
  private source: { readonly template: SourceTemplate<PostgresSource>; readonly block: PostgresSource } | undefined

  constructor(settings: ChangeEventSettings) {
    this.settings = settings
    this.partition = Object.freeze({ server: settings.prefix })
  }

  topicFor(relation: Pick<Relation, 'schema' | 'table'>): string {
    // One string per table, not one per record: the runtime groups records by topic.
    const cached = this.topics.get(relation)
    if (cached !== undefined) return cached
    const topic = this.settings.topic ?? tableTopic(this.settings.prefix, relation.schema, relation.table)
    this.topics.set(relation, topic)
    return topic
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
    return keyOf(relation.keyColumns, row)
  }

  /** One change; a delete is followed by a tombstone unless disabled. */
  change(relation: Relation, op: 'c' | 'u' | 'd' | 'r', before: Row | null, after: Row | null, context: EventContext): SourceRecord[] {
    const key = this.key(relation, (after ?? before) as Row)
    const record = this.record(relation, key, this.value(relation, before, after, op, context), context)
    return withTombstone(record, op, this.settings.tombstones)
  }

  /** A snapshot row (op r): never followed by a tombstone, so no list is made for it. */
  snapshotRow(relation: Relation, row: Row, context: EventContext): SourceRecord {
    return this.record(relation, this.key(relation, row), this.value(relation, null, row, 'r', context), context)
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

  private value(relation: Relation, before: Row | null, after: Row | null, op: string, context: EventContext): EnvelopeValue<PostgresSource> {
    const template = this.templateFor(relation, context)
    const sequence = this.sequenceFor(context)
    const lsn = Number(context.lsn)
    // Changes at one position (every row of a snapshot chunk) share one source block: data is never
    // changed in place (plugin.ts), so one object serves them all.
    let source = this.source
    if (source === undefined || source.template !== template || source.block.sequence !== sequence || source.block.lsn !== lsn) {
      const { shared } = template
      // Written out, not spread from shared: a literal is measurably cheaper once per row.
      const block: PostgresSource = {
        version: shared.version, connector: shared.connector, name: shared.name, ts_ms: shared.ts_ms, snapshot: shared.snapshot, db: shared.db,
        sequence, schema: shared.schema, table: shared.table, txId: shared.txId, lsn, xmin: null,
      }
      source = { template, block }
      this.source = source
    }
    return new EnvelopeValue(before, after, source.block, template, op, Date.now())
  }

  /** Debezium's `source.sequence`; every row of a snapshot has the same one, so the newest is kept. */
  private sequenceFor(context: EventContext): string {
    const cached = this.sequence
    if (cached !== undefined && cached.lsn === context.lsn && cached.lastCommitLsn === context.lastCommitLsn) return cached.text
    const text = `["${context.lastCommitLsnText ?? formatLsn(context.lastCommitLsn)}","${formatLsn(context.lsn)}"]`
    this.sequence = { lsn: context.lsn, lastCommitLsn: context.lastCommitLsn, text }
    return text
  }

  private templateFor(relation: Relation, context: EventContext): SourceTemplate<PostgresSource> {
    const cached = this.template
    if (cached !== undefined && cached.relation === relation && cached.context.commitTimeMs === context.commitTimeMs && cached.context.xid === context.xid && cached.context.snapshot === context.snapshot) {
      return cached.template
    }
    const template = new SourceTemplate<PostgresSource>(SOURCE_FIELDS, PER_CHANGE, {
      version: '1.0.0',
      connector: 'postgresql',
      name: this.settings.prefix,
      ts_ms: context.commitTimeMs,
      snapshot: context.snapshot,
      db: this.settings.database,
      sequence: '',
      schema: relation.schema,
      table: relation.table,
      txId: context.xid,
      lsn: 0,
      xmin: null,
    })
    this.template = { template, relation, context }
    return template
  }
}
