/**
 * Turns sink records into row operations for one table: a change envelope is unwrapped (c/u/r →
 * upsert of `after`, d → delete by key, t → truncate), a plain object is an upsert, a tombstone a
 * delete. Within a batch only the last operation per key counts, so a batch applies as one set.
 */
import type { SinkRecord } from '../../core/runtime/plugin.ts'
import type { PostgresSinkConfig } from './sink-config.ts'

export type RowOperation =
  | { kind: 'upsert'; table: string; row: Record<string, unknown>; key: Record<string, unknown> | null; record: SinkRecord }
  | { kind: 'delete'; table: string; key: Record<string, unknown>; record: SinkRecord }
  | { kind: 'truncate'; table: string; record: SinkRecord }

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value)
}

function isEnvelope(value: unknown): value is { op: string; before?: unknown; after?: unknown; source?: Record<string, unknown> } {
  return isObject(value) && typeof value.op === 'string' && ('after' in value || 'before' in value) && isObject(value.source)
}

export function tableFor(record: SinkRecord, config: PostgresSinkConfig): string {
  const source = isEnvelope(record.value) ? record.value.source ?? {} : {}
  const fromSource = (field: string) => (typeof source[field] === 'string' ? (source[field] as string) : undefined)
  const name = config['table.name.format']
    .replaceAll('${topic}', record.topic.replaceAll('.', '_'))
    .replaceAll('${source.schema}', fromSource('schema') ?? config['schema.default'])
    .replaceAll('${source.table}', fromSource('table') ?? record.topic.replaceAll('.', '_'))
  return name.includes('.') ? name : `${config['schema.default']}.${name}`
}

function keyOf(record: SinkRecord, row: Record<string, unknown> | null, config: PostgresSinkConfig): Record<string, unknown> | null {
  const fields = config['primary.key.fields']
  if (fields !== undefined && row !== null) return Object.fromEntries(fields.map((field) => [field, row[field] ?? null]))
  if (isObject(record.key)) return record.key
  return null
}

export function toOperation(record: SinkRecord, config: PostgresSinkConfig): RowOperation | null {
  const table = tableFor(record, config)
  const value = record.value
  if (value === null || value === undefined) {
    // A tombstone names no table; when tables come from the change events, the delete event before
    // it has already removed the row, and the tombstone only serves compaction.
    if (!config['delete.enabled'] || config['table.name.format'].includes('${source.')) return null
    const key = keyOf(record, null, config)
    return key === null ? null : { kind: 'delete', table, key, record }
  }
  if (isEnvelope(value)) {
    if (value.op === 't') return config['truncate.enabled'] ? { kind: 'truncate', table, record } : null
    if (value.op === 'd') {
      if (!config['delete.enabled']) return null
      const before = isObject(value.before) ? value.before : null
      const key = keyOf(record, before, config) ?? before
      return key === null ? null : { kind: 'delete', table, key, record }
    }
    if (!isObject(value.after)) return null
    return { kind: 'upsert', table, row: value.after, key: keyOf(record, value.after, config), record }
  }
  if (!isObject(value)) throw new TypeError(`a ${typeof value} value cannot be written as a row; postgres-sink needs objects or change events`)
  return { kind: 'upsert', table, row: value, key: keyOf(record, value, config), record }
}

/** Keeps the last operation per key (and every keyless one), in order. */
export function reduceOperations(operations: readonly RowOperation[]): RowOperation[] {
  const last = new Map<string, number>()
  operations.forEach((operation, index) => {
    if (operation.kind === 'truncate') return
    const key = operation.kind === 'delete' ? operation.key : operation.key
    if (key !== null) last.set(`${operation.table}\0${JSON.stringify(key)}`, index)
  })
  return operations.filter((operation, index) => {
    if (operation.kind === 'truncate') return true
    const key = operation.key
    return key === null || last.get(`${operation.table}\0${JSON.stringify(key)}`) === index
  })
}
