import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backgroundLoad, type BackgroundLoad } from '../../../support/background-load.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { writePipelineFile } from '../../../support/pipeline-file.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'
import { untilRowsEqual } from '../../../support/until-rows-equal.ts'
import { eventually } from '../../../support/worker-harness.ts'
import { spawnWorker } from '../../../support/worker-process.ts'

let server: PgServer
let dir: { path: string; remove: () => Promise<void> }
const columns = 'id, name, qty, price, doc, tags, at'

beforeAll(async () => {
  server = await startPgServer()
  await server.query('CREATE DATABASE target')
  const ddl =
    'CREATE TABLE public.orders (id int PRIMARY KEY, name text, qty int, price numeric(10,2), doc jsonb, tags text[], at timestamptz)'
  await server.query(ddl)
  const target = new pg.Client({ connectionString: server.url.replace(/\/postgres$/, '/target') })
  await target.connect()
  await target.query(ddl)
  await target.end()
  dir = await makeTempDir('tributary-pg-pipeline-')
}, 60_000)
afterAll(async () => {
  await server?.stop()
  await dir?.remove()
})

async function rows(database: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: server.url.replace(/\/postgres$/, `/${database}`) })
  await client.connect()
  try {
    return (await client.query<{ r: string }>(`SELECT row(${columns})::text AS r FROM orders ORDER BY id`)).rows.map((row) => row.r)
  } finally {
    await client.end()
  }
}

/** The change events' schemas travel with them (JsonConverter's envelope), so the sink reads Debezium's types back. */
const SCHEMAS = 'key: { converter: { schemas: { enable: "true" } } }, value: { converter: { schemas: { enable: "true" } } }'

function pipeline(configDir: string): void {
  writePipelineFile(configDir, 'replicate', [
    'topic: { name: orders.changes, partitions: 3 }',
    'sources:',
    `  - { id: pg, type: postgres-cdc, with: { url: "${server.url}", topic: { prefix: shop }, tables: [public.orders], slot: replicate_slot, snapshot: { chunk: { rows: 500 } }, ${SCHEMAS} } }`,
    'sinks:',
    `  - { id: out, type: postgres-sink, start: earliest, with: { url: "${server.url.replace(/\/postgres$/, '/target')}", ${SCHEMAS} } }`,
  ])
}

/** Writes transactions of inserts, updates and deletes until stopped. */
function writeLoad(): BackgroundLoad {
  let next = 10_000
  return backgroundLoad(async () => {
    const client = new pg.Client({ connectionString: server.url })
    await client.connect()
    return {
      close: () => client.end(),
      step: async () => {
        await client.query('BEGIN')
        for (let i = 0; i < 20; i++) {
          const id = next++
          await client.query('INSERT INTO orders VALUES ($1, $2, $3, $4, $5, $6, now())', [
            id,
            `order ${id}`,
            id % 7,
            (id / 100).toFixed(2),
            JSON.stringify({ n: id }),
            [`t${id % 3}`],
          ])
        }
        await client.query('UPDATE orders SET qty = qty + 1 WHERE id = $1', [next - 5])
        await client.query('DELETE FROM orders WHERE id = $1', [next - 10])
        await client.query('COMMIT')
      },
    }
  })
}

describe('Postgres → topic → Postgres', () => {
  it('makes the target equal the source row for row, across SIGKILLs of the worker mid-snapshot and mid-stream', async () => {
    await server.query(
      `INSERT INTO orders SELECT g, 'seed ' || g, g % 5, g / 10.0, jsonb_build_object('g', g), ARRAY['a', 'b'], '2024-01-01T00:00:00Z'::timestamptz + g * interval '1 minute' FROM generate_series(1, 5000) g`,
    )
    const configDir = path.join(dir.path, 'config')
    const dataDir = path.join(dir.path, 'data')
    pipeline(configDir)

    // Killed during the snapshot (the target has some rows but not all)…
    const first = await spawnWorker(configDir, dataDir)
    await eventually(
      async () => (await rows('target')).length,
      (n) => n > 0,
      30_000,
    )
    first.child.kill('SIGKILL')
    await first.exited

    // …and during the stream, with writes going on.
    const second = await spawnWorker(configDir, dataDir)
    const load = writeLoad()
    await eventually(
      async () => (await rows('target')).some((r) => r.startsWith('(10')),
      (seen) => seen,
      30_000,
    )
    second.child.kill('SIGKILL')
    await second.exited
    const transactions = await load.stop()
    expect(transactions).toBeGreaterThan(0)
    await server.query(`UPDATE orders SET name = name || ' (edited)' WHERE id % 100 = 0`)

    const third = await spawnWorker(configDir, dataDir)
    try {
      const expected = await rows('postgres')
      await untilRowsEqual(
        () => rows('target'),
        expected,
        60_000,
        async () => JSON.stringify(await (await fetch(`${third.url}/connectors?expand=status`)).json()).slice(0, 3000),
      )
      expect(await rows('target')).toEqual(expected)
      const offsets = await new pg.Client({ connectionString: server.url.replace(/\/postgres$/, '/target') })
      await offsets.connect()
      const stored = await offsets.query('SELECT count(*)::int AS n FROM tributary_sink_offsets')
      await offsets.end()
      expect(stored.rows[0].n).toBeGreaterThan(0)
    } finally {
      third.child.kill('SIGTERM')
      expect(await third.exited).toBe(0)
    }
  }, 180_000)
})
