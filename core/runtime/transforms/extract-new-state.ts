/**
 * Debezium's ExtractNewRecordState: a change event's value becomes its new row (`after`).
 * `delete.tombstone.handling.mode` says what deletes and tombstones become: `tombstone` (the default:
 * a delete becomes a null value, tombstones are dropped), `drop` (both dropped), `rewrite` (a delete
 * keeps its old row with `__deleted: "true"`, other rows get `"false"`, tombstones are dropped),
 * `rewrite-with-tombstone` (as rewrite, tombstones kept) or `delete-to-tombstone` (a delete becomes a
 * tombstone without a schema). Debezium's older keys still work: `delete.handling.mode` (none, drop,
 * rewrite) with `drop.tombstones`. `add.fields=op,table,source.ts_ms` copies envelope or source fields
 * in as `__op`, `__table`, `__source_ts_ms`; `add.headers` copies them into headers.
 *
 * With a schema, only a value whose schema is named `….Envelope` is a change event. The row's schema
 * is the `after` (or, rewritten, `before`) field's schema as it is; adding `__deleted` (an optional
 * string) or copied fields (each its original's schema, made optional) rebuilds it as a struct with
 * the same name, version and doc that, as in Debezium, is not optional. The key is untouched.
 */
import { z } from 'zod'
import type { ConnectRecord } from '../plugin.ts'
import { Schemas, type Schema } from '../schema/schema.ts'
import { fieldReferences, headerText, referenceValue, resolveReference, resolvedValue, type FieldReference } from './envelope-fields.ts'
import { copyStruct, dataError, derivedSchemas, requireStruct, type StructValue } from './struct-schema.ts'
import { commaList, defineTransform, isPlainObject, withSide } from './transform.ts'

const schema = z.object({
  'delete.tombstone.handling.mode': z
    .enum(['tombstone', 'drop', 'rewrite', 'rewrite-with-tombstone', 'delete-to-tombstone'])
    .optional()
    .describe('What deletes and tombstones become (default tombstone); overrides delete.handling.mode and drop.tombstones'),
  'delete.handling.mode': z
    .enum(['drop', 'none', 'rewrite'])
    .optional()
    .describe('Older key: what a delete becomes: none = tombstone, drop, or rewrite (old row + __deleted)'),
  'drop.tombstones': z.enum(['true', 'false']).default('true').describe('Older key: drop tombstones that follow deletes'),
  'add.fields': commaList
    .optional()
    .describe('Envelope or source fields to add as __<name> (source.ts_ms as __source_ts_ms; name:new renames)'),
  'add.fields.prefix': z.string().default('__').describe('Prefix of the added fields'),
  'add.headers': commaList.optional().describe('Envelope or source fields to add as headers __<name>'),
  'add.headers.prefix': z.string().default('__').describe('Prefix of the added headers'),
})

type Deletes = 'drop' | 'tombstone' | 'rewrite' | 'delete-to-tombstone'

function deleteHandling(config: z.infer<typeof schema>): { deletes: Deletes; keepTombstones: boolean } {
  const mode = config['delete.tombstone.handling.mode']
  if (mode !== undefined)
    return { deletes: mode === 'rewrite-with-tombstone' ? 'rewrite' : mode, keepTombstones: mode === 'rewrite-with-tombstone' }
  const legacy = config['delete.handling.mode'] ?? 'none'
  return { deletes: legacy === 'none' ? 'tombstone' : legacy, keepTombstones: config['drop.tombstones'] === 'false' }
}

const DELETED = '__deleted'
const OPTIONAL_STRING = Schemas.string({ optional: true })
const PURPOSE = 'source field insertion'

function isEnvelope(value: unknown): value is { op: string; before?: unknown; after?: unknown; source?: Record<string, unknown> } {
  return isPlainObject(value) && typeof value.op === 'string' && ('after' in value || 'before' in value)
}

function isEnvelopeSchema(schema: Schema | undefined): schema is Schema {
  return schema?.name?.endsWith('.Envelope') === true
}

