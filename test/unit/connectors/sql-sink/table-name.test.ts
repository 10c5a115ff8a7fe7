import { describe, expect, it } from 'vitest'
import { tableNamer } from '../../../../connectors/sql-sink/table-name.ts'

describe('SQL sink table names', () => {
  it('fills the format from the topic and the change event source, qualifying with the default', () => {
    const name = tableNamer({ format: '${source.table}', defaultNamespace: 'public' })
    expect(name('shop.public.orders', { schema: 'sales', table: 'orders' })).toBe('public.orders')
    expect(name('plain.topic', {})).toBe('public.plain_topic')
    expect(tableNamer({ format: 'raw_${topic}', defaultNamespace: 'x' })('a.b', {})).toBe('x.raw_a_b')
  })

  it('takes a Postgres event schema or a MySQL event database for ${source.schema}', () => {
    const name = tableNamer({ format: '${source.schema}.${source.table}', defaultNamespace: 'dw' })
    expect(name('t', { db: 'postgres', schema: 'sales', table: 'orders' })).toBe('sales.orders')
    expect(name('t', { db: 'shop', table: 'orders' })).toBe('shop.orders')
    expect(name('t', {})).toBe('dw.t')
    const byDb = tableNamer({ format: '${source.db}.${source.table}', defaultNamespace: undefined })
    expect(byDb('t', { db: 'shop', table: 'orders' })).toBe('shop.orders')
    expect(() => byDb('t', { table: 'orders' })).toThrow(/table orders names no database or schema/)
  })

  it('names each record by its own topic and source when they alternate', () => {
    const name = tableNamer({ format: '${source.schema}.${source.table}', defaultNamespace: 'dw' })
    const seen = [
      ['t', { schema: 's', table: 'a' }],
      ['t', { schema: 's', table: 'b' }],
      ['t', { schema: 's', table: 'a' }],
      ['u', {}],
      ['t', {}],
      ['t', { schema: 'r', table: 'a' }],
    ] as const
    expect(seen.map(([topic, source]) => name(topic, source))).toEqual(['s.a', 's.b', 's.a', 'dw.u', 'dw.t', 'r.a'])
  })
})
