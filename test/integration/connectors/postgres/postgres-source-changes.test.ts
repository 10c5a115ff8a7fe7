import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseLsn } from '../../../../connectors/postgres/source/lsn.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../../support/worker-harness.ts'
import type { RestJson } from '../../../support/rest-json.ts'

let server: PgServer
let harness: WorkerHarness

beforeAll(async () => {
  server = await startPgServer()
  await server.query('CREATE TABLE docs (id int PRIMARY KEY, title text, body text)')
  await server.query('CREATE TABLE full_rows (id int PRIMARY KEY, a text, b int)')
  await server.query('ALTER TABLE full_rows REPLICA IDENTITY FULL')
  await server.query('CREATE TABLE bulk (id int PRIMARY KEY, v text)')
  await server.query('CREATE TABLE elsewhere (id serial PRIMARY KEY, v text)')
  harness = await startWorkerHarness()
  const created = await harness.request('POST', '/connectors', {
    name: 'cdc',
    config: {
      'connector.class': 'postgres-cdc',
      url: server.url,
      'topic.prefix': 'db',
      tables: 'public.docs,public.full_rows,public.bulk',
      slot: 'cdc_slot',
      // Truncates are kept here (Debezium's default skips them; the conformance test covers both).
      'skipped.operations': 'none',
      'heartbeat.interval.ms': '50',
      'restart.backoff.ms': '100',
      'restart.backoff.max.ms': '500',
    },
  })
  expect(created.status).toBe(201)
  await eventually(
    async () => (await harness.request('GET', '/connectors/cdc/status')).body.tasks[0]?.state,
    (state) => state === 'RUNNING',
    20_000,
  )
}, 60_000)
afterAll(async () => {
  await harness?.close()
  await server?.stop()
})

/** The committed records of partition 0, counted page by page (offsets are not contiguous: each transaction's marker takes one). */
async function count(topic: string): Promise<number> {
  let total = 0
  for (let offset = 0; ; ) {
    const response = await harness.request('GET', `/topics/${topic}/records?partition=0&offset=${offset}&limit=10000`)
    if (response.status !== 200 || response.body.records.length === 0) return total
    total += response.body.records.length
    offset = response.body.next_offset
  }
}

/** The value of the last committed record of partition 0. */
async function lastValue(topic: string): Promise<RestJson> {
  const response = await harness.request('GET', `/topics/${topic}`)
  if (response.status !== 200) return undefined
  const end = response.body.partitions[0].highWatermark
  return (await values(topic, Math.max(0, end - 10))).at(-1)
}

async function values(topic: string, offset = 0): Promise<RestJson[]> {
  const response = await harness.request('GET', `/topics/${topic}/records?partition=0&offset=${offset}&limit=1000`)
  if (response.status !== 200) return []
  return response.body.records.map((r: { value: string | null; value_encoding?: string; offset: number }) => {
    if (r.value === null) return null
    const text = r.value_encoding === 'base64' ? Buffer.from(r.value, 'base64').toString('utf8') : r.value
    return JSON.parse(text)
  })
}

