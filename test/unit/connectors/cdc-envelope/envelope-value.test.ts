import { describe, expect, it } from 'vitest'
import { EnvelopeValue, SourceTemplate } from '../../../../connectors/cdc-envelope/envelope-value.ts'
import { toJsonText } from '../../../../core/runtime/plugin.ts'

type Source = Readonly<{ first: number; name: string; middle: string | null; nested: { a: number[] }; last: string }>
const FIELDS = ['first', 'name', 'middle', 'nested', 'last'] as const

describe('SourceTemplate and EnvelopeValue', () => {
  it('encode exactly as JSON.stringify, whichever fields differ per change', () => {
    const shared: Source = { first: 0, name: 'shop "eu"\n✓', middle: null, nested: { a: [1, 2] }, last: '' }
    for (const perChange of [['first', 'last'], ['middle'], [], ['first', 'name', 'middle', 'nested', 'last']] as const) {
      const template = new SourceTemplate<Source>(FIELDS, perChange, shared)
      for (const change of [
        { first: 7, name: 'n', middle: 'x"y', nested: { a: [] }, last: 'z\\' },
        { first: -1.5, name: '', middle: null, nested: { a: [3] }, last: '' },
      ]) {
        // Only the per-change fields differ from the shared values (the template's contract).
        const source: Source = { ...shared, ...Object.fromEntries(perChange.map((field) => [field, change[field]])) }
        expect(template.encode(source)).toBe(JSON.stringify(source))
        // Again with the same values (a snapshot's rows share them), then after another change.
        expect(template.encode({ ...source })).toBe(JSON.stringify(source))
        const value = new EnvelopeValue({ id: 1 }, null, source, template, 'd', 1_700_000_000_000)
        expect(value[toJsonText]()).toBe(JSON.stringify(value))
      }
    }
  })

  it('reuses the text of a run of changes with equal per-change values, and only of such a run', () => {
    type Position = Readonly<{ file: string; pos: number; row: number }>
    const template = new SourceTemplate<Position>(['file', 'pos', 'row'], ['pos', 'row'], { file: 'binlog.000001', pos: 0, row: 0 })
    const positions: Position[] = [
      { file: 'binlog.000001', pos: 4, row: 0 },
      { file: 'binlog.000001', pos: 4, row: 0 },
      { file: 'binlog.000001', pos: 4, row: 1 },
      { file: 'binlog.000001', pos: 9, row: 1 },
      { file: 'binlog.000001', pos: 4, row: 0 },
    ]
    expect(positions.map((position) => template.encode(position))).toEqual(positions.map((position) => JSON.stringify(position)))
  })
})
