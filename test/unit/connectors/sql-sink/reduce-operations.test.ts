import { describe, expect, it } from 'vitest'
import { groupOperations } from '../../../../connectors/sql-sink/group-operations.ts'
import { reduceOperations } from '../../../../connectors/sql-sink/reduce-operations.ts'
import type { RowOperation } from '../../../../connectors/sql-sink/row-operation.ts'
import { sinkRecord } from '../../../support/task-context.ts'

const record = sinkRecord({ value: null })
const upsert = (id: number, row: Record<string, unknown>): RowOperation => ({
  kind: 'upsert',
  table: 'public.t',
  key: { id },
  row: { id, ...row },
  record,
})
const remove = (id: number): RowOperation => ({ kind: 'delete', table: 'public.t', key: { id }, record })
const truncate: RowOperation = { kind: 'truncate', table: 'public.t', record }
const shape = (operation: RowOperation) =>
  operation.kind === 'upsert' ? ['u', operation.row] : operation.kind === 'delete' ? ['d', operation.key] : ['t']

describe('SQL sink batch folding', () => {
  it('folds upserts of one key, filling the columns a later one leaves out', () => {
    expect(reduceOperations([upsert(1, { a: 1, b: 'long' }), upsert(2, { a: 2 }), upsert(1, { a: 3 })]).map(shape)).toEqual([
      ['u', { id: 2, a: 2 }],
      ['u', { id: 1, a: 3, b: 'long' }],
    ])
  })

  it('keeps a delete before a re-insert and drops what a delete overrides', () => {
    expect(reduceOperations([upsert(1, { a: 1 }), remove(1), upsert(1, { b: 2 }), upsert(1, { c: 3 })]).map(shape)).toEqual([
      ['d', { id: 1 }],
      ['u', { id: 1, b: 2, c: 3 }],
    ])
    expect(reduceOperations([remove(1), upsert(1, { a: 1 }), remove(1)]).map(shape)).toEqual([['d', { id: 1 }]])
  })

  it("folds typed records' int64 keys beyond 2^53 (bigints) as any other key", () => {
    const big = (id: bigint, other: number, row: Record<string, unknown>): RowOperation => ({
      kind: 'upsert',
      table: 'public.t',
      key: { id, other },
      row: { id, other, ...row },
      record,
    })
    expect(
      reduceOperations([big(9007199254740993n, 1, { a: 1 }), big(9007199254740993n, 2, { a: 2 }), big(9007199254740993n, 1, { a: 3 })]).map(
        shape,
      ),
    ).toEqual([
      ['u', { id: 9007199254740993n, other: 2, a: 2 }],
      ['u', { id: 9007199254740993n, other: 1, a: 3 }],
    ])
  })

  it('does not fold across a truncate', () => {
    expect(reduceOperations([upsert(1, { a: 1, b: 2 }), truncate, upsert(1, { a: 3 })]).map(shape)).toEqual([
      ['u', { id: 1, a: 1, b: 2 }],
      ['t'],
      ['u', { id: 1, a: 3 }],
    ])
  })

  it('groups deletes before upserts between truncates', () => {
    const groups = groupOperations(reduceOperations([upsert(2, { a: 1 }), remove(1), upsert(1, { a: 2 }), truncate, remove(3)]))
    expect(groups.map((group) => group.map(shape))).toEqual([
      [['d', { id: 1 }]],
      [
        ['u', { id: 2, a: 1 }],
        ['u', { id: 1, a: 2 }],
      ],
      [['t']],
      [['d', { id: 3 }]],
    ])
  })

  it('groups upserts by table and column set even when shapes interleave', () => {
    const row = (table: string, id: number, fields: Record<string, unknown>): RowOperation => ({
      kind: 'upsert',
      table,
      key: { id },
      row: { id, ...fields },
      record,
    })
    const a1 = row('public.t', 1, { a: 1 })
    const b2 = row('public.t', 2, { b: 2 })
    const a3 = row('public.t', 3, { a: 3 })
    const other = row('public.u', 4, { a: 4 })
    const swapped: RowOperation = { kind: 'upsert', table: 'public.t', key: { id: 5 }, row: { a: 5, id: 5 }, record }
    const a6 = row('public.t', 6, { a: 6 })
    const fewer = row('public.t', 7, {})
    expect(groupOperations([a1, b2, a3, other, swapped, a6, fewer])).toEqual([[a1, a3, a6], [b2], [other], [swapped], [fewer]])
  })

  it('folds operations only on the same key: same columns, same values, same types', () => {
    const on = (key: Record<string, unknown>, a: number): RowOperation => ({
      kind: 'upsert',
      table: 'public.t',
      key,
      row: { ...key, a },
      record,
    })
    const folded = reduceOperations([
      on({ id: 1 }, 1),
      on({ id: '1' }, 2),
      on({ other: 1 }, 3),
      on({ id: 1, k: 2 }, 4),
      on({ id: 1, k: '2' }, 5),
      on({ id: 1 }, 6),
      on({ id: 1, k: 2 }, 7),
      on({ id: '1' }, 8),
    ])
    expect(folded.map(shape)).toEqual([
      ['u', { other: 1, a: 3 }],
      ['u', { id: 1, k: '2', a: 5 }],
      ['u', { id: 1, a: 6 }],
      ['u', { id: 1, k: 2, a: 7 }],
      ['u', { id: '1', a: 8 }],
    ])
  })
})
