/**
 * PostgreSQL → topic → PostgreSQL with Tributary's own connectors and nothing but `auto.create`: a
 * table of every common column type, snapshotted and then streamed by postgres-cdc (with
 * column.propagate.source.type, as a user replicating types sets it), written with JsonConverter's
 * schemas and recreated by postgres-sink, must end with the same column types (format_type) and the
 * same values (`::text`) as the original, for snapshot rows and streamed changes alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PG_TYPE_COLUMNS, PG_TYPES_DDL, pgTypeInserts } from '../../../support/pg-type-columns.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { untilRowsEqual } from '../../../support/until-rows-equal.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../../support/worker-harness.ts'

let server: PgServer
let harness: WorkerHarness
const targetUrl = () => server.url.replace(/\/postgres$/, '/copies')
const schemas = { 'key.converter.schemas.enable': 'true', 'value.converter.schemas.enable': 'true' }

beforeAll(async () => {
  ;[server, harness] = await Promise.all([startPgServer(), startWorkerHarness()])
  await server.query('CREATE DATABASE copies')
  await server.query(`CREATE TABLE snap ${PG_TYPES_DDL}; CREATE TABLE live ${PG_TYPES_DDL}`)
  for (const statement of pgTypeInserts('snap')) await server.query(statement)
}, 60_000)
afterAll(async () => {
  await harness?.close()
  await server?.stop()
})

async function onTarget<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const pg = (await import('pg')).default
  const client = new pg.Client({ connectionString: targetUrl() })
  await client.connect()
  try {
    return (await client.query(sql, params)).rows as T[]
  } finally {
    await client.end()
  }
}

const formatTypes = `SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`
const asText = (table: string) => `SELECT row(id, ${PG_TYPE_COLUMNS.map(([name]) => name).join(', ')})::text AS r FROM ${table} ORDER BY id`

describe('PostgreSQL to PostgreSQL with postgres-cdc and postgres-sink', () => {
  it('recreates every column type and value, snapshot rows and streamed changes alike', async () => {
    const created = await harness.request('POST', '/connectors', { name: 'types-cdc', config: {
      'connector.class': 'postgres-cdc', url: server.url, 'topic.prefix': 'db', tables: 'public.snap,public.live', slot: 'types_slot', publication: 'types_pub',
      'snapshot.mode': 'initial', 'column.propagate.source.type': '.*', ...schemas,
    } })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const sink = await harness.request('POST', '/connectors', { name: 'types-sink', config: {
      'connector.class': 'postgres-sink', url: targetUrl(), topics: 'db.public.snap,db.public.live', 'auto.create': 'true', 'table.name.format': '${source.table}', ...schemas,
    } })
    expect(sink.status, JSON.stringify(sink.body)).toBe(201)
    await eventually(async () => (await harness.request('GET', '/connectors/types-cdc/status')).body, (status) => status.tasks?.[0]?.state === 'RUNNING', 30_000)
    // Streamed: inserts, then an update of every column and a delete, after the snapshot.
    for (const statement of pgTypeInserts('live')) await server.query(statement)
    await server.query(`UPDATE live SET (${PG_TYPE_COLUMNS.map(([name]) => name).join(', ')}) = (SELECT ${PG_TYPE_COLUMNS.map(([name]) => name).join(', ')} FROM live WHERE id = 1) WHERE id = 3`)
    await server.query('DELETE FROM live WHERE id = 2')
    for (const table of ['snap', 'live']) {
      const expected = (await server.query<{ r: string }>(asText(table))).map((row) => row.r)
      await untilRowsEqual(async () => (await onTarget<{ r: string }>(asText(table)).catch(() => [])).map((row) => row.r), expected, 60_000, async () => JSON.stringify((await harness.request('GET', '/connectors/types-sink/status')).body))
      expect(await onTarget(formatTypes, [table]), table).toEqual(await server.query(formatTypes, [table]))
    }
  })
})
