import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresSink } from '../../../../connectors/postgres/sink.ts'
import type { SinkRecord } from '../../../../core/runtime/plugin.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { runSqlSinkSuite, type SqlSinkTarget } from '../../../support/sql-sink-suite.ts'
import { sinkContext, sinkRecord } from '../../../support/task-context.ts'

let server: PgServer

beforeAll(async () => {
  server = await startPgServer()
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

function task(config: Record<string, string>, badRecords?: Array<{ record: SinkRecord; error: Error }>) {
  return postgresSink.createTask(sinkContext(postgresSink.config.parse({ url: server.url, ...config }), { connector: 'sink-test', ...(badRecords && { badRecords }) }))
}

const target = (): SqlSinkTarget => ({
  task,
  exec: async (sql) => {
    await server.query(sql)
  },
  rows: (sql) => server.query(sql),
  endOtherConnections: async () => {
    await server.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`)
  },
  source: { db: 'postgres', schema: 'public' },
  namespace: 'public',
  messages: { duplicateKey: /duplicate key value violates unique constraint "modes_pkey"/, checkFailed: /violates check constraint "(strict_)?items_qty_check"/ },
})

describe('postgres-sink', () => {
  runSqlSinkSuite(target)

  it('writes awkward text, bytes, JSON and numbers exactly', async () => {
    await server.query('CREATE TABLE odd (id int PRIMARY KEY, t text, b bytea, j jsonb, n numeric, f boolean)')
    const sink = task({ 'table.name.format': 'odd', 'offsets.table': 'odd_offsets' })
    await sink.start()
    const awkward = ['a "quoted" \\ back\\slash, {braces}', 'NULL', '', 'ünï\ttab\nline']
    await sink.put(awkward.map((t, id) => sinkRecord({ topic: "o'dd\\topic", offset: id, key: { id }, value: { id, t, b: Buffer.from(t).toString('base64'), j: { t }, n: '12345678901234567890.5', f: id % 2 === 0 } })))
    await sink.flush()
    const stored = await server.query<{ t: string; b: Buffer; j: { t: string }; n: string; f: boolean }>('SELECT t, b, j, n::text AS n, f FROM odd ORDER BY id')
    expect(stored.map((row) => row.t)).toEqual(awkward)
    expect(stored.map((row) => row.b.toString())).toEqual(awkward)
    expect(stored.map((row) => row.j.t)).toEqual(awkward)
    expect(stored.map((row) => [row.n, row.f])).toEqual(awkward.map((_, id) => ['12345678901234567890.5', id % 2 === 0]))
    expect(await server.query('SELECT topic, kafka_offset FROM odd_offsets')).toEqual([{ topic: "o'dd\\topic", kafka_offset: '3' }])
    await sink.stop()
  })
})