export const extractNewState = defineTransform({
  name: 'extract-new-state',
  aliases: ['io.debezium.transforms.ExtractNewRecordState', 'ExtractNewRecordState', 'unwrap'],
  description: 'Turns a change event into the row state it leaves behind',
  config: schema,
  create(config) {
    const { deletes, keepTombstones } = deleteHandling(config)
    const fields = fieldReferences(config['add.fields.prefix'], config['add.fields'] ?? [])
    const headers = fieldReferences(config['add.headers.prefix'], config['add.headers'] ?? [])
    const withDeleted = derivedSchemas((row: Schema) =>
      copyStruct(row, [...(row.fields ?? []).map((f) => [f.name, f.schema] as const), [DELETED, OPTIONAL_STRING]]),
    )
    // The row schema with the added fields, per row schema and envelope schema.
    const withAdded = derivedSchemas((row: Schema) =>
      derivedSchemas((envelope: Schema) => {
        const resolved = fields.flatMap((reference) => resolveReference(reference, envelope) ?? [])
        return {
          resolved,
          schema: copyStruct(row, [
            ...(row.fields ?? []).map((f) => [f.name, f.schema] as const),
            ...resolved.map((r) => [r.reference.newName, r.schema] as const),
          ]),
        }
      }),
    )

    const addHeaders = <R extends ConnectRecord>(record: R, read: (reference: FieldReference) => unknown): R => {
      if (headers.length === 0) return record
      const added: Record<string, Buffer> = {}
      for (const reference of headers) {
        const text = headerText(read(reference))
        if (text !== undefined) added[reference.newName] = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8')
      }
      return { ...record, headers: { ...record.headers, ...added } }
    }
    const tombstone = <R extends ConnectRecord>(record: R): R | null => {
      if (!keepTombstones) return null
      // A tombstone still says it was a delete, in the `op` header.
      return addHeaders(record, (reference) => (reference.block === undefined && reference.field === 'op' ? 'd' : null))
    }

    const applyWithSchema = <R extends ConnectRecord>(record: R, envelopeSchema: Schema): R | null => {
      const envelope = requireStruct(record.value, envelopeSchema, PURPOSE)
      const withHeaders = addHeaders(record, (reference) => referenceValue(reference, envelope))
      const fieldSchema = (name: string): Schema => {
        const found = envelopeSchema.fields?.find((field) => field.name === name)?.schema
        if (found === undefined) throw dataError(`Unknown field: ${name} in ${envelopeSchema.name ?? 'the envelope'}`)
        return found
      }
      const after = envelope.after ?? null
      const before = envelope.before ?? null
      if (after === null && before === null) return null // a truncate
      let row: StructValue
      let rowSchema: Schema
      if (after === null) {
        if (deletes === 'drop') return null
        if (deletes === 'delete-to-tombstone') return withSide(withHeaders, 'value', { data: null, schema: undefined })
        // Debezium's tombstone mode keeps the row schema beside the null value.
        if (deletes === 'tombstone') return withSide(withHeaders, 'value', { data: null, schema: fieldSchema('after') })
        const beforeSchema = fieldSchema('before')
        row = { ...requireStruct(before, beforeSchema, PURPOSE), [DELETED]: 'true' }
        rowSchema = withDeleted(beforeSchema)
      } else {
        const afterSchema = fieldSchema('after')
        row = requireStruct(after, afterSchema, PURPOSE)
        rowSchema = afterSchema
        if (deletes === 'rewrite') {
          row = { ...row, [DELETED]: 'false' }
          rowSchema = withDeleted(afterSchema)
        }
      }
      if (fields.length > 0) {
        const added = withAdded(rowSchema)(envelopeSchema)
        row = { ...row }
        for (const resolved of added.resolved) row[resolved.reference.newName] = resolvedValue(resolved, envelope)
        rowSchema = added.schema
      }
      return withSide(withHeaders, 'value', { data: row, schema: rowSchema })
    }

    return {
      apply(record) {
        if (record.value === null || record.value === undefined) return tombstone(record)
        if (record.valueSchema !== undefined)
          return isEnvelopeSchema(record.valueSchema) ? applyWithSchema(record, record.valueSchema) : record
        if (!isEnvelope(record.value)) return record
        const envelope = record.value
        const withHeaders = addHeaders(record, (reference) => referenceValue(reference, envelope))
        const extras = Object.fromEntries(fields.map((reference) => [reference.newName, referenceValue(reference, envelope)]))
        if (envelope.op === 'd') {
          if (deletes === 'drop') return null
          if (deletes !== 'rewrite') return { ...withHeaders, value: null }
          return { ...withHeaders, value: { ...(isPlainObject(envelope.before) ? envelope.before : {}), ...extras, [DELETED]: 'true' } }
        }
        if (!isPlainObject(envelope.after)) return envelope.op === 't' ? null : record
        return { ...withHeaders, value: { ...envelope.after, ...extras, ...(deletes === 'rewrite' && { [DELETED]: 'false' }) } }
      },
    }
  },
})
