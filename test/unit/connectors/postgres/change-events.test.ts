import { describe, expect, it } from 'vitest'
import { toJsonText, type JsonTextSource } from '../../../../core/runtime/plugin.ts'
import { ChangeEvents, type EventContext, type Relation } from '../../../../connectors/postgres/change-events.ts'

const events = new ChangeEvents({ prefix: 'shop "eu"', database: 'db', topic: undefined, placeholder: '__unavailable', tombstones: true, types: () => undefined })
const orders: Relation = {
  schema: 'public',
  table: 'orders',
  columns: [{ name: 'id', typeOid: 23, typeModifier: -1, isKey: true }, { name: 'note', typeOid: 25, typeModifier: -1, isKey: false }],
  keyColumns: ['id'],
}
const items: Relation = { ...orders, table: 'order "items"' }

function context(xid: number | null, lsn: bigint, snapshot: EventContext['snapshot'] = 'false'): EventContext {
  return { xid, commitTimeMs: 1_700_000_000_000 + (xid ?? 0), lsn, lastCommitLsn: 0x16b3748n, snapshot, offset: { lsn: '0/16B3748' } }
}

function jsonOf(value: unknown): string {
  return (value as JsonTextSource)[toJsonText]()
}

describe('change event JSON text', () => {
  it('equals JSON.stringify of the value for every kind of change, across relations and transactions', () => {
    const values = [
      ...events.change(orders, 'c', null, { id: 1, note: 'a "quoted"\nline ✓' }, context(7, 0x16b3750n)),
      ...events.change(orders, 'u', { id: 1, note: null }, { id: 1, note: '__unavailable' }, context(7, 0x16b3758n)),
      ...events.change(items, 'c', null, { id: 2, note: { nested: [1, 'x'] } }, context(7, 0x16b3760n)),
      ...events.change(orders, 'd', { id: 1, note: null }, null, context(8, 0x16b3800n)),
      ...events.change(orders, 'r', null, { id: 3, note: 'snap' }, context(null, 0x16b3900n, 'last')),
      events.truncate(items, context(9, 0x16b3a00n)),
    ].map((record) => record.value)
    const encoded = values.filter((value) => value !== null)
    expect(encoded).toHaveLength(6) // the delete's tombstone has no value
    for (const value of encoded) {
      expect(jsonOf(value)).toBe(JSON.stringify(value))
    }
    const parsed = encoded.map((value) => JSON.parse(jsonOf(value)) as { op: string; source: Record<string, unknown> })
    expect(parsed.map((event) => [event.op, event.source.table, event.source.txId, event.source.snapshot])).toEqual([
      ['c', 'orders', 7, 'false'], ['u', 'orders', 7, 'false'], ['c', 'order "items"', 7, 'false'], ['d', 'orders', 8, 'false'], ['r', 'orders', null, 'last'], ['t', 'order "items"', 9, 'false'],
    ])
    expect(parsed[1]?.source.sequence).toBe('["0/16B3748","0/16B3758"]')
  })

  it('is left behind by a copy, which serialises as plain data', () => {
    const [record] = events.change(orders, 'c', null, { id: 1, note: 'x' }, context(7, 0x16b3750n))
    const copy = { ...(record?.value as object) }
    expect(toJsonText in copy).toBe(false)
    expect(JSON.stringify(copy)).toBe(jsonOf(record?.value))
  })

  it('shares one source block among rows at one position, and gives another position its own', () => {
    const first = events.snapshotRow(orders, { id: 1, note: 'a' }, context(null, 0x100n, 'true'))
    const second = events.snapshotRow(orders, { id: 2, note: 'b' }, context(null, 0x100n, 'true'))
    const later = events.change(orders, 'c', null, { id: 3, note: 'c' }, context(7, 0x200n))[0]
    const source = (record: unknown) => ((record as { value: { source: { lsn: number; sequence: string } } }).value.source)
    expect(source(first)).toBe(source(second))
    expect([source(first).lsn, source(later).lsn]).toEqual([0x100, 0x200])
    expect(JSON.parse(jsonOf(later?.value)).source.sequence).toBe('["0/16B3748","0/200"]')
    expect(JSON.parse(jsonOf(first.value)).source.lsn).toBe(0x100)
    expect(first.key).toEqual({ id: 1 })
  })
})
