import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../../support/worker-harness.ts'

let server: PgServer
let harness: WorkerHarness

beforeAll(async () => {
  ;[server, harness] = await Promise.all([startPgServer(), startWorkerHarness()])
}, 60_000)
afterAll(async () => {
  await harness?.close()
  await server?.stop()
})

/** A row's fields as Debezium's PostgreSQL source describes them with column.propagate.source.type. */
const ROW_FIELDS = [
  { type: 'int32', optional: false, field: 'id' },
  {
    type: 'bytes',
    optional: true,
    name: 'org.apache.kafka.connect.data.Decimal',
    version: 1,
    field: 'price',
    parameters: {
      scale: '2',
      'connect.decimal.precision': '10',
      '__debezium.source.column.type': 'NUMERIC',
      '__debezium.source.column.length': '10',
      '__debezium.source.column.scale': '2',
    },
  },
  { type: 'int64', optional: true, field: 'big', parameters: { '__debezium.source.column.type': 'INT8' } },
  {
    type: 'int64',
    optional: true,
    name: 'io.debezium.time.MicroTimestamp',
    version: 1,
    field: 'at',
    parameters: { '__debezium.source.column.type': 'TIMESTAMP', '__debezium.source.column.scale': '6' },
  },
  { type: 'string', optional: true, name: 'io.debezium.data.Uuid', version: 1, field: 'uid' },
  { type: 'bytes', optional: true, field: 'raw' },
  {
    type: 'array',
    items: { type: 'string', optional: true },
    optional: true,
    field: 'tags',
    parameters: { '__debezium.source.column.type': '_VARCHAR' },
  },
]

const VALUE_SCHEMA = {
  type: 'struct',
  optional: false,
  name: 'pg.public.orders.Envelope',
  fields: [
    { type: 'struct', fields: ROW_FIELDS, optional: true, name: 'pg.public.orders.Value', field: 'before' },
    { type: 'struct', fields: ROW_FIELDS, optional: true, name: 'pg.public.orders.Value', field: 'after' },
    {
      type: 'struct',
      fields: [
        { type: 'string', optional: false, field: 'db' },
        { type: 'string', optional: false, field: 'schema' },
        { type: 'string', optional: false, field: 'table' },
      ],
      optional: false,
      name: 'io.debezium.connector.postgresql.Source',
      field: 'source',
    },
    { type: 'string', optional: false, field: 'op' },
    { type: 'int64', optional: true, field: 'ts_ms' },
  ],
}
const KEY_SCHEMA = {
  type: 'struct',
  fields: [{ type: 'int32', optional: false, field: 'id' }],
  optional: false,
  name: 'pg.public.orders.Key',
}
const SOURCE = { db: 'postgres', schema: 'public', table: 'orders' }

/** The bytes JsonConverter writes for a change event, as a Debezium source's topic holds them. */
const event = (op: string, id: number, before: string, after: string) => ({
  key: `{"schema":${JSON.stringify(KEY_SCHEMA)},"payload":{"id":${id}}}`,
  value: `{"schema":${JSON.stringify(VALUE_SCHEMA)},"payload":{"before":${before},"after":${after},"source":${JSON.stringify(SOURCE)},"op":"${op}","ts_ms":1}}`,
})

describe('postgres-sink in a worker, with JsonConverter schemas', () => {
  it("creates the table with the schema's types and writes the values exactly", async () => {
    await harness.request('POST', '/topics', { name: 'pg.public.orders' })
    // price "AeJA": the unscaled 123456 at scale 2; big: beyond 2^53, kept exact by the converter.
    const row = (id: number) =>
      `{"id":${id},"price":"AeJA","big":9223372036854775807,"at":1709201472123456,"uid":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","raw":"AAH/","tags":["a","b \\"q\\"",null]}`
    const produced = await harness.request('POST', '/topics/pg.public.orders/records', {
      records: [event('c', 1, 'null', row(1)), event('c', 2, 'null', row(2)), event('d', 2, row(2), 'null')],
    })
    expect(produced.status, JSON.stringify(produced.body)).toBe(200)
    const created = await harness.request('POST', '/connectors', {
      name: 'typed',
      config: {
        'connector.class': 'postgres-sink',
        topics: 'pg.public.orders',
        url: server.url,
        'auto.create': 'true',
        'key.converter.schemas.enable': 'true',
        'value.converter.schemas.enable': 'true',
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const stored = () =>
      server
        .query(`SELECT id::text, price::text, big::text, at::text, uid::text, raw::text, tags::text FROM orders ORDER BY id`)
        .catch(() => [])
    // The three records are in once the sink's offsets table says so (the delete is the last).
    const applied = () =>
      server.query<{ kafka_offset: string }>(`SELECT kafka_offset FROM tributary_sink_offsets WHERE connector = 'typed'`).catch(() => [])
    await eventually(applied, (rows) => rows[0]?.kafka_offset === '2', 20_000)
    expect(await stored()).toEqual([
      {
        id: '1',
        price: '1234.56',
        big: '9223372036854775807',
        at: '2024-02-29 10:11:12.123456',
        uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
        raw: '\\x0001ff',
        tags: '{a,"b \\"q\\"",NULL}',
      },
    ])
    const types = await server.query<{ attname: string; type: string }>(
      `SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attnum > 0 ORDER BY attnum`,
    )
    expect(types.map((row) => `${row.attname} ${row.type}`)).toEqual([
      'id integer',
      'price numeric(10,2)',
      'big bigint',
      'at timestamp without time zone',
      'uid uuid',
      'raw bytea',
      'tags character varying[]',
    ])
  })
})
