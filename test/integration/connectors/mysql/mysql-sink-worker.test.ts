import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'
import { queryText } from '../../../support/mariadb-text.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../../support/worker-harness.ts'

let server: MariaDbServer
let harness: WorkerHarness

beforeAll(async () => {
  ;[server, harness] = await Promise.all([startMariaDbServer(), startWorkerHarness()])
  await server.query('CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, qty INT)')
}, 60_000)
afterAll(async () => {
  await harness?.close()
  await server?.stop()
})

const orders = () => queryText<{ id: number; qty: number }>(server, 'SELECT id, qty FROM shop.orders ORDER BY id')
const produce = (rows: Array<{ id: number; qty: number }>) =>
  harness.request('POST', '/topics/orders/records', {
    records: rows.map((row) => ({ key: JSON.stringify({ id: row.id }), value: JSON.stringify(row) })),
  })
const groupOffset = async () => (await harness.request('GET', '/connectors/out/offsets')).body.offsets[0]?.offset.kafka_offset

describe('mysql-sink in a worker', () => {
  it('changes nothing when its consumer offsets are moved back and the records come again, across a worker restart', async () => {
    await harness.request('POST', '/topics', { name: 'orders' })
    await produce([
      { id: 1, qty: 1 },
      { id: 2, qty: 2 },
      { id: 3, qty: 3 },
    ])
    const created = await harness.request('POST', '/connectors', {
      name: 'out',
      config: {
        'connector.class': 'mysql-sink',
        topics: 'orders',
        url: `${server.url}/shop`,
        'table.name.format': 'orders',
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    await eventually(orders, (rows) => rows.length === 3, 20_000)
    await eventually(groupOffset, (offset) => offset === 3)

    // A later change by someone else: a replay of the records above must not undo it.
    await server.query('UPDATE shop.orders SET qty = 999 WHERE id = 1')
    await harness.request('PUT', '/connectors/out/stop')
    const rewound = await harness.request('PATCH', '/connectors/out/offsets', {
      offsets: [{ partition: { kafka_topic: 'orders', kafka_partition: 0 }, offset: { kafka_offset: 0 } }],
    })
    expect(rewound.status, JSON.stringify(rewound.body)).toBe(200)
    await harness.restart()
    await harness.request('PUT', '/connectors/out/resume')
    await produce([{ id: 4, qty: 4 }])
    // Records are consumed in order: once id 4 is in, the replayed three have been seen.
    await eventually(orders, (rows) => rows.length === 4, 20_000)
    await eventually(groupOffset, (offset) => offset === 4)
    expect(await orders()).toEqual([
      { id: 1, qty: 999 },
      { id: 2, qty: 2 },
      { id: 3, qty: 3 },
      { id: 4, qty: 4 },
    ])
    expect(
      await queryText(server, `SELECT topic, kafka_partition, kafka_offset FROM shop.tributary_sink_offsets WHERE connector = 'out'`),
    ).toEqual([{ topic: 'orders', kafka_partition: 0, kafka_offset: '3' }])
    expect((await harness.request('GET', '/connectors/out/status')).body.tasks[0].state).toBe('RUNNING')
  })
})
