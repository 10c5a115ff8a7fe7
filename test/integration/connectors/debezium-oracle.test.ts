/**
 * The Debezium oracle itself: the real engine runs against throwaway PostgreSQL and MariaDB servers
 * and its events come back as Kafka Connect's JsonConverter writes them, and JsonConverter's round trip
 * answers for a given envelope. Conformance tests build on these, so this pins what they rely on.
 * One JVM per database, reused for the snapshot and the changes after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ensureDebeziumOracle,
  jsonConverterRoundTrip,
  runDebezium,
  type ConnectEnvelope,
  type ConnectSchema,
  type DebeziumRun,
} from '../../support/debezium.ts'
import { mariaDbOracleProperties, postgresOracleProperties } from '../../support/debezium-properties.ts'
import { startMariaDbServer, type MariaDbServer } from '../../support/mariadb-server.ts'
import { startPgServer, type PgServer } from '../../support/pg-server.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

/** The schema of field `name` of the envelope's `after` struct. */
function afterField(value: ConnectEnvelope | null, name: string): ConnectSchema | undefined {
  return value?.schema?.fields?.find((field) => field.field === 'after')?.fields?.find((field) => field.field === name)
}

const payload = (value: ConnectEnvelope | null) =>
  value?.payload as { op: string; before: unknown; after: unknown; source: Record<string, unknown> }

const DECIMAL_10_2 = {
  type: 'bytes',
  optional: true,
  name: 'org.apache.kafka.connect.data.Decimal',
  version: 1,
  parameters: { scale: '2', 'connect.decimal.precision': '10' },
}

let temp: Awaited<ReturnType<typeof makeTempDir>>

beforeAll(async () => {
  temp = await makeTempDir('tributary-debezium-')
  // npm's pretest has built it; run on its own after a change to its sources, the build (with Maven's downloads) takes a while.
  await ensureDebeziumOracle()
}, 300_000)
afterAll(async () => {
  await temp?.remove()
})

describe('Debezium oracle on PostgreSQL (pgoutput)', () => {
  let server: PgServer
  let run: DebeziumRun

  beforeAll(async () => {
    server = await startPgServer()
    await server.query('CREATE TABLE public.items (id int PRIMARY KEY, price numeric(10,2), name text, at timestamptz)')
    await server.query(`INSERT INTO items VALUES (1, 12.34, 'one', '2024-02-29 10:11:12.345678+02'), (2, NULL, NULL, NULL)`)
    run = await runDebezium({
      outFile: `${temp.path}/postgres.jsonl`,
      properties: postgresOracleProperties(server, {
        topicPrefix: 'oracle',
        tables: ['public.items'],
        slot: 'oracle_slot',
        publication: 'oracle_pub',
        snapshotMode: 'initial',
      }),
    })
  }, 60_000)
  afterAll(async () => {
    await run?.stop()
    await server?.stop()
  })

  it('snapshots the rows with Debezium key and envelope schemas, as JsonConverter writes them', async () => {
    const [first, second] = await run.waitForRecords(2, 50_000)
    expect(first?.topic).toBe('oracle.public.items')
    // Byte for byte: JsonConverter's field order within schema objects is part of what is compared.
    expect(first?.keyJson).toBe(
      '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":"oracle.public.items.Key"},"payload":{"id":1}}',
    )
    expect(first?.value?.schema).toMatchObject({ type: 'struct', optional: false, name: 'oracle.public.items.Envelope', version: 2 })
    expect(afterField(first?.value ?? null, 'price')).toEqual({ ...DECIMAL_10_2, field: 'price' })
    expect(afterField(first?.value ?? null, 'at')).toEqual({
      type: 'string',
      optional: true,
      name: 'io.debezium.time.ZonedTimestamp',
      version: 1,
      field: 'at',
    })
    expect(afterField(first?.value ?? null, 'name')).toEqual({ type: 'string', optional: true, field: 'name' })
    // 12.34 is the unscaled 1234 (0x04d2) as big-endian two's complement bytes, base64.
    expect(payload(first?.value ?? null)).toMatchObject({
      op: 'r',
      before: null,
      after: { id: 1, price: 'BNI=', name: 'one', at: '2024-02-29T08:11:12.345678Z' },
    })
    expect(payload(first?.value ?? null).source).toMatchObject({
      connector: 'postgresql',
      name: 'oracle',
      db: 'postgres',
      schema: 'public',
      table: 'items',
      snapshot: 'first',
    })
    expect(payload(second?.value ?? null)).toMatchObject({
      op: 'r',
      after: { id: 2, price: null, name: null, at: null },
      source: { snapshot: 'last' },
    })
  }, 60_000)

  it('streams an insert, an update and a delete with its tombstone', async () => {
    await run.waitForStreaming(50_000)
    await server.query(`INSERT INTO items VALUES (3, 99.50, 'three', '2025-01-01 00:00:00+00')`)
    await server.query(`UPDATE items SET name = 'uno' WHERE id = 1`)
    await server.query('DELETE FROM items WHERE id = 2')
    const records = (await run.waitForRecords(6, 50_000)).slice(2)
    expect(records.map((record) => [record.key?.payload, payload(record.value)?.op ?? null])).toEqual([
      [{ id: 3 }, 'c'],
      [{ id: 1 }, 'u'],
      [{ id: 2 }, 'd'],
      [{ id: 2 }, null],
    ])
    // ZonedTimestamp keeps the column's six fraction digits, even for a whole second.
    expect(payload(records[0]?.value ?? null).after).toEqual({ id: 3, price: 'Jt4=', name: 'three', at: '2025-01-01T00:00:00.000000Z' })
    expect(payload(records[0]?.value ?? null).source).toMatchObject({
      snapshot: 'false',
      txId: expect.any(Number),
      lsn: expect.any(Number),
    })
    // REPLICA IDENTITY DEFAULT: an update has no before, a delete's before has the key only.
    expect(payload(records[1]?.value ?? null)).toMatchObject({ before: null, after: { id: 1, name: 'uno' } })
    expect(payload(records[2]?.value ?? null)).toMatchObject({ before: { id: 2, price: null, name: null, at: null }, after: null })
    expect(records[3]).toMatchObject({ topic: 'oracle.public.items', value: null, valueJson: null, keyJson: records[2]?.keyJson })
  }, 60_000)
})

