import { describe, expect, it } from 'vitest'
import type { TableShape } from '../../../../../connectors/mysql/shared/catalog.ts'
import { ChangeEvents, type EventContext } from '../../../../../connectors/mysql/source/change-events.ts'
import { DEFAULT_SCHEMA_SETTINGS } from '../../../../../connectors/mysql/source/schema-settings.ts'

const events = new ChangeEvents({
  prefix: 'shop',
  topic: undefined,
  tombstones: true,
  skipped: new Set(),
  version: '0.1.0',
  schemas: DEFAULT_SCHEMA_SETTINGS,
})
const id = { name: 'id', kind: 'integer', width: 10 } as const
const orders: TableShape = { database: 'shop', table: 'orders', columns: [id], keyColumns: ['id'] }
const items: TableShape = { database: 'shop', table: 'items', columns: [id], keyColumns: ['id'] }

function context(pos: number, row: number, gtid: string | null, snapshot: EventContext['snapshot'] = 'false'): EventContext {
  return {
    timestampMs: 1_700_000_000_000,
    snapshot,
    serverId: 1,
    gtid,
    file: 'binlog.000002',
    pos,
    row,
    thread: 12,
    offset: { file: 'binlog.000002', pos },
  }
}

describe('mysql change events', () => {
  it('give each change its source block across tables, events and rows', () => {
    const [o, i] = [events.table(orders), events.table(items)]
    const records = [
      ...events.change(o, 'c', null, { id: 1 }, context(100, 0, '0-1-5')),
      ...events.change(o, 'c', null, { id: 2 }, context(100, 1, '0-1-5')),
      ...events.change(i, 'u', { id: 9 }, { id: 9 }, context(200, 0, '0-1-5')),
      ...events.change(o, 'd', { id: 1 }, null, context(300, 0, '0-1-6')),
      ...events.change(o, 'r', null, { id: 3 }, context(4, 0, null, 'last')),
    ]
    const values = records.map((record) => record.value).filter((value) => value !== null)
    expect(values).toHaveLength(5)
    const sources = values.map((value) => (value as { source: Record<string, unknown> }).source)
    expect(
      sources.map((source) => [source.connector, source.table, source.pos, source.row, source.gtid, source.snapshot, source.thread]),
    ).toEqual([
      ['mariadb', 'orders', 100, 0, '0-1-5', 'false', null],
      ['mariadb', 'orders', 100, 1, '0-1-5', 'false', null],
      ['mariadb', 'items', 200, 0, '0-1-5', 'false', null],
      ['mariadb', 'orders', 300, 0, '0-1-6', 'false', null],
      ['mariadb', 'orders', 4, 0, null, 'last', null],
    ])
    expect(new Set(records.map((record) => record.sourcePartition)).size).toBe(1)
  })

  it("build a table's schemas once and share them", () => {
    const again: TableShape = { ...orders, columns: [{ ...id }] }
    expect(events.table(again)).toBe(events.table(orders))
    const [record] = events.change(events.table(orders), 'c', null, { id: 1 }, context(100, 0, null))
    expect(record?.keySchema?.name).toBe('shop.shop.orders.Key')
    expect(record?.valueSchema?.name).toBe('shop.shop.orders.Envelope')
    expect(record?.valueSchema).toBe(events.table(again).envelopeSchema)
  })
  it('leave out the kinds skipped.operations names, a delete with its tombstone, never a snapshot read', () => {
    const skipping = new ChangeEvents({
      prefix: 'shop',
      topic: undefined,
      tombstones: true,
      skipped: new Set(['u', 'd'] as const),
      version: '0.1.0',
      schemas: DEFAULT_SCHEMA_SETTINGS,
    })
    const table = skipping.table(orders)
    const ops = [
      ...skipping.change(table, 'c', null, { id: 1 }, context(100, 0, null)),
      ...skipping.change(table, 'u', { id: 1 }, { id: 1 }, context(200, 0, null)),
      ...skipping.change(table, 'd', { id: 1 }, null, context(300, 0, null)),
      ...skipping.change(table, 'r', null, { id: 2 }, context(4, 0, null, 'last')),
    ].map((record) => (record.value as { op: string } | null)?.op ?? 'tombstone')
    expect(ops).toEqual(['c', 'r'])
  })
})
