/**
 * Groups reduced operations into statements: truncates are barriers; between them, deletes per table
 * and key columns, then upserts per table and column set. After reduceOperations a key has at most
 * one delete and then at most one upsert, so this reordering is safe.
 */
import type { RowOperation } from './row-operation.ts'

/** The run an operation joined last, so the next one of the same shape skips building its key. */
interface LastRun {
  readonly table: string
  readonly columns: readonly string[]
  readonly run: RowOperation[]
}

export function groupOperations(operations: readonly RowOperation[]): RowOperation[][] {
  const groups: RowOperation[][] = []
  let deletes = new Map<string, RowOperation[]>()
  let upserts = new Map<string, RowOperation[]>()
  let lastDelete: LastRun | undefined
  let lastUpsert: LastRun | undefined
  const flush = () => {
    groups.push(...deletes.values(), ...upserts.values())
    deletes = new Map()
    upserts = new Map()
    lastDelete = undefined
    lastUpsert = undefined
  }
  for (const operation of operations) {
    if (operation.kind === 'truncate') {
      flush()
      groups.push([operation])
      continue
    }
    const fields = operation.kind === 'delete' ? operation.key : operation.row
    const last = operation.kind === 'delete' ? lastDelete : lastUpsert
    // Operations come in runs of one shape: comparing with the last run's columns costs far less
    // than a shape key per row.
    if (last !== undefined && last.table === operation.table && hasColumns(fields, last.columns)) {
      last.run.push(operation)
      continue
    }
    const segment = operation.kind === 'delete' ? deletes : upserts
    const columns = Object.keys(fields)
    const shape = `${operation.table}\0${columns.join(',')}`
    let run = segment.get(shape)
    if (run === undefined) {
      run = [operation]
      segment.set(shape, run)
    } else run.push(operation)
    const joined = { table: operation.table, columns, run }
    if (operation.kind === 'delete') lastDelete = joined
    else lastUpsert = joined
  }
  flush()
  return groups
}

/** Whether `fields` has exactly `columns`, in that order, without building an array. */
function hasColumns(fields: Record<string, unknown>, columns: readonly string[]): boolean {
  let index = 0
  for (const column in fields) {
    if (columns[index] !== column) return false
    index++
  }
  return index === columns.length
}
