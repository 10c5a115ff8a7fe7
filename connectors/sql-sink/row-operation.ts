/**
 * Turns sink records into row operations for one table: a change envelope is unwrapped (c/u/r →
 * upsert of `after`, d → delete by key, t → truncate), a plain object is an upsert, a tombstone a
 * delete. The same for every SQL sink; only the statements differ.
 */
import { field, type Schema, type SinkRecord } from '../../core/runtime/plugin.ts'
import type { SqlSinkSettings } from './config-fields.ts'
import { tableNamer, type SourceBlock } from './table-name.ts'

/**
 * `schema`: the struct schema of the upsert's row or the delete's key, when the record has one
 * (typed records: the value schema, or an envelope's `after` or `before`); it types the columns.
 */
export type RowOperation =
  | {
      kind: 'upsert'
      table: string
      row: Record<string, unknown>
      key: Record<string, unknown> | null
      record: SinkRecord
      schema?: Schema | undefined
    }
  | { kind: 'delete'; table: string; key: Record<string, unknown>; record: SinkRecord; schema?: Schema | undefined }
  | { kind: 'truncate'; table: string; record: SinkRecord }

export type UpsertOperation = Extract<RowOperation, { kind: 'upsert' }>
export type DeleteOperation = Extract<RowOperation, { kind: 'delete' }>

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value)
}

export function isEnvelope(value: unknown): value is { op: string; before?: unknown; after?: unknown; source: SourceBlock } {
  return isObject(value) && typeof value.op === 'string' && ('after' in value || 'before' in value) && isObject(value.source)
}

export interface OperationSettings extends SqlSinkSettings {
  /** Qualifies table names without one (a schema or a database). */
  readonly defaultNamespace: string | undefined
  /** Named in the message for a record that is no row. */
  readonly sinkName: string
}

/**
 * The record an operation keeps until its flush: where it came from and its key, with `value` the
 * row (or key) it writes instead of the whole change event. The event's other parts (its source
 * block above all) are then let go at once instead of living through the flush. A record the
 * database refuses reaches the dead-letter topic as stored; this value only stands in should the
 * stored one be gone.
 */
function kept(record: SinkRecord, value: Record<string, unknown> | null): SinkRecord {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key,
    value,
    headers: record.headers,
    timestamp: record.timestamp,
  }
}

function keyOf(
  record: SinkRecord,
  row: Record<string, unknown> | null,
  fields: readonly string[] | undefined,
): Record<string, unknown> | null {
  if (fields !== undefined && row !== null) return Object.fromEntries(fields.map((field) => [field, row[field] ?? null]))
  if (isObject(record.key)) return record.key
  return null
}

const struct = (schema: Schema | undefined): Schema | undefined => (schema?.type === 'struct' ? schema : undefined)

/** The schema of an envelope's `before` or `after`. */
function partSchema(record: SinkRecord, part: 'before' | 'after'): Schema | undefined {
  const envelope = record.valueSchema
  return envelope === undefined ? undefined : struct(field(envelope, part)?.schema)
}

/** A delete's key is the row's fields (primary.key.fields, or the whole row when there is no record key) or the record key: typed by that one's schema. */
function deleteKeySchema(
  record: SinkRecord,
  row: Record<string, unknown> | null,
  rowSchema: Schema | undefined,
  fields: readonly string[] | undefined,
): Schema | undefined {
  if (fields !== undefined && row !== null) return rowSchema
  return isObject(record.key) ? struct(record.keySchema) : rowSchema
}

/** A record → operation function for one task (it remembers the table names it has worked out). */
export function operationReader(settings: OperationSettings): (record: SinkRecord) => RowOperation | null {
  const tableFor = tableNamer({ format: settings['table.name.format'], defaultNamespace: settings.defaultNamespace })
  const fields = settings['primary.key.fields']
  // A tombstone names no table; when tables come from the change events, the delete event before
  // it has already removed the row, and the tombstone only serves compaction.
  const tombstonesDelete = settings['delete.enabled'] && !settings['table.name.format'].includes('${source.')
  return (record) => {
    const value = record.value
    if (value === null || value === undefined) {
      if (!tombstonesDelete) return null
      const key = keyOf(record, null, fields)
      return key === null
        ? null
        : { kind: 'delete', table: tableFor(record.topic, {}), key, record, schema: deleteKeySchema(record, null, undefined, fields) }
    }
    if (isEnvelope(value)) {
      const table = tableFor(record.topic, value.source)
      if (value.op === 't') return settings['truncate.enabled'] ? { kind: 'truncate', table, record: kept(record, null) } : null
      if (value.op === 'd') {
        if (!settings['delete.enabled']) return null
        const before = isObject(value.before) ? value.before : null
        const key = keyOf(record, before, fields) ?? before
        if (key === null) return null
        return {
          kind: 'delete',
          table,
          key,
          record: kept(record, before),
          schema: deleteKeySchema(record, before, partSchema(record, 'before'), fields),
        }
      }
      if (!isObject(value.after)) return null
      return {
        kind: 'upsert',
        table,
        row: value.after,
        key: keyOf(record, value.after, fields),
        record: kept(record, value.after),
        schema: partSchema(record, 'after'),
      }
    }
    if (!isObject(value))
      throw new TypeError(`a ${typeof value} value cannot be written as a row; ${settings.sinkName} needs objects or change events`)
    return {
      kind: 'upsert',
      table: tableFor(record.topic, {}),
      row: value,
      key: keyOf(record, value, fields),
      record,
      schema: struct(record.valueSchema),
    }
  }
}
