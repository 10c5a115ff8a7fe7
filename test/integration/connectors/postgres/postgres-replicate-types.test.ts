/**
 * PostgreSQL → topic → PostgreSQL with Tributary's own connectors and nothing but `auto.create`: a
 * table of every common column type, snapshotted and then streamed by postgres-cdc (with
 * column.propagate.source.type, as a user replicating types sets it), written with JsonConverter's
 * schemas, or with AvroConverter or JsonSchemaConverter on the built-in schema registry, and recreated by postgres-sink, must
 * end with the same column types (format_type) and the same values (`::text`) as the original, for
 * snapshot rows and streamed changes alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PG_TYPE_COLUMNS, PG_TYPES_DDL, pgTypeInserts } from '../../../support/pg-type-columns.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { expectCopied } from '../../../support/pg-copies.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../../support/worker-harness.ts'

let server: PgServer
let harness: WorkerHarness
const targetUrl = (database: string) => server.url.replace(/\/postgres$/, `/${database}`)
const AVRO = 'io.confluent.connect.avro.AvroConverter'
const JSON_SCHEMA = 'io.confluent.connect.json.JsonSchemaConverter'
/** Each converter, and what the first record of the snapshot must look like in the topic. */
const converters: Array<{
  name: string
  prefix: string
  config: Record<string, string>
  checkRecord: (key: Buffer, value: Buffer) => void
}> = [
  {
    name: 'JsonConverter with schemas',
    prefix: 'json',
    config: { 'key.converter.schemas.enable': 'true', 'value.converter.schemas.enable': 'true' },
    checkRecord: (_key, value) =>
      expect(JSON.parse(value.toString('utf8'))).toMatchObject({
        schema: { name: 'json.public.snap_json.Envelope' },
        payload: { op: 'r' },
      }),
  },
  {
    name: 'AvroConverter on the built-in schema registry',
    prefix: 'avro',
    config: { 'key.converter': AVRO, 'value.converter': AVRO },
    checkRecord: (key, value) => expect([key[0], value[0]]).toEqual([0, 0]),
  },
  {
    // The registry's wire format (magic byte 0, a 4-byte id), then the JSON JsonSchemaData writes.
    name: 'JsonSchemaConverter on the built-in schema registry',
    prefix: 'jsonschema',
    config: { 'key.converter': JSON_SCHEMA, 'value.converter': JSON_SCHEMA },
    checkRecord: (key, value) => {
      expect([key[0], value[0]]).toEqual([0, 0])
      expect(JSON.parse(key.subarray(5).toString('utf8'))).toEqual({ id: 1 })
      expect(JSON.parse(value.subarray(5).toString('utf8'))).toMatchObject({ before: null, after: { id: 1 }, op: 'r' })
    },
  },
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

describe.each(converters)('PostgreSQL to PostgreSQL with postgres-cdc and postgres-sink, $name', ({ prefix, config, checkRecord }) => {
  it('recreates every column type and value, snapshot rows and streamed changes alike', async () => {
    const database = `copies_${prefix}`
    const created = await harness.request('POST', '/connectors', {
      name: `types-cdc-${prefix}`,
      config: {
        'connector.class': 'postgres-cdc',
        url: server.url,
        'topic.prefix': prefix,
        tables: `public.snap_${prefix},public.live_${prefix}`,
        slot: `types_slot_${prefix}`,
        publication: `types_pub_${prefix}`,
        'snapshot.mode': 'initial',
        'column.propagate.source.type': '.*',
        ...config,
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const sink = await harness.request('POST', '/connectors', {
      name: `types-sink-${prefix}`,
      config: {
        'connector.class': 'postgres-sink',
        url: targetUrl(database),
        topics: `${prefix}.public.snap_${prefix},${prefix}.public.live_${prefix}`,
        'auto.create': 'true',
        'table.name.format': '${source.table}',
        ...config,
      },
    })
    expect(sink.status, JSON.stringify(sink.body)).toBe(201)
    await eventually(
      async () => (await harness.request('GET', `/connectors/types-cdc-${prefix}/status`)).body,
      (status) => status.tasks?.[0]?.state === 'RUNNING',
      30_000,
    )
    // Streamed: inserts, then an update of every column and a delete, after the snapshot.
    const [snap, live] = [`snap_${prefix}`, `live_${prefix}`]
    for (const statement of pgTypeInserts(live)) await server.query(statement)
    await server.query(
      `UPDATE ${live} SET (${PG_TYPE_COLUMNS.map(([name]) => name).join(', ')}) = (SELECT ${PG_TYPE_COLUMNS.map(([name]) => name).join(', ')} FROM ${live} WHERE id = 1) WHERE id = 3`,
    )
    await server.query(`DELETE FROM ${live} WHERE id = 2`)
    await expectCopied(
      server,
      targetUrl(database),
      [snap, live],
      PG_TYPE_COLUMNS.map(([name]) => name),
      async () => JSON.stringify((await harness.request('GET', `/connectors/types-sink-${prefix}/status`)).body),
    )
    // What went through the topic is what the converter writes.
    const first = (await harness.request('GET', `/topics/${prefix}.public.${snap}/records?limit=1`)).body.records[0]
    const bytes = (text: string, encoding: string | undefined) => Buffer.from(text, encoding === 'base64' ? 'base64' : 'utf8')
    checkRecord(bytes(first.key, first.key_encoding), bytes(first.value, first.value_encoding))
  })
})
