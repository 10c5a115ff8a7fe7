/**
 * PostgreSQL → topic → PostgreSQL with Tributary's own connectors and nothing but `auto.create`: a
 * table of every common column type, snapshotted and then streamed by postgres-cdc (with
 * column.propagate.source.type, as a user replicating types sets it), written with JsonConverter's
 * schemas or with AvroConverter on the built-in schema registry, and recreated by postgres-sink, must
 * end with the same column types (format_type) and the same values (`::text`) as the original, for
 * snapshot rows and streamed changes alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PG_TYPE_COLUMNS, PG_TYPES_DDL, pgTypeInserts } from '../../../support/pg-type-columns.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { untilRowsEqual } from '../../../support/until-rows-equal.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../../support/worker-harness.ts'

let server: PgServer
let harness: WorkerHarness
const targetUrl = (database: string) => server.url.replace(/\/postgres$/, `/${database}`)
const converters = [
  { name: 'JsonConverter with schemas', prefix: 'json', config: { 'key.converter.schemas.enable': 'true', 'value.converter.schemas.enable': 'true' } },
  { name: 'AvroConverter on the built-in schema registry', prefix: 'avro', config: { 'key.converter': 'io.confluent.connect.avro.AvroConverter', 'value.converter': 'io.confluent.connect.avro.AvroConverter' } },
]

beforeAll(async () => {
  ;[server, harness] = await Promise.all([startPgServer(), startWorkerHarness()])
  for (const { prefix } of converters) {
    await server.query(`CREATE DATABASE copies_${prefix}`)
    await server.query(`CREATE TABLE snap_${prefix} ${PG_TYPES_DDL}; CREATE TABLE live_${prefix} ${PG_TYPES_DDL}`)
    for (const statement of pgTypeInserts(`snap_${prefix}`)) await server.query(statement)
  }
}, 60_000)
afterAll(async () => {
  await harness?.close()
  await server?.stop()
})

async function onTarget<T>(database: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const pg = (await import('pg')).default
  const client = new pg.Client({ connectionString: targetUrl(database) })
  await client.connect()
  try {
    return (await client.query(sql, params)).rows as T[]
  } finally {
    await client.end()
  }
}

const formatTypes = `SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`
const asText = (table: string) => `SELECT row(id, ${PG_TYPE_COLUMNS.map(([name]) => name).join(', ')})::text AS r FROM ${table} ORDER BY id`

describe.each(converters)('PostgreSQL to PostgreSQL with postgres-cdc and postgres-sink, $name', ({ prefix, config }) => {
  it('recreates every column type and value, snapshot rows and streamed changes alike', async () => {
    const database = `copies_${prefix}`
    const created = await harness.request('POST', '/connectors', { name: `types-cdc-${prefix}`, config: {
      'connector.class': 'postgres-cdc', url: server.url, 'topic.prefix': prefix, tables: `public.snap_${prefix},public.live_${prefix}`, slot: `types_slot_${prefix}`, publication: `types_pub_${prefix}`,
      'snapshot.mode': 'initial', 'column.propagate.source.type': '.*', ...config,
    } })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const sink = await harness.request('POST', '/connectors', { name: `types-sink-${prefix}`, config: {
      'connector.class': 'postgres-sink', url: targetUrl(database), topics: `${prefix}.public.snap_${prefix},${prefix}.public.live_${prefix}`, 'auto.create': 'true', 'table.name.format': '${source.table}', ...config,
    } })
    expect(sink.status, JSON.stringify(sink.body)).toBe(201)
    await eventually(async () => (await harness.request('GET', `/connectors/types-cdc-${prefix}/status`)).body, (status) => status.tasks?.[0]?.state === 'RUNNING', 30_000)
    // Streamed: inserts, then an update of every column and a delete, after the snapshot.
    const [snap, live] = [`snap_${prefix}`, `live_${prefix}`]
    for (const statement of pgTypeInserts(live)) await server.query(statement)
    await server.query(`UPDATE ${live} SET (${PG_TYPE_COLUMNS.map(([name]) => name).join(', ')}) = (SELECT ${PG_TYPE_COLUMNS.map(([name]) => name).join(', ')} FROM ${live} WHERE id = 1) WHERE id = 3`)
    await server.query(`DELETE FROM ${live} WHERE id = 2`)
    for (const table of [snap, live]) {
      const expected = (await server.query<{ r: string }>(asText(table))).map((row) => row.r)
      await untilRowsEqual(async () => (await onTarget<{ r: string }>(database, asText(table)).catch(() => [])).map((row) => row.r), expected, 60_000, async () => JSON.stringify((await harness.request('GET', `/connectors/types-sink-${prefix}/status`)).body))
      expect(await onTarget(database, formatTypes, [table]), table).toEqual(await server.query(formatTypes, [table]))
    }
    // What went through the topic is what the converter writes: Avro in the registry's wire format (magic byte 0), or JSON.
    const first = (await harness.request('GET', `/topics/${prefix}.public.${snap}/records?limit=1`)).body.records[0]
    const bytes = Buffer.from(first.value, first.value_encoding === 'base64' ? 'base64' : 'utf8')
    expect(bytes[0]).toBe(prefix === 'avro' ? 0 : '{'.charCodeAt(0))
  })
})