describe('postgres-cdc change details', () => {
  it('marks an unchanged TOASTed value with the placeholder, fills before under REPLICA IDENTITY FULL, and emits truncates', async () => {
    await server.query(`INSERT INTO docs SELECT 1, 'draft', string_agg(md5(g::text), '') FROM generate_series(1, 2000) g`)
    await server.query(`UPDATE docs SET title = 'final' WHERE id = 1`)
    await server.query(`INSERT INTO full_rows VALUES (1, 'x', 1)`)
    await server.query(`UPDATE full_rows SET b = 2 WHERE id = 1`)
    await server.query('TRUNCATE full_rows')
    const docs = await eventually(
      () => values('db.public.docs'),
      (list) => list.length === 2,
      20_000,
    )
    expect(docs[0].after.body).toHaveLength(64_000)
    expect(docs[1].after).toEqual({ id: 1, title: 'final', body: '__debezium_unavailable_value' })
    const full = await eventually(
      () => values('db.public.full_rows'),
      (list) => list.length === 3,
      20_000,
    )
    expect(full[1]).toMatchObject({ op: 'u', before: { id: 1, a: 'x', b: 1 }, after: { id: 1, a: 'x', b: 2 } })
    expect(full[2]).toMatchObject({ op: 't', before: null, after: null, source: { table: 'full_rows' } })
  }, 60_000)

  it('emits a changed primary key as a delete, a tombstone and a create under REPLICA IDENTITY FULL too', async () => {
    await server.query(`INSERT INTO full_rows VALUES (10, 'moved', 5)`)
    await server.query(`UPDATE full_rows SET id = 11 WHERE id = 10`)
    const records = async () => {
      const response = await harness.request('GET', '/topics/db.public.full_rows/records?partition=0&offset=0&limit=1000')
      return (response.body.records as Array<{ key: string | null; value: string | null }>).map((r) => ({
        key: r.key === null ? null : JSON.parse(r.key),
        value: r.value === null ? null : JSON.parse(r.value),
      }))
    }
    const all = await eventually(records, (list) => list.some((r) => r.key?.id === 11), 20_000)
    const moved = all.filter((r) => r.key?.id === 10 || r.key?.id === 11)
    expect(moved.map((r) => [r.key.id, r.value?.op ?? null])).toEqual([
      [10, 'c'],
      [10, 'd'],
      [10, null],
      [11, 'c'],
    ])
    expect(moved[1]?.value.before).toEqual({ id: 10, a: 'moved', b: 5 })
    expect(moved[3]?.value.after).toEqual({ id: 11, a: 'moved', b: 5 })
  }, 60_000)

  it('carries a transaction of 100,000 rows whole', async () => {
    await server.query(`INSERT INTO bulk SELECT g, 'row ' || g FROM generate_series(1, 100000) g`)
    const last = await eventually(
      () => lastValue('db.public.bulk'),
      (value) => value?.after?.id === 100_000,
      60_000,
    )
    expect(last.after).toEqual({ id: 100000, v: 'row 100000' })
    expect(await count('db.public.bulk')).toBe(100_000)
    const txIds = new Set((await values('db.public.bulk', 0)).map((v) => v.source.txId))
    expect(txIds.size).toBe(1)
  }, 90_000)

  it('reconnects after a PostgreSQL restart and loses nothing', async () => {
    await server.restart()
    await server.query(`INSERT INTO docs VALUES (2, 'after restart', 'b')`)
    const docs = await eventually(
      () => values('db.public.docs'),
      (list) => list.some((v) => v?.after?.id === 2),
      30_000,
    )
    expect(docs.filter((v) => v?.after?.id === 2)).toHaveLength(1)
  }, 60_000)

  it('moves the confirmed LSN while the captured tables are idle', async () => {
    const before = (await server.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'))[0]?.lsn as string
    for (let i = 0; i < 5; i++) await server.query(`INSERT INTO elsewhere (v) VALUES ('noise')`)
    const confirmed = await eventually(
      async () =>
        (
          await server.query<{ confirmed: string }>(
            `SELECT confirmed_flush_lsn::text AS confirmed FROM pg_replication_slots WHERE slot_name = 'cdc_slot'`,
          )
        )[0]?.confirmed ?? '0/0',
      (lsn) => parseLsn(lsn) > parseLsn(before),
      20_000,
    )
    expect(parseLsn(confirmed)).toBeGreaterThan(parseLsn(before))
    const details = await eventually(
      async () => (await harness.request('GET', '/connectors/cdc/status')).body.tasks[0]?.details,
      (d) => d?.phase === 'streaming',
      20_000,
    )
    expect(details).toMatchObject({
      slot: 'cdc_slot',
      wal_retained_bytes: expect.any(Number),
      confirmed_lsn: expect.stringMatching(/^[0-9A-F]+\/[0-9A-F]+$/),
    })
    expect((await harness.request('GET', '/metrics')).body).toMatch(
      /tributary_task_detail\{connector="cdc",task="0",name="wal_retained_bytes"\} \d+/,
    )
  }, 60_000)
})
