/**
 * PostgreSQL → topic → PostgreSQL with ProtobufConverter on key and value and the built-in schema
 * registry: postgres-cdc writes each change in Confluent's Protobuf wire format, postgres-sink reads
 * it back and recreates the table with `auto.create`, and the copy must hold the same values, for
 * snapshot rows and streamed changes alike.
 *
 * Only NOT NULL columns of types Protobuf carries: proto3 has no null (a NULL scalar would come back
 * as 0 or ''), and ProtobufData keeps no name or parameter of a primitive schema, so Debezium's
 * semantic types (uuid, json, µs timestamps…) and column.propagate.source.type reach the sink as plain
 * strings and integers. Dates and timestamps travel as Connect's (time.precision.mode=connect, in ms),
 * which Protobuf keeps as google.type.Date and google.protobuf.Timestamp (a timestamp's declared
 * precision is a source parameter, so it is not kept).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPgServer, type PgServer } from '../../support/pg-server.ts'
import { expectCopied } from '../../support/pg-copies.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.ts'

/** [column, type, first row, second row]: the second row holds each type's empty value, which proto3 leaves out. */
const COLUMNS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['sm', 'smallint', '-32768', '0'],
  ['it', 'integer', '2147483647', '0'],
  ['bg', 'bigint', '9223372036854775807', '-9223372036854775808'],
  ['nm', 'numeric(12,4)', '-12345678.1234', '0'],
  ['rl', 'real', '0.1', '0'],
  ['dp', 'double precision', '1e300', '0'],
  ['bo', 'boolean', 'true', 'false'],
  ['tx', 'text', `E'zoë \\n "q"'`, `''`],
  ['by', 'bytea', `'\\x000102ff'`, `''`],
  ['ia', 'integer[]', `'{1,-2,3}'`, `'{}'`],
  ['ta', 'text[]', `ARRAY['a', 'b "q" \\']`, `'{""}'`],
  ['dt', 'date', `'2024-02-29'`, `'1970-01-01'`],
  ['ts', 'timestamp', `'2024-02-29 10:11:12.123'`, `'1969-12-31 23:59:59.999'`],
]
const DDL = `(id integer PRIMARY KEY, ${COLUMNS.map(([name, type]) => `${name} ${type} NOT NULL`).join(', ')})`
const inserts = (table: string, ids: readonly number[]) =>
  ids.map((id) => `INSERT INTO ${table} VALUES (${id}, ${COLUMNS.map((column) => (id % 2 === 1 ? column[2] : column[3])).join(', ')})`)
const CONVERTER = 'io.confluent.connect.protobuf.ProtobufConverter'

let server: PgServer
let harness: WorkerHarness
const targetUrl = () => server.url.replace(/\/postgres$/, '/copies_protobuf')

beforeAll(async () => {
  ;[server, harness] = await Promise.all([startPgServer(), startWorkerHarness()])
  await server.query('CREATE DATABASE copies_protobuf')
  await server.query(`CREATE TABLE snap_pb ${DDL}; CREATE TABLE live_pb ${DDL}`)
  for (const statement of inserts('snap_pb', [1, 2])) await server.query(statement)
}, 60_000)
afterAll(async () => {
  await harness?.close()
  await server?.stop()
})

describe('PostgreSQL to PostgreSQL with ProtobufConverter on the built-in schema registry', () => {
  it('keeps every value and column type, snapshot rows and streamed changes alike', async () => {
    const converters = { 'key.converter': CONVERTER, 'value.converter': CONVERTER }
    const created = await harness.request('POST', '/connectors', {
      name: 'pb-cdc',
      config: {
        'connector.class': 'postgres-cdc',
        url: server.url,
        'topic.prefix': 'pb',
        tables: 'public.snap_pb,public.live_pb',
        slot: 'pb_slot',
        publication: 'pb_pub',
        'snapshot.mode': 'initial',
        'time.precision.mode': 'connect',
        ...converters,
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const sink = await harness.request('POST', '/connectors', {
      name: 'pb-sink',
      config: {
        'connector.class': 'postgres-sink',
        url: targetUrl(),
        topics: 'pb.public.snap_pb,pb.public.live_pb',
        'auto.create': 'true',
        'table.name.format': '${source.table}',
        ...converters,
      },
    })
    expect(sink.status, JSON.stringify(sink.body)).toBe(201)
    await eventually(
      async () => (await harness.request('GET', '/connectors/pb-cdc/status')).body,
      (status) => status.tasks?.[0]?.state === 'RUNNING',
      30_000,
    )
    // Streamed: inserts, an update of every column and a delete, after the snapshot.
    for (const statement of inserts('live_pb', [1, 2, 3])) await server.query(statement)
    await server.query(
      `UPDATE live_pb SET (${COLUMNS.map(([name]) => name).join(', ')}) = (SELECT ${COLUMNS.map(([name]) => name).join(', ')} FROM live_pb WHERE id = 2) WHERE id = 3`,
    )
    await server.query('DELETE FROM live_pb WHERE id = 1')
    await expectCopied(
      server,
      targetUrl(),
      ['snap_pb', 'live_pb'],
      COLUMNS.map(([name]) => name),
      async () => JSON.stringify((await harness.request('GET', '/connectors/pb-sink/status')).body),
    )
    // The topic holds Protobuf in the registry's wire format: magic byte, schema id, message index [0].
    const first = (await harness.request('GET', '/topics/pb.public.snap_pb/records?limit=1')).body.records[0]
    const bytes = Buffer.from(first.value, first.value_encoding === 'base64' ? 'base64' : 'utf8')
    expect([bytes[0], bytes[5]]).toEqual([0, 0])
  })
})
