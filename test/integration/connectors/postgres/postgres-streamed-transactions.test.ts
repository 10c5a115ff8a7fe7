import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { topicRecords } from '../../../support/topic-records.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../../support/worker-harness.ts'

// With `streaming: true` and a small decoding budget, the server sends large transactions while they
// are in progress, savepoints and all: changes made inside a subtransaction carry its own xid, and a
// rolled-back savepoint arrives as a Stream Abort of that subtransaction alone.
let server: PgServer
let harness: WorkerHarness

beforeAll(async () => {
  server = await startPgServer({ logical_decoding_work_mem: '64kB' })
  await server.query('CREATE TABLE wide (id int PRIMARY KEY, body text)')
  await server.query('CREATE TABLE big (id int PRIMARY KEY, body text)')
  harness = await startWorkerHarness()
  const created = await harness.request('POST', '/connectors', {
    name: 'cdc',
    config: {
      'connector.class': 'postgres-cdc',
      url: server.url,
      'topic.prefix': 'db',
      tables: 'public.wide',
      slot: 'streamed_slot',
      streaming: 'true',
      'heartbeat.interval.ms': '100',
    },
  })
  expect(created.status).toBe(201)
  await eventually(
    async () => (await harness.request('GET', '/connectors/cdc/status')).body.tasks[0]?.details?.phase,
    (phase) => phase === 'streaming',
    20_000,
  )
}, 60_000)
afterAll(async () => {
  await harness?.close()
  await server?.stop()
})

async function taskDetails(connector: string): Promise<Record<string, unknown> | undefined> {
  return (await harness.request('GET', `/connectors/${connector}/status`)).body.tasks[0]?.details
}

async function values(topic: string): Promise<Array<{ after: { id: number }; source: { txId: number } }>> {
  return (await topicRecords(harness, topic)).map((record) => record.value)
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe('postgres-cdc with streaming of in-progress transactions', () => {
  it('keeps the changes of released savepoints, drops those of rolled-back ones, and drops an aborted transaction whole', async () => {
    const client = new pg.Client({ connectionString: server.url })
    await client.connect()
    const insert = (from: number, to: number) =>
      client.query(`INSERT INTO wide SELECT g, repeat('x', 200) FROM generate_series(${from}, ${to}) g`)
    try {
      // Aborted whole, after enough rows to have been streamed.
      await client.query('BEGIN')
      await insert(90_001, 92_000)
      await client.query('ROLLBACK')
      await client.query('BEGIN')
      const xid = Number((await client.query<{ xid: string }>('SELECT txid_current()::text AS xid')).rows[0]?.xid)
      await insert(1, 2000)
      await client.query('SAVEPOINT a')
      await insert(2001, 4000)
      await client.query('SAVEPOINT inner_a')
      await insert(4001, 4500)
      await client.query('ROLLBACK TO SAVEPOINT a') // takes inner_a with it
      await client.query('SAVEPOINT b')
      await insert(5001, 5500)
      await client.query('RELEASE SAVEPOINT b')
      await insert(6001, 6010)
      await client.query('COMMIT')
      const expected = [...range(1, 2000), ...range(5001, 5500), ...range(6001, 6010)]
      // A row committed after it marks the end: nothing of the aborted parts may come before it.
      await client.query("INSERT INTO wide VALUES (7001, 'marker')")
      const ids = async () => (await values('db.public.wide')).map((v) => v.after.id)
      expect(await eventually(ids, (list) => list.includes(7001), 30_000)).toEqual([...expected, 7001])
      // Debezium's txId is the top-level transaction's, also for changes made inside a savepoint.
      const events = (await values('db.public.wide')).slice(0, expected.length)
      expect(new Set(events.map((v) => v.source.txId))).toEqual(new Set([xid]))
      // Both transactions went out in progress, or this proved nothing about streaming.
      const streamed = async () =>
        Number(
          (
            await server.query<{ n: string }>(
              "SELECT stream_txns::text AS n FROM pg_stat_replication_slots WHERE slot_name = 'streamed_slot'",
            )
          )[0]?.n ?? 0,
        )
      expect(await eventually(streamed, (n) => n >= 2, 15_000)).toBeGreaterThanOrEqual(2)
    } finally {
      await client.end()
    }
  }, 90_000)

  it('turns streaming off when in-progress transactions hold too many changes, and loses or doubles nothing', async () => {
    const created = await harness.request('POST', '/connectors', {
      name: 'capped',
      config: {
        'connector.class': 'postgres-cdc',
        url: server.url,
        'topic.prefix': 'capped',
        tables: 'public.big',
        slot: 'capped_slot',
        publication: 'capped_pub',
        streaming: 'true',
        'streaming.max.held.changes': '500',
        'heartbeat.interval.ms': '100',
      },
    })
    expect(created.status).toBe(201)
    await eventually(
      () => taskDetails('capped'),
      (details) => details?.phase === 'streaming' && details.in_progress_streaming === true,
      20_000,
    )
    const big = new pg.Client({ connectionString: server.url })
    await big.connect()
    const insert = (from: number, to: number) =>
      big.query(`INSERT INTO big SELECT g, repeat('x', 200) FROM generate_series(${from}, ${to}) g`)
    try {
      await big.query('BEGIN')
      await insert(1, 2000) // streamed while in progress, past the limit
      await eventually(
        () => taskDetails('capped'),
        (details) => details?.in_progress_streaming === false,
        20_000,
      )
      await server.query("INSERT INTO big VALUES (10001, 'committed meanwhile')")
      await big.query('SAVEPOINT s')
      await insert(2001, 3000)
      await big.query('ROLLBACK TO SAVEPOINT s')
      await insert(3001, 3010)
      await big.query('COMMIT')
    } finally {
      await big.end()
    }
    await server.query("INSERT INTO big VALUES (10002, 'marker')")
    const ids = async () => (await values('capped.public.big')).map((v) => v.after.id)
    expect(await eventually(ids, (list) => list.includes(10002), 30_000)).toEqual([10001, ...range(1, 2000), ...range(3001, 3010), 10002])
  }, 90_000)
})
