/**
 * Within a batch, operations on one key fold into one, so a batch applies as sets of statements
 * (see group-operations.ts) and still ends as applying each record in turn would.
 */
import type { RowOperation, UpsertOperation } from './row-operation.ts'

/**
 * Folds the operations on each key (keyless ones all stay), in order:
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
    const identity = identityOf(operation.table, operation.key)
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

function withEarlierColumns(operation: UpsertOperation, earlier: Record<string, unknown>): RowOperation {
  for (const column in earlier) {
    if (!(column in operation.row)) return { ...operation, row: { ...earlier, ...operation.row } }
  }
  return operation
}

/**
 * A key's identity within the batch. Most keys are one number or string column: those skip
 * JSON.stringify, and their form holds a NUL after the column, which JSON text never does.
 */
function identityOf(table: string, key: Record<string, unknown>): string {
  let only: string | undefined
  for (const column in key) {
    if (only !== undefined) return `${table}\0${keyJson(key)}`
    only = column
  }
  const value = only === undefined ? undefined : key[only]
  if (typeof value === 'number') return `${table}\0${only}\0n${value}`
  if (typeof value === 'string') return `${table}\0${only}\0s${value}`
  return `${table}\0${keyJson(key)}`
}

/** A typed record's int64 key beyond 2^53 is a bigint, which JSON.stringify refuses: written as its digits. */
function keyJson(key: Record<string, unknown>): string {
  try {
    return JSON.stringify(key)
  } catch {
    return JSON.stringify(key, (_name, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))
  }
}
