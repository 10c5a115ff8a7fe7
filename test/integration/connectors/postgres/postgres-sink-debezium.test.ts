/**
 * PostgreSQL to PostgreSQL through Debezium's own change events: the real connector (with
 * column.propagate.source.type) snapshots one table and streams another, and postgres-sink, creating
 * the tables from those events, must end with the same column types and the same values. The same
 * events into MariaDB (mysql-sink) get the closest MySQL types.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mysqlSink } from '../../../../connectors/mysql/sink/sink.ts'
import { postgresSink } from '../../../../connectors/postgres/sink/sink.ts'
import { runDebezium, type DebeziumRun } from '../../../support/debezium.ts'
import { postgresOracleProperties } from '../../../support/debezium-properties.ts'
import { debeziumSinkRecords } from '../../../support/debezium-sink-records.ts'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'
import { queryText } from '../../../support/mariadb-text.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { PG_TYPE_COLUMNS, PG_TYPES_DDL, pgTypeInserts } from '../../../support/pg-type-columns.ts'
import { sinkContext } from '../../../support/task-context.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

let server: PgServer
let mariaDb: MariaDbServer
let run: DebeziumRun
let temp: Awaited<ReturnType<typeof makeTempDir>>

beforeAll(async () => {
  temp = await makeTempDir('tributary-debezium-sink-')
  ;[server, mariaDb] = await Promise.all([startPgServer(), startMariaDbServer()])
  await mariaDb.query('CREATE DATABASE copies')
  await server.query(`CREATE TABLE snap ${PG_TYPES_DDL}; CREATE TABLE live ${PG_TYPES_DDL}`)
  for (const statement of pgTypeInserts('snap')) await server.query(statement)
  run = await runDebezium({
    outFile: `${temp.path}/postgres.jsonl`,
    properties: postgresOracleProperties(server, {
      topicPrefix: 'db',
      tables: ['public.snap', 'public.live'],
      slot: 'sink_types',
      publication: 'sink_types',
      snapshotMode: 'initial',
      extra: { 'column.propagate.source.type': '.*' },
    }),
  })
  await run.waitForStreaming(90_000)
  for (const statement of pgTypeInserts('live')) await server.query(statement)
}, 300_000)
afterAll(async () => {
  await run?.stop()
  await server?.stop()
  await mariaDb?.stop()
  await temp?.remove()
})

const formatTypes = async (table: string) =>
  server.query(
    `SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table],
  )
const asText = (table: string) =>
  server.query(`SELECT id::text, ${PG_TYPE_COLUMNS.map(([name]) => `${name}::text`).join(', ')} FROM ${table} ORDER BY id`)

describe('postgres-sink with Debezium PostgreSQL change events', () => {
  it("recreates the snapshot's and the stream's tables with the same types and values", async () => {
    const events = await run.waitForRecords(6, 60_000)
    const sink = postgresSink.createTask(
      sinkContext(
        postgresSink.config.parse({
          url: server.url,
          'auto.create': 'true',
          'table.name.format': '${source.table}_copy',
          'offsets.table': 'debezium_offsets',
        }),
        { connector: 'debezium-types' },
      ),
    )
    await sink.start()
    await sink.put(debeziumSinkRecords(events))
    await sink.flush()
    await sink.stop()
    for (const table of ['snap', 'live']) {
      expect(await formatTypes(`${table}_copy`), table).toEqual(await formatTypes(table))
      expect(await asText(`${table}_copy`), table).toEqual(await asText(table))
    }
  })

  it('gives the same events the closest MySQL types in MariaDB, and writes their values exactly', async () => {
    const events = await run.waitForRecords(6, 60_000)
    const sink = mysqlSink.createTask(
      sinkContext(
        mysqlSink.config.parse({
          url: `${mariaDb.url}/copies`,
          'auto.create': 'true',
          'table.name.format': '${source.table}',
          'offsets.table': 'debezium_offsets',
        }),
        { connector: 'debezium-types' },
      ),
    )
    await sink.start()
    await sink.put(debeziumSinkRecords(events.filter((event) => event.topic === 'db.public.snap')))
    await sink.flush()
    await sink.stop()
    const types = await queryText<{ name: string; type: string }>(
      mariaDb,
      `SELECT column_name AS name, column_type AS type FROM information_schema.columns WHERE table_schema = 'copies' AND table_name = 'snap' ORDER BY ordinal_position`,
    )
    expect(Object.fromEntries(types.map((row) => [row.name, row.type]))).toEqual({
      id: 'int(11)',
      sm: 'smallint(6)',
      bg: 'bigint(20)',
      nm: 'decimal(12,4)',
      nf: 'decimal(65,30)',
      rl: 'float',
      dp: 'double',
      bo: 'tinyint(1)',
      ch: 'char(5)',
      vc: 'varchar(20)',
      tx: 'longtext',
      by: 'longblob',
      uu: 'char(36)',
      js: 'longtext',
      jb: 'longtext',
      xm: 'longtext',
      dt: 'date',
      tm: 'time(6)',
      t3: 'time(3)',
      tz: 'time(6)',
      ts: 'datetime(6)',
      t3s: 'datetime(3)',
      tt: 'datetime(6)',
      iv: 'bigint(20)',
      ia: 'longtext',
      ta: 'longtext',
      ie: 'longtext',
      ci: 'longtext',
      ma: 'longtext',
      mo: 'decimal(19,2)',
      pt: 'point',
      bi: 'bit(5)',
      vb: 'bit(20)',
      b1: 'bit(1)',
    })
    const read = PG_TYPE_COLUMNS.map(([name]) =>
      name === 'by'
        ? 'HEX(`by`) AS `by`'
        : ['bi', 'vb', 'b1'].includes(name)
          ? `BIN(${name}) AS ${name}`
          : name === 'pt'
            ? 'ST_AsText(pt) AS pt'
            : `CAST(${name} AS CHAR) AS ${name}`,
    )
    const [first, second] = await queryText(mariaDb, `SELECT ${read.join(', ')} FROM copies.snap ORDER BY id`)
    expect(first).toEqual({
      sm: '-32768',
      bg: '9223372036854775807',
      nm: '-12345678.1234',
      nf: '1234567890123.456789012345678901230000000000',
      rl: '0.1',
      dp: '0.1',
      bo: '1',
      ch: 'ab',
      vc: `héllo "q" \\ '`,
      tx: 'line\nbreak',
      by: '000102FF',
      uu: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      js: '{"b": 1,  "a": [1]}',
      jb: '{"a": [1, 2], "b": 1}',
      xm: '<a>1</a>',
      dt: '2024-02-29',
      tm: '23:59:59.999999',
      t3: '12:34:56.789',
      tz: '03:04:05.123456',
      ts: '2024-02-29 10:11:12.123456',
      t3s: '2024-02-29 10:11:12.123',
      tt: '2024-02-29 10:11:12.123456',
      iv: '90061000001',
      ia: '[1,null,3]',
      ta: '["a","b \\"q\\" \\\\",null,"NULL"]',
      ie: '192.168.0.1/24',
      ci: '10.0.0.0/8',
      ma: '08:00:2b:01:02:03',
      mo: '12.34',
      pt: 'POINT(1.5 -2)',
      bi: '10110',
      vb: '101000000000000001',
      b1: '1',
    })
    expect(second).toMatchObject({
      nf: '-0.000001000000000000000000000000',
      ts: '1969-12-31 23:59:59.999999',
      t3s: '0001-01-01 00:00:00.000',
      tt: '2024-03-01 00:00:00.500000',
      iv: '-1',
      bi: '1',
      vb: '101',
      b1: '0',
    })
  })
})
