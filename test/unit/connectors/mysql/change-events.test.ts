import { describe, expect, it } from 'vitest'
import type { TableShape } from '../../../../connectors/mysql/catalog.ts'
import { ChangeEvents, type EventContext } from '../../../../connectors/mysql/change-events.ts'
import { toJsonText, type JsonTextSource } from '../../../../core/runtime/plugin.ts'

const events = new ChangeEvents({ prefix: 'shop', topic: undefined, tombstones: true })
const orders: TableShape = { database: 'shop', table: 'orders', columns: [], keyColumns: ['id'] }
const items: TableShape = { database: 'shop', table: 'items', columns: [], keyColumns: ['id'] }

function context(pos: number, row: number, gtid: string | null, snapshot: EventContext['snapshot'] = 'false'): EventContext {
  return { timestampMs: 1_700_000_000_000, snapshot, serverId: 1, gtid, file: 'binlog.000002', pos, row, thread: 12, offset: { file: 'binlog.000002', pos } }
}

describe('mysql change events', () => {
  it('encode as JSON.stringify of the value across tables, events and rows', () => {
    const records = [
      ...events.change(orders, 'c', null, { id: 1, note: 'a' }, context(100, 0, '0-1-5')),
      ...events.change(orders, 'c', null, { id: 2, note: 'b' }, context(100, 1, '0-1-5')),
      ...events.change(items, 'u', { id: 9, qty: 1 }, { id: 9, qty: 2 }, context(200, 0, '0-1-5')),
      ...events.change(orders, 'd', { id: 1, note: 'a' }, null, context(300, 0, '0-1-6')),
      ...events.change(orders, 'r', null, { id: 3, note: null }, context(4, 0, null, 'last')),
    ]
    const values = records.map((record) => record.value).filter((value) => value !== null)
    expect(values).toHaveLength(5)
    for (const value of values) expect((value as JsonTextSource)[toJsonText]()).toBe(JSON.stringify(value))
    const sources = values.map((value) => (JSON.parse((value as JsonTextSource)[toJsonText]()) as { source: Record<string, unknown> }).source)
    expect(sources.map((source) => [source.table, source.pos, source.row, source.gtid, source.snapshot])).toEqual([
      ['orders', 100, 0, '0-1-5', 'false'], ['orders', 100, 1, '0-1-5', 'false'], ['items', 200, 0, '0-1-5', 'false'], ['orders', 300, 0, '0-1-6', 'false'], ['orders', 4, 0, null, 'last'],
    ])
    expect(new Set(records.map((record) => record.sourcePartition)).size).toBe(1)
  })
})
