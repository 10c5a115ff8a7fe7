/**
 * The `source` block of a PostgreSQL change event (Debezium's PostgresSourceInfoStructMaker): its
 * schema, `io.debezium.connector.postgresql.Source`, and its value, where `sequence` is
 * `["<last commit LSN>","<LSN>"]` with the LSNs as decimal numbers, and `lsn` and `txId` are left
 * out of incremental snapshot rows as Debezium leaves them. Within a run of changes of one table
 * and transaction only `sequence` and `lsn` change: the payload text of the rest is made once
 * (SourceTemplate), and each block writes just its two fields into it.
 */
import { Schemas, payloadWriter, toPayloadText, type PayloadTextSource, type Schema } from '../../../core/runtime/plugin.ts'
import { sourceSchema, type SnapshotMarker } from '../../cdc-envelope/envelope-schema.ts'

const OPTIONAL_INT64 = Schemas.int64({ optional: true })

export const POSTGRES_SOURCE_SCHEMA: Schema = sourceSchema('io.debezium.connector.postgresql.Source', [
  ['schema', Schemas.string()],
  ['table', Schemas.string()],
  ['txId', OPTIONAL_INT64],
  ['lsn', OPTIONAL_INT64],
  ['xmin', OPTIONAL_INT64],
  ['origin', Schemas.string({ optional: true })],
  ['origin_lsn', OPTIONAL_INT64],
])

/** What a run of changes shares: every field but `sequence` and `lsn`. */
export interface SharedSource {
  readonly version: string
  readonly connector: 'postgresql'
  readonly name: string
  readonly ts_ms: number
  readonly snapshot: SnapshotMarker
  readonly db: string
  readonly ts_us: number
  readonly ts_ns: bigint
  readonly schema: string
  readonly table: string
  readonly txId: number | null
  readonly xmin: null
  readonly origin: null
  readonly origin_lsn: null
}

const FIELDS = (POSTGRES_SOURCE_SCHEMA.fields ?? []).map((field) => ({ name: field.name, write: payloadWriter(field.schema) }))
const writeSequence = FIELDS.find((field) => field.name === 'sequence')?.write as (value: unknown) => string
const writeLsn = FIELDS.find((field) => field.name === 'lsn')?.write as (value: unknown) => string

/** The payload text of the shared fields, around the two a change sets. */
export class SourceTemplate {
  readonly shared: SharedSource
  private readonly beforeSequence: string
  private readonly beforeLsn: string
  private readonly afterLsn: string

  constructor(shared: SharedSource) {
    this.shared = shared
    // Each piece ends with the key of a field a change sets; the last closes the object.
    const pieces = ['']
    FIELDS.forEach(({ name, write }, index) => {
      const head = `${index === 0 ? '{' : ','}${JSON.stringify(name)}:`
      if (name === 'sequence' || name === 'lsn') {
        pieces[pieces.length - 1] += head
        pieces.push('')
      } else {
        pieces[pieces.length - 1] += head + write(shared[name as keyof SharedSource])
      }
    })
    this.beforeSequence = pieces[0] as string
    this.beforeLsn = pieces[1] as string
    this.afterLsn = `${pieces[2] as string}}`
  }

  text(sequence: string, lsn: number | bigint | null): string {
    return this.beforeSequence + writeSequence(sequence) + this.beforeLsn + writeLsn(lsn) + this.afterLsn
  }
}

/** A change's source block: plain data with every field, and its payload text from the template. */
export class SourceBlock implements PayloadTextSource {
  readonly version: string
  readonly connector: 'postgresql'
  readonly name: string
  readonly ts_ms: number
  readonly snapshot: SnapshotMarker
  readonly db: string
  readonly sequence: string
  readonly ts_us: number
  readonly ts_ns: bigint
  readonly schema: string
  readonly table: string
  readonly txId: number | null
  readonly lsn: number | bigint | null
  readonly xmin: null
  readonly origin: null
  readonly origin_lsn: null
  readonly #template: SourceTemplate

  constructor(template: SourceTemplate, sequence: string, lsn: number | bigint | null) {
    const shared = template.shared
    // In the schema's order, which a copy of this block keeps.
    this.version = shared.version
    this.connector = shared.connector
    this.name = shared.name
    this.ts_ms = shared.ts_ms
    this.snapshot = shared.snapshot
    this.db = shared.db
    this.sequence = sequence
    this.ts_us = shared.ts_us
    this.ts_ns = shared.ts_ns
    this.schema = shared.schema
    this.table = shared.table
    this.txId = shared.txId
    this.lsn = lsn
    this.xmin = null
    this.origin = null
    this.origin_lsn = null
    this.#template = template
  }

  [toPayloadText](): string {
    return this.#template.text(this.sequence, this.lsn)
  }
}
