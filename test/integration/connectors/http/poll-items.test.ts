import { describe, expect, it } from 'vitest'
import { compareCursors, itemsAt, selectNewItems } from '../../../../connectors/http/poll-items.ts'
import { SeenIds } from '../../../../connectors/http/seen-ids.ts'

describe('poll items', () => {
  it('finds the items at a dotted path, or takes the response as one item', () => {
    expect(itemsAt([1, 2], undefined)).toEqual([1, 2])
    expect(itemsAt({ a: 1 }, undefined)).toEqual([{ a: 1 }])
    expect(itemsAt({ data: { rows: [{ x: 1 }] } }, 'data.rows')).toEqual([{ x: 1 }])
    expect(itemsAt({ pages: [{ rows: [7] }] }, 'pages.0.rows')).toEqual([7])
    expect(itemsAt({ data: null }, 'data.rows')).toEqual([])
  })

  it('compares numeric cursors as numbers and the rest as strings', () => {
    expect(compareCursors(9, 10)).toBeLessThan(0)
    expect(compareCursors('9', 10)).toBeLessThan(0)
    expect(compareCursors('2024-05-01T10:00:00Z', '2024-05-01T09:59:59Z')).toBeGreaterThan(0)
    expect(compareCursors('b', 'b')).toBe(0)
  })

  it('keeps items beyond the cursor, oldest first, and drops seen ids', () => {
    const items = [{ id: 'c', ts: 12 }, { id: 'a', ts: 9 }, { id: 'b', ts: 10 }, { id: 'x' }]
    const byCursor = selectNewItems(items, { cursorField: 'ts', idField: undefined, cursor: 9, seen: new SeenIds(10) })
    expect(byCursor.fresh.map((f) => f.cursor)).toEqual([10, 12])
    expect(byCursor.withoutCursor).toBe(1)
    const seen = new SeenIds(10)
    expect(selectNewItems(items, { cursorField: undefined, idField: 'id', cursor: null, seen }).fresh).toHaveLength(4)
    expect(
      selectNewItems([...items, { id: 'd' }], { cursorField: undefined, idField: 'id', cursor: null, seen }).fresh.map((f) => f.item),
    ).toEqual([{ id: 'd' }])
  })

  it('forgets the least recently seen ids beyond its capacity', () => {
    const seen = new SeenIds(2)
    expect([seen.check('a'), seen.check('b'), seen.check('a'), seen.check('c')]).toEqual([false, false, true, false])
    expect(seen.size).toBe(2)
    expect(seen.check('a')).toBe(true)
    expect(seen.check('b')).toBe(false)
    expect(seen.check(1)).toBe(false)
    expect(seen.check('1')).toBe(false)
  })
})
