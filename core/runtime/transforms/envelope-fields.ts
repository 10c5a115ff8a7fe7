/**
 * The change-event fields ExtractNewRecordState copies into the new row (`add.fields`) or its headers
 * (`add.headers`), named as Debezium names them: `op`, `ts_ms`, `ts_us`, `ts_ns` are the envelope's;
 * `id`, `total_order`, `data_collection_order` the transaction's; any other name is the source's,
 * unless qualified (`source.ts_ms`, which becomes `__source_ts_ms`) or renamed (`table:tbl`, which
 * becomes `__tbl`). A name missing from its block is looked for in the envelope itself. With a
 * schema, the copied field's schema is the original's made optional, without its default.
 */
import { withOptions, type Schema } from '../schema/schema.ts'
import { dataError } from './struct-schema.ts'
import { isPlainObject } from './transform.ts'

export interface FieldReference {
  /** The block holding the field (`source`, `transaction`), or undefined for the envelope itself. */
  readonly block: string | undefined
  readonly field: string
  /** Its name in the new row or headers, prefix included. */
  readonly newName: string
}

function blockOf(field: string): string | undefined {
  switch (field) {
    case 'id':
    case 'total_order':
    case 'data_collection_order':
      return 'transaction'
    case 'op':
    case 'ts_ms':
    case 'ts_us':
    case 'ts_ns':
      return undefined
    case 'updateDescription':
      return 'updateDescription'
    default:
      return 'source'
  }
}

export function fieldReferences(prefix: string, items: readonly string[]): FieldReference[] {
  return items.map((item) => {
    const parts = item.split(':')
    if (parts.length > 2) throw dataError(`Unexpected field name: ${item}`)
    const path = (parts[0] as string).split('.')
    const qualified = path.length > 1
    const field = (qualified ? path[1] : path[0]) as string
    const block = qualified ? path[0] : blockOf(field)
    const newName = prefix + (parts.length === 2 ? (parts[1] as string) : qualified ? `${block}_${field}` : field)
    return { block, field, newName }
  })
}

/** Where a reference points in an envelope schema: the copied field's schema, and whether the field is its block's. */
export interface ResolvedReference {
  readonly reference: FieldReference
  readonly schema: Schema
  readonly inBlock: boolean
}

/** A reference resolved against an envelope schema; undefined when the envelope has no such field (it is then not copied). */
export function resolveReference(reference: FieldReference, envelope: Schema): ResolvedReference | undefined {
  const find = (schema: Schema | undefined, name: string) => schema?.fields?.find((candidate) => candidate.name === name)
  const parent = reference.block === undefined ? envelope : find(envelope, reference.block)?.schema
  const own = find(parent, reference.field)
  const found = own ?? find(envelope, reference.field)
  if (found === undefined) return undefined
  return { reference, schema: withOptions(found.schema, { optional: true, defaultValue: undefined }), inBlock: own !== undefined }
}

/** The value a resolved reference names in an envelope struct. */
export function resolvedValue({ reference, inBlock }: ResolvedReference, envelope: Record<string, unknown>): unknown {
  if (reference.block === undefined) return envelope[reference.field] ?? null
  const parent = envelope[reference.block]
  if (!isPlainObject(parent)) return null
  return (inBlock ? parent[reference.field] : envelope[reference.field]) ?? null
}

/** The value a reference names in a schemaless envelope (the envelope's own when its block has none); null when absent. */
export function referenceValue(reference: FieldReference, envelope: Record<string, unknown>): unknown {
  const parent = reference.block === undefined ? envelope : envelope[reference.block]
  if (!isPlainObject(parent)) return envelope[reference.field] ?? null
  return (reference.field in parent ? parent[reference.field] : envelope[reference.field]) ?? null
}

/** A copied value as header text, as Kafka's SimpleHeaderConverter writes one; undefined for null. */
export function headerText(value: unknown): string | Buffer | undefined {
  if (value === null || value === undefined) return undefined
  if (typeof value === 'string' || Buffer.isBuffer(value)) return value
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object') return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item))
  return String(value)
}
