import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresSink } from '../../../../connectors/postgres/sink/sink.ts'
import type { SinkRecord } from '../../../../core/runtime/plugin.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { runSqlSinkSuite, type SqlSinkTarget } from '../../../support/sql-sink-suite.ts'
import { sinkContext, sinkRecord } from '../../../support/task-context.ts'

let server: PgServer

beforeAll(async () => {
  // pg_stat_statements: to see which statements a batch takes.
  server = await startPgServer({ shared_preload_libraries: 'pg_stat_statements' })
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

function task(config: Record<string, string>, badRecords?: Array<{ record: SinkRecord; error: Error }>) {
  return postgresSink.createTask(
    sinkContext(postgresSink.config.parse({ url: server.url, ...config }), { connector: 'sink-test', ...(badRecords && { badRecords }) }),
  )
}

const target = (): SqlSinkTarget => ({
  task,
  exec: async (sql) => {
    await server.query(sql)
  },
  rows: (sql) => server.query(sql),
  endOtherConnections: async () => {
    await server.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    )
  },
  source: { db: 'postgres', schema: 'public' },
  namespace: 'public',
  messages: {
    duplicateKey: /duplicate key value violates unique constraint "modes_pkey"/,
    checkFailed: /violates check constraint "(strict_)?items_qty_check"/,
  },
})

describe('postgres-sink', () => {
  runSqlSinkSuite(target)

  it('writes awkward text, bytes, JSON and numbers exactly', async () => {
    await server.query('CREATE TABLE odd (id int PRIMARY KEY, t text, b bytea, j jsonb, n numeric, f boolean)')
    const sink = task({ 'table.name.format': 'odd', 'offsets.table': 'odd_offsets' })
    await sink.start()
    const awkward = ['a "quoted" \\ back\\slash, {braces}', 'NULL', '', 'ünï\ttab\nline']
    await sink.put(
      awkward.map((t, id) =>
        sinkRecord({
          topic: "o'dd\\topic",
          offset: id,
          key: { id },
          value: { id, t, b: Buffer.from(t).toString('base64'), j: { t }, n: '12345678901234567890.5', f: id % 2 === 0 },
        }),
      ),
    )
    await sink.flush()
    const stored = await server.query<{ t: string; b: Buffer; j: { t: string }; n: string; f: boolean }>(
      'SELECT t, b, j, n::text AS n, f FROM odd ORDER BY id',
    )
    expect(stored.map((row) => row.t)).toEqual(awkward)
    expect(stored.map((row) => row.b.toString())).toEqual(awkward)
    expect(stored.map((row) => row.j.t)).toEqual(awkward)
    expect(stored.map((row) => [row.n, row.f])).toEqual(awkward.map((_, id) => ['12345678901234567890.5', id % 2 === 0]))
    expect(await server.query('SELECT topic, kafka_offset FROM odd_offsets')).toEqual([{ topic: "o'dd\\topic", kafka_offset: '3' }])
    await sink.stop()
  })

  it("applies a batch of one table's upserts and its offsets as one statement, and a batch of several statements in one transaction", async () => {
    await server.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
    await server.query('CREATE TABLE one_trip (id int PRIMARY KEY, v text)')
    const sink = task({ 'table.name.format': 'one_trip', 'offsets.table': 'one_trip_offsets' })
    await sink.start()
    const batchStatements = async () => {
      const rows = await server.query<{ query: string; calls: string }>(
        "SELECT query, calls::text FROM pg_stat_statements WHERE (query ~ 'one_trip' OR query IN ('BEGIN', 'COMMIT')) AND query !~ 'pg_stat_statements' ORDER BY query",
      )
      await server.query('SELECT pg_stat_statements_reset()')
      return rows.map((row) => `${row.calls} ${row.query.slice(0, row.query.indexOf(' ') >>> 0)}`)
    }
    await batchStatements()
    await sink.put([1, 2, 3].map((id) => sinkRecord({ topic: 'trips', offset: id, key: { id }, value: { id, v: `v${id}` } })))
    await sink.flush()
    expect(await batchStatements()).toEqual(['1 WITH'])
    // A delete and an upsert: two statements, which must see each other's work, so a transaction.
    await sink.put([
      sinkRecord({ topic: 'trips', offset: 4, key: { id: 1 }, value: null }),
      sinkRecord({ topic: 'trips', offset: 5, key: { id: 4 }, value: { id: 4, v: 'v4' } }),
    ])
    await sink.flush()
    const statements = await batchStatements()
    expect(statements).toContain('1 BEGIN')
    expect(statements.some((statement) => statement.endsWith('DELETE'))).toBe(true)
    expect(statements.some((statement) => statement.endsWith('INSERT'))).toBe(true)
    expect(await server.query('SELECT id, v FROM one_trip ORDER BY id')).toEqual([
      { id: 2, v: 'v2' },
      { id: 3, v: 'v3' },
      { id: 4, v: 'v4' },
    ])
    expect(await server.query('SELECT kafka_offset FROM one_trip_offsets')).toEqual([{ kafka_offset: '5' }])
    await sink.stop()
  })
})
