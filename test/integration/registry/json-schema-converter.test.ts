/**
 * PostgreSQL → topic → PostgreSQL with Confluent's JsonSchemaConverter on keys and values, on the
 * built-in schema registry: a table of every common column type, snapshotted and then streamed by
 * postgres-cdc (column.propagate.source.type, as a user replicating types sets it), and recreated by
 * postgres-sink with `auto.create`, must end with the same column types (format_type) and the same
 * values (`::text`) as the original. The topic holds the registry's wire format with JSON after the
 * schema id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PG_TYPE_COLUMNS, PG_TYPES_DDL, pgTypeInserts } from '../../support/pg-type-columns.ts'
import { startPgServer, type PgServer } from '../../support/pg-server.ts'
import { untilRowsEqual } from '../../support/until-rows-equal.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.ts'

let server: PgServer
let harness: WorkerHarness
const targetUrl = (database: string) => server.url.replace(/\/postgres$/, `/${database}`)
const CONVERTER = 'io.confluent.connect.json.JsonSchemaConverter'
const config = { 'key.converter': CONVERTER, 'value.converter': CONVERTER }

beforeAll(async () => {
  ;[server, harness] = await Promise.all([startPgServer(), startWorkerHarness()])
  await server.query('CREATE DATABASE copies_jsonschema')
  await server.query(`CREATE TABLE snap_js ${PG_TYPES_DDL}; CREATE TABLE live_js ${PG_TYPES_DDL}`)
  for (const statement of pgTypeInserts('snap_js')) await server.query(statement)
}, 60_000)
afterAll(async () => {
  await harness?.close()
  await server?.stop()
})

async function onTarget<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const pg = (await import('pg')).default
  const client = new pg.Client({ connectionString: targetUrl('copies_jsonschema') })
  await client.connect()
  try {
    return (await client.query(sql, params)).rows as T[]
  } finally {
    await client.end()
  }
}

const formatTypes = `SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`
const asText = (table: string) => `SELECT row(id, ${PG_TYPE_COLUMNS.map(([name]) => name).join(', ')})::text AS r FROM ${table} ORDER BY id`

describe('PostgreSQL to PostgreSQL with JsonSchemaConverter on the built-in schema registry', () => {
  it('recreates every column type and value, snapshot rows and streamed changes alike', async () => {
    const created = await harness.request('POST', '/connectors', { name: 'types-cdc-js', config: {
      'connector.class': 'postgres-cdc', url: server.url, 'topic.prefix': 'js', tables: 'public.snap_js,public.live_js', slot: 'types_slot_js', publication: 'types_pub_js',
      'snapshot.mode': 'initial', 'column.propagate.source.type': '.*', ...config,
    } })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const sink = await harness.request('POST', '/connectors', { name: 'types-sink-js', config: {
      'connector.class': 'postgres-sink', url: targetUrl('copies_jsonschema'), topics: 'js.public.snap_js,js.public.live_js', 'auto.create': 'true', 'table.name.format': '${source.table}', ...config,
    } })
    expect(sink.status, JSON.stringify(sink.body)).toBe(201)
    await eventually(async () => (await harness.request('GET', '/connectors/types-cdc-js/status')).body, (status) => status.tasks?.[0]?.state === 'RUNNING', 30_000)
    // Streamed: inserts, then an update of every column and a delete, after the snapshot.
    for (const statement of pgTypeInserts('live_js')) await server.query(statement)
    const columns = PG_TYPE_COLUMNS.map(([name]) => name).join(', ')
    await server.query(`UPDATE live_js SET (${columns}) = (SELECT ${columns} FROM live_js WHERE id = 1) WHERE id = 3`)
    await server.query('DELETE FROM live_js WHERE id = 2')
    for (const table of ['snap_js', 'live_js']) {
      const expected = (await server.query<{ r: string }>(asText(table))).map((row) => row.r)
      await untilRowsEqual(async () => (await onTarget<{ r: string }>(asText(table)).catch(() => [])).map((row) => row.r), expected, 60_000, async () => JSON.stringify((await harness.request('GET', '/connectors/types-sink-js/status')).body))
      expect(await onTarget(formatTypes, [table]), table).toEqual(await server.query(formatTypes, [table]))
    }
    // The registry's wire format (magic byte 0, a 4-byte id), then the JSON JsonSchemaData writes.
    const first = (await harness.request('GET', '/topics/js.public.snap_js/records?limit=1')).body.records[0]
    const frame = (text: string, encoding: string) => Buffer.from(text, encoding === 'base64' ? 'base64' : 'utf8')
    const value = frame(first.value, first.value_encoding)
    const key = frame(first.key, first.key_encoding)
    expect([value[0], key[0]]).toEqual([0, 0])
    expect(JSON.parse(key.subarray(5).toString('utf8'))).toEqual({ id: 1 })
    const envelope = JSON.parse(value.subarray(5).toString('utf8')) as { before: unknown; after: { id: number }; op: string }
    expect([envelope.before, envelope.after.id, envelope.op]).toEqual([null, 1, 'r'])
  })
})
