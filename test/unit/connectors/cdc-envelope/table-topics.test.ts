import { describe, expect, it } from 'vitest'
import { TableTopics } from '../../../../connectors/cdc-envelope/table-topics.ts'

describe('TableTopics', () => {
  it("names a table's own topic once per table object, or the connector's one topic", () => {
    const own = new TableTopics<{ schema: string; table: string }>('shop', undefined, (table) => table.schema)
    const orders = { schema: 'public', table: 'order lines' }
    const first = own.topicFor(orders)
    expect(first).toBe('shop.public.order_lines')
    orders.schema = 'renamed' // the object is the key: its name was worked out once
    expect(own.topicFor(orders)).toBe(first)
    const single = new TableTopics<{ database: string; table: string }>('shop', 'all.changes', (table) => table.database)
    expect(single.topicFor({ database: 'inventory', table: 'items' })).toBe('all.changes')
  })
})
