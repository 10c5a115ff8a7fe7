import path from 'node:path'
import mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backgroundLoad, type BackgroundLoad } from '../../../support/background-load.ts'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { writePipelineFile } from '../../../support/pipeline-file.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'
import { untilRowsEqual } from '../../../support/until-rows-equal.ts'
import { eventually } from '../../../support/worker-harness.ts'
import { spawnWorker } from '../../../support/worker-process.ts'

let source: MariaDbServer
let target: PgServer
let dir: { path: string; remove: () => Promise<void> }

beforeAll(async () => {
  ;[source, target] = await Promise.all([startMariaDbServer(), startPgServer()])
  await source.query(`CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, name VARCHAR(40), qty INT, price DECIMAL(10,2), doc JSON, at DATETIME(3));
    SET SESSION max_recursive_iterations = 100000;
    INSERT INTO shop.orders WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
      SELECT i, CONCAT('seed ', i), i % 5, i / 10, JSON_OBJECT('g', i), TIMESTAMP('2024-01-01 00:00:00.123') + INTERVAL i MINUTE FROM n`)
  await target.query('CREATE TABLE public.orders (id int PRIMARY KEY, name text, qty int, price numeric(10,2), doc jsonb, at timestamp(3))')
  dir = await makeTempDir('tributary-mysql-pipeline-')
}, 60_000)
afterAll(async () => {
  await source?.stop()
  await target?.stop()
  await dir?.remove()
})

/** Both sides as the same text: id, name, qty, price, doc (parsed), at to the millisecond. */
async function sourceRows(): Promise<string[]> {
  const rows = await source.query<{ id: number; name: string; qty: number; price: string; doc: unknown; at: string }>(
    `SELECT id, name, qty, CAST(price AS CHAR) AS price, doc, LEFT(DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%s.%f'), 23) AS at FROM shop.orders ORDER BY id`)
  return rows.map((r) => JSON.stringify([r.id, r.name, r.qty, r.price, typeof r.doc === 'string' ? JSON.parse(r.doc) : r.doc, r.at]))
}

async function targetRows(): Promise<string[]> {
  const rows = await target.query<{ id: number; name: string; qty: number; price: string; doc: unknown; at: string }>(
    `SELECT id, name, qty, price::text AS price, doc, to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS at FROM orders ORDER BY id`)
  return rows.map((r) => JSON.stringify([r.id, r.name, r.qty, r.price, r.doc, r.at]))
}

/** Writes transactions of inserts, an update and a delete until stopped. */
function writeLoad(): BackgroundLoad {
  let next = 10_000
  return backgroundLoad(async () => {
    const connection = await mysql.createConnection({ host: '127.0.0.1', port: source.port, user: source.user, password: source.password })
    return {
      close: () => connection.end(),
      step: async () => {
        const ids = Array.from({ length: 20 }, (_, i) => next + i)
        next += 20
        await connection.query('START TRANSACTION')
        await connection.query(`INSERT INTO shop.orders VALUES ${ids.map((id) => `(${id}, 'order ${id}', ${id % 7}, ${id / 100}, '{"n": ${id}}', '2024-06-01 12:00:00.${String(id % 1000).padStart(3, '0')}')`).join(', ')}`)
        await connection.query(`UPDATE shop.orders SET qty = qty + 1 WHERE id = ${next - 5}`)
        await connection.query(`DELETE FROM shop.orders WHERE id = ${next - 10}`)
        await connection.query('COMMIT')
      },
    }
  })
}

describe('MySQL → topic → Postgres', () => {
  it('makes the target equal the source row for row, across a SIGKILL of the worker mid-stream', async () => {
    const configDir = path.join(dir.path, 'config')
    writePipelineFile(configDir, 'replicate', [
      'topic: { name: orders.changes, partitions: 3 }',
      'sources:',
      `  - { id: db, type: mysql-cdc, with: { url: "${source.url}", topic: { prefix: shop }, tables: [shop.orders], snapshot: { chunk: { rows: 500 } } } }`,
      'sinks:',
      `  - { id: out, type: postgres-sink, start: earliest, with: { url: "${target.url}" } }`,
    ])
    const dataDir = path.join(dir.path, 'data')

    const first = await spawnWorker(configDir, dataDir)
    const load = writeLoad()
    await eventually(async () => (await targetRows()).some((r) => r.startsWith('[10')), (seen) => seen, 30_000)
    first.child.kill('SIGKILL')
    await first.exited
    expect(await load.stop()).toBeGreaterThan(0)
    await source.query(`UPDATE shop.orders SET name = CONCAT(name, ' (edited)') WHERE id % 100 = 0`)

    const second = await spawnWorker(configDir, dataDir)
    try {
      const expected = await sourceRows()
      await untilRowsEqual(targetRows, expected, 60_000, () => second.stderr().slice(-3000))
      expect(await targetRows()).toEqual(expected)
    } finally {
      second.child.kill('SIGTERM')
      expect(await second.exited).toBe(0)
    }
  }, 120_000)
})
