/**
 * Turns sink records into row operations for one table: a change envelope is unwrapped (c/u/r →
 * upsert of `after`, d → delete by key, t → truncate), a plain object is an upsert, a tombstone a
 * delete. Within a batch operations on one key fold into one, so a batch applies as one set.
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

function tableFor(record: SinkRecord, config: PostgresSinkConfig, names: Map<string, string>): string {
  const source = isEnvelope(record.value) ? record.value.source ?? {} : {}
  const schema = typeof source.schema === 'string' ? source.schema : undefined
  const table = typeof source.table === 'string' ? source.table : undefined
  // The format is applied once per topic and source table, not once per record.
  const cacheKey = `${record.topic}\0${schema ?? ''}\0${table ?? ''}`
  const cached = names.get(cacheKey)
  if (cached !== undefined) return cached
  const name = config['table.name.format']
    .replaceAll('${topic}', record.topic.replaceAll('.', '_'))
    .replaceAll('${source.schema}', schema ?? config['schema.default'])
    .replaceAll('${source.table}', table ?? record.topic.replaceAll('.', '_'))
  const qualifiedName = name.includes('.') ? name : `${config['schema.default']}.${name}`
  names.set(cacheKey, qualifiedName)
  return qualifiedName
}

function keyOf(record: SinkRecord, row: Record<string, unknown> | null, config: PostgresSinkConfig): Record<string, unknown> | null {
  const fields = config['primary.key.fields']
  if (fields !== undefined && row !== null) return Object.fromEntries(fields.map((field) => [field, row[field] ?? null]))
  if (isObject(record.key)) return record.key
  return null
}

/** A record → operation function for one task (it remembers the table names it has worked out). */
export function operationReader(config: PostgresSinkConfig): (record: SinkRecord) => RowOperation | null {
  const names = new Map<string, string>()
  return (record) => toOperation(record, config, names)
}

function toOperation(record: SinkRecord, config: PostgresSinkConfig, names: Map<string, string>): RowOperation | null {
  const table = tableFor(record, config, names)
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

/**
 * Folds the operations on each key (keyless ones all stay), in order, so that applying the result
 * as sets (deletes before upserts, see groupOperations) ends as applying each record in turn would:
 * - an upsert after an upsert of the same key takes the earlier row's columns it lacks (one left out
 *   for an unchanged-TOAST placeholder, say), as the earlier one would have written them;
 * - a delete drops what came before it on that key;
 * - an upsert after a delete keeps the delete: the row must not keep columns the upsert leaves out.
 */
export function reduceOperations(operations: readonly RowOperation[]): RowOperation[] {
  const folded: Array<RowOperation | null> = [...operations]
  const seen = new Map<string, { index: number; deleteIndex: number | undefined }>()
  operations.forEach((operation, index) => {
    if (operation.kind === 'truncate') {
      seen.clear()
      return
    }
    if (operation.key === null) return
    const identity = `${operation.table}\0${JSON.stringify(operation.key)}`
    const previous = seen.get(identity)
    if (previous === undefined) {
      seen.set(identity, { index, deleteIndex: undefined })
      return
    }
    const earlier = folded[previous.index] as RowOperation
    if (operation.kind === 'delete') {
      folded[previous.index] = null
      if (previous.deleteIndex !== undefined) folded[previous.deleteIndex] = null
      seen.set(identity, { index, deleteIndex: undefined })
    } else if (earlier.kind === 'delete') {
      seen.set(identity, { index, deleteIndex: previous.index })
    } else {
      folded[previous.index] = null
      if (earlier.kind === 'upsert') folded[index] = withEarlierColumns(operation, earlier.row)
      seen.set(identity, { index, deleteIndex: previous.deleteIndex })
    }
  })
  return folded.filter((operation): operation is RowOperation => operation !== null)
}

function withEarlierColumns(operation: Extract<RowOperation, { kind: 'upsert' }>, earlier: Record<string, unknown>): RowOperation {
  for (const column in earlier) {
    if (!(column in operation.row)) return { ...operation, row: { ...earlier, ...operation.row } }
  }
  return operation
}
