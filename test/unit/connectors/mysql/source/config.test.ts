import { describe, expect, it } from 'vitest'
import { mysqlSourceConfig, replicaServerId } from '../../../../../connectors/mysql/source/config.ts'

const config = (overrides: Record<string, string> = {}) => mysqlSourceConfig.parse({ 'topic.prefix': 'shop', ...overrides })

describe('replicaServerId', () => {
  it('is the configured server.id when there is one', () => {
    expect(replicaServerId(config({ 'server.id': '7' }), 'orders')).toBe(7)
  })

  it('derives a stable id from the connector name, different per connector and above the small ids servers use', () => {
    const names = ['orders', 'orders-2', 'customers', 'a', 'b', 'shop.source', 'shop.source2']
    const derived = names.map((name) => replicaServerId(config(), name))
    expect(new Set(derived).size).toBe(names.length)
    expect(names.map((name) => replicaServerId(config(), name))).toEqual(derived)
    for (const id of derived) {
      expect(Number.isInteger(id)).toBe(true)
      expect(id).toBeGreaterThanOrEqual(100_000)
      expect(id).toBeLessThanOrEqual(4_294_967_295)
    }
  })
})
