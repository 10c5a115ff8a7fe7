/**
 * The last snapshot row's primary key, kept in the offset as text so a snapshot resumes after it.
 * Binary keys travel as hex; integer keys are compared as integer literals, because MySQL compares
 * an integer column with a string parameter as doubles, which is inexact beyond 2^53.
 */
import type { TableShape } from '../shared/catalog.ts'
import { quoteIdentifier } from '../shared/quote.ts'

export function encodeKey(values: readonly unknown[]): string {
  return JSON.stringify(values.map((value) => (Buffer.isBuffer(value) ? { hex: value.toString('hex') } : value)))
}

export function decodeKey(text: string): unknown[] | null {
  if (text === '') return null
  return (JSON.parse(text) as unknown[]).map((value) =>
    typeof value === 'object' && value !== null && 'hex' in value ? Buffer.from(String(value.hex), 'hex') : value,
  )
}

/** `WHERE (k1, k2) > (…)`: the rows after `values` in key order. */
export function keyCondition(shape: TableShape, values: readonly unknown[]): { sql: string; params: unknown[] } {
  const params: unknown[] = []
  const placeholders = shape.keyColumns.map((name, index) => {
    const value = values[index]
    const kind = shape.columns.find((column) => column.name === name)?.kind
    if (kind === 'integer' && /^-?\d+$/.test(String(value))) return String(value)
    params.push(value)
    return '?'
  })
  return { sql: `WHERE (${shape.keyColumns.map(quoteIdentifier).join(', ')}) > (${placeholders.join(', ')})`, params }
}
