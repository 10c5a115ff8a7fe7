/**
 * Groups reduced operations into statements: truncates are barriers; between them, deletes per table
 * and key columns, then upserts per table and column set. After reduceOperations a key has at most
 * one delete and then at most one upsert, so this reordering is safe.
 */
import type { RowOperation } from './row-operation.ts'

export function groupOperations(operations: readonly RowOperation[]): RowOperation[][] {
  const groups: RowOperation[][] = []
  let deletes = new Map<string, RowOperation[]>()
  let upserts = new Map<string, RowOperation[]>()
  const flush = () => {
    groups.push(...deletes.values(), ...upserts.values())
    deletes = new Map()
    upserts = new Map()
  }
  for (const operation of operations) {
    if (operation.kind === 'truncate') {
      flush()
      groups.push([operation])
      continue
    }
    const [segment, shape] = operation.kind === 'delete' ? [deletes, `${operation.table}\0${Object.keys(operation.key).join(',')}`] : [upserts, `${operation.table}\0${Object.keys(operation.row).join(',')}`]
    const run = segment.get(shape)
    if (run === undefined) segment.set(shape, [operation])
    else run.push(operation)
  }
  flush()
  return groups
}