describe('Debezium oracle on MariaDB (MariaDbConnector)', () => {
  let server: MariaDbServer
  let run: DebeziumRun

  beforeAll(async () => {
    server = await startMariaDbServer()
    await server.query(`CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY, price DECIMAL(10,2), name VARCHAR(40), at DATETIME(3));
      INSERT INTO shop.items VALUES (1, 12.34, 'one', '2024-02-29 10:11:12.345'), (2, NULL, NULL, NULL)`)
    run = await runDebezium({
      outFile: `${temp.path}/mariadb.jsonl`,
      properties: mariaDbOracleProperties(server, {
        topicPrefix: 'oracle',
        tables: ['shop.items'],
        serverId: 5401,
        snapshotMode: 'initial',
      }),
    })
  }, 60_000)
  afterAll(async () => {
    await run?.stop()
    await server?.stop()
  })

  it('snapshots, then streams an insert', async () => {
    const snapshot = await run.waitForRecords(2, 50_000)
    expect(snapshot.map((record) => [record.topic, record.key?.payload, payload(record.value).op])).toEqual([
      ['oracle.shop.items', { id: 1 }, 'r'],
      ['oracle.shop.items', { id: 2 }, 'r'],
    ])
    const [first] = snapshot
    expect(first?.key?.schema).toEqual({
      type: 'struct',
      fields: [{ type: 'int32', optional: false, field: 'id' }],
      optional: false,
      name: 'oracle.shop.items.Key',
    })
    expect(first?.value?.schema).toMatchObject({ name: 'oracle.shop.items.Envelope', version: 2 })
    expect(afterField(first?.value ?? null, 'price')).toEqual({ ...DECIMAL_10_2, field: 'price' })
    expect(afterField(first?.value ?? null, 'name')).toEqual({ type: 'string', optional: true, field: 'name' })
    expect(afterField(first?.value ?? null, 'at')).toEqual({
      type: 'int64',
      optional: true,
      name: 'io.debezium.time.Timestamp',
      version: 1,
      field: 'at',
    })
    // DATETIME(3) is epoch milliseconds of the wall-clock time, read as if it were UTC.
    expect(payload(first?.value ?? null).after).toEqual({ id: 1, price: 'BNI=', name: 'one', at: Date.UTC(2024, 1, 29, 10, 11, 12, 345) })
    expect(payload(first?.value ?? null).source).toMatchObject({
      connector: 'mariadb',
      name: 'oracle',
      db: 'shop',
      table: 'items',
      snapshot: 'first',
    })

    await run.waitForStreaming(50_000)
    await server.query(`INSERT INTO shop.items VALUES (3, 99.50, 'three', '2025-01-01 00:00:00.001')`)
    const [inserted] = (await run.waitForRecords(3, 50_000)).slice(2)
    expect(payload(inserted?.value ?? null)).toMatchObject({
      op: 'c',
      before: null,
      after: { id: 3, price: 'Jt4=', name: 'three', at: Date.UTC(2025, 0, 1, 0, 0, 0, 1) },
    })
    expect(payload(inserted?.value ?? null).source).toMatchObject({ snapshot: 'false', file: expect.any(String), pos: expect.any(Number) })
  }, 60_000)
})

describe("Kafka Connect's JsonConverter oracle", () => {
  it('answers each line with the bytes of a toConnectData and fromConnectData round trip', async () => {
    const decimal =
      '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2","connect.decimal.precision":"10"}},"payload":"BNI="}'
    const struct =
      '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":true,"field":"name"}],"optional":false,"name":"k"},"payload":{"id":1,"name":null}}'
    // Whitespace and key order are JsonConverter's to decide: the answer is its own canonical bytes.
    const spaced = '{ "payload": 7, "schema": { "optional": false, "type": "int64" } }'
    const asKey = JSON.stringify({ bytes: Buffer.from(decimal).toString('base64'), isKey: true, config: { 'decimal.format': 'NUMERIC' } })
    // Jackson's way with text and numbers: UTF-8 as is, control characters as \u escapes, doubles as Java prints them.
    const text = '{"schema":{"type":"string","optional":false},"payload":"Zoë ✓ \\u0001 \\/"}'
    const double = '{"schema":{"type":"double","optional":false},"payload":1e10}'
    const answers = await jsonConverterRoundTrip([decimal, struct, spaced, asKey, text, double, 'not json'])
    expect(answers.slice(0, 6)).toEqual([
      decimal,
      struct,
      '{"schema":{"type":"int64","optional":false},"payload":7}',
      decimal.replace('"BNI="', '12.34'),
      '{"schema":{"type":"string","optional":false},"payload":"Zoë ✓ \\u0001 /"}',
      '{"schema":{"type":"double","optional":false},"payload":1.0E10}',
    ])
    expect(JSON.parse(answers[6] ?? '')).toEqual({ error: expect.stringContaining('Unrecognized token') })
  }, 60_000)
})
