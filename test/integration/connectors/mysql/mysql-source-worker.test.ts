import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../../support/worker-harness.ts'

let server: MariaDbServer
let harness: WorkerHarness

beforeAll(async () => {
  server = await startMariaDbServer()
  await server.query(
    `CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, amount DECIMAL(10,2)); INSERT INTO shop.orders VALUES (1, 10.50)`,
  )
  harness = await startWorkerHarness()
}, 60_000)
afterAll(async () => {
  await harness?.close()
  await server?.stop()
})

async function changes(): Promise<Array<{ key: unknown; op: string; id: number | undefined }>> {
  const response = await harness.request('GET', '/topics/shop.shop.orders/records?partition=0&offset=earliest&limit=1000')
  if (response.status !== 200) return []
  return response.body.records.map((r: { key: string | null; value: string | null }) => {
    const value = r.value === null ? null : JSON.parse(r.value)
    return { key: r.key === null ? null : JSON.parse(r.key), op: value?.op ?? 'tombstone', id: value?.after?.id }
  })
}

describe('mysql-cdc in a worker', () => {
  it('snapshots, streams, and carries on without loss or duplicates after a worker restart and a MariaDB restart', async () => {
    const created = await harness.request('POST', '/connectors', {
      name: 'orders',
      config: {
        'connector.class': 'mysql-cdc',
        url: server.url,
        'topic.prefix': 'shop',
        tables: 'shop.orders',
        'poll.max.ms': '100',
        'restart.backoff.ms': '100',
        'restart.backoff.max.ms': '500',
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    await eventually(changes, (list) => list.length === 1, 20_000)
    await server.query(`INSERT INTO shop.orders VALUES (2, 20)`)
    await eventually(changes, (list) => list.length === 2, 20_000)

    await harness.restart()
    await server.query(`INSERT INTO shop.orders VALUES (3, 30)`)
    await eventually(changes, (list) => list.length === 3, 20_000)

    await server.restart()
    await server.query(`INSERT INTO shop.orders VALUES (4, 40)`)
    const list = await eventually(changes, (items) => items.some((item) => item.id === 4), 30_000)
    expect(list.map((item) => [item.op, item.id])).toEqual([
      ['r', 1],
      ['c', 2],
      ['c', 3],
      ['c', 4],
    ])
    expect(list[0]?.key).toEqual({ id: 1 })
    const status = (await harness.request('GET', '/connectors/orders/status')).body
    expect(status.tasks[0].state).toBe('RUNNING')
    // The schema history (a store in the worker's log) was read back after the worker restart, not written again.
    const history = await harness.request('GET', '/topics/_tributary-schema-history.orders/records?partition=0&offset=earliest&limit=100')
    expect(history.status).toBe(200)
    expect(history.body.records.map((r: { key: string }) => r.key.split('@')[0])).toEqual(['shop.orders'])
  })
})
