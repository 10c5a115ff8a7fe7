/**
 * MariaDB to MariaDB through Debezium's own change events: the real connector (with
 * column.propagate.source.type) snapshots one table and streams another, and mysql-sink, creating the
 * tables from those events, must end with the same column types and the same values. The same events
 * into PostgreSQL (postgres-sink) get the closest PostgreSQL types.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mysqlSink } from '../../../../connectors/mysql/sink/sink.ts'
import { postgresSink } from '../../../../connectors/postgres/sink/sink.ts'
import type { SinkRecord } from '../../../../core/runtime/plugin.ts'
import { runDebezium, type DebeziumRun } from '../../../support/debezium.ts'
import { mariaDbOracleProperties } from '../../../support/debezium-properties.ts'
import { debeziumSinkRecords } from '../../../support/debezium-sink-records.ts'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'
import { queryText } from '../../../support/mariadb-text.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { sinkContext } from '../../../support/task-context.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

/** Each column with two values as SQL literals, and how to read it back as text. */
const COLUMNS: ReadonlyArray<readonly [name: string, ddl: string, first: string, second: string, read?: string]> = [
  ['ti', 'TINYINT', '-128', '127'],
  ['tu', 'TINYINT UNSIGNED', '255', '0'],
  ['su', 'SMALLINT UNSIGNED', '65535', '1'],
  ['mi', 'MEDIUMINT', '-8388608', '8388607'],
  ['iu', 'INT UNSIGNED', '4294967295', '0'],
  ['bg', 'BIGINT', '-9223372036854775808', '9007199254740993'],
  ['bu', 'BIGINT UNSIGNED', '18446744073709551615', '0'],
  ['dc', 'DECIMAL(30,10)', '-12345678901234567890.1234567890', '0.0000000001'],
  ['fl', 'FLOAT', '0.1', '-1.5'],
  ['db', 'DOUBLE', '0.1', '1e300'],
  ['bo', 'BOOLEAN', '1', '0'],
  ['b1', 'BIT(1)', `b'1'`, `b'0'`, 'BIN(b1)'],
  ['bt', 'BIT(10)', `b'1000000001'`, `b'0'`, 'BIN(bt)'],
  ['ch', 'CHAR(3)', `'ab'`, `''`],
  ['vc', 'VARCHAR(60)', `'héllo "q" \\\\ \\'quote\\' end'`, `'x'`],
  ['tx', 'TEXT', `'line\\nbreak\\ttab'`, `'NULL'`],
  ['mt', 'MEDIUMTEXT', `'m'`, `''`],
  ['bn', 'BINARY(4)', `X'00010203'`, `X'ff000000'`, 'HEX(bn)'],
  ['vb', 'VARBINARY(10)', `X'ff'`, `''`, 'HEX(vb)'],
  ['bl', 'BLOB', `X'5c783030'`, `X'00'`, 'HEX(bl)'],
  ['dt', 'DATE', `'2024-02-29'`, `'1000-01-01'`],
  ['tm', 'TIME(6)', `'-838:59:59.000001'`, `'23:59:59.999999'`],
  ['t0', 'TIME', `'838:59:59'`, `'00:00:01'`],
  ['dtt', 'DATETIME(6)', `'2024-02-29 10:11:12.123456'`, `'1000-01-01 00:00:00'`],
  ['d3', 'DATETIME(3)', `'9999-12-31 23:59:59.999'`, `'1969-12-31 23:59:59.999'`],
  ['d0', 'DATETIME', `'2024-02-29 10:11:12'`, `'1970-01-01 00:00:00'`],
  ['ts', 'TIMESTAMP(3) NULL', `'2024-02-29 10:11:12.123'`, `'2038-01-19 03:14:07.999'`],
  ['y', 'YEAR', '2024', '1901'],
  ['j', 'JSON', `'{"a": [1, 2], "s": "x"}'`, `'"just a string"'`],
  ['e', `ENUM('a','b c','it''s')`, `'b c'`, `'it''s'`],
  ['st', `SET('x','y','z')`, `'x,z'`, `''`],
  ['pt', 'POINT', 'POINT(1.5, -2)', 'POINT(0.1, 1e-300)', 'ST_AsText(pt)'],
]
const DDL = `(id INT PRIMARY KEY, ${COLUMNS.map(([name, ddl]) => `${name} ${ddl}`).join(', ')}) DEFAULT CHARSET = utf8mb4`
const insert = (table: string) => [
  `INSERT INTO shop.${table} VALUES (1, ${COLUMNS.map(([, , first]) => first).join(', ')})`,
  `INSERT INTO shop.${table} VALUES (2, ${COLUMNS.map(([, , , second]) => second).join(', ')})`,
  `INSERT INTO shop.${table} (id) VALUES (3)`,
]

let server: MariaDbServer
let pgServer: PgServer
let run: DebeziumRun
let temp: Awaited<ReturnType<typeof makeTempDir>>

beforeAll(async () => {
  temp = await makeTempDir('tributary-debezium-sink-')
  ;[server, pgServer] = await Promise.all([startMariaDbServer(), startPgServer()])
  await server.query(`SET time_zone = '+00:00'; CREATE DATABASE shop; CREATE TABLE shop.snap ${DDL}; CREATE TABLE shop.live ${DDL}`)
  for (const statement of insert('snap')) await server.query(`SET time_zone = '+00:00'; ${statement}`)
  run = await runDebezium({
    outFile: `${temp.path}/mariadb.jsonl`,
    properties: mariaDbOracleProperties(server, {
      topicPrefix: 'db',
      tables: ['shop.snap', 'shop.live'],
      serverId: 5501,
      snapshotMode: 'initial',
      extra: { 'column.propagate.source.type': '.*', 'bigint.unsigned.handling.mode': 'precise', 'database.connectionTimeZone': 'UTC' },
    }),
  })
  await run.waitForStreaming(90_000)
  for (const statement of insert('live')) await server.query(`SET time_zone = '+00:00'; ${statement}`)
}, 300_000)
afterAll(async () => {
  await run?.stop()
  await server?.stop()
  await pgServer?.stop()
  await temp?.remove()
})

const columnTypes = (table: string) =>
  queryText(
    server,
    `SELECT column_name, column_type, is_nullable FROM information_schema.columns WHERE table_schema = 'shop' AND table_name = ? ORDER BY ordinal_position`,
    [table],
  )
const asText = (table: string) =>
  queryText(
    server,
    `SELECT id, ${COLUMNS.map(([name, , , , read]) => `${read ?? `CAST(${name} AS CHAR)`} AS ${name}`).join(', ')} FROM shop.${table} ORDER BY id`,
  )

describe('mysql-sink with Debezium MariaDB change events', () => {
  it("recreates the snapshot's and the stream's tables with the same types and values", async () => {
    const events = await run.waitForRecords(6, 60_000)
    const sink = mysqlSink.createTask(
      sinkContext(
        mysqlSink.config.parse({
          url: `${server.url}/shop`,
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
      expect(await columnTypes(`${table}_copy`), table).toEqual(await columnTypes(table))
      expect(await asText(`${table}_copy`), table).toEqual(await asText(table))
    }
  })

  it('gives the same events the closest PostgreSQL types, and refuses only the row PostgreSQL cannot hold', async () => {
    const events = await run.waitForRecords(6, 60_000)
    const refused: Array<{ record: SinkRecord; error: Error }> = []
    const sink = postgresSink.createTask(
      sinkContext(
        postgresSink.config.parse({
          url: pgServer.url,
          'auto.create': 'true',
          'table.name.format': 'public.${source.table}',
          'offsets.table': 'debezium_offsets',
        }),
        { connector: 'debezium-types', badRecords: refused },
      ),
    )
    await sink.start()
    await sink.put(debeziumSinkRecords(events.filter((event) => event.topic === 'db.shop.snap')))
    await sink.flush()
    await sink.stop()
    const types = await pgServer.query<{ attname: string; type: string }>(
      `SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'snap'::regclass AND attnum > 0 ORDER BY attnum`,
    )
    expect(Object.fromEntries(types.map((row) => [row.attname, row.type]))).toEqual({
      id: 'integer',
      ti: 'smallint',
      tu: 'smallint',
      su: 'integer',
      mi: 'integer',
      iu: 'bigint',
      bg: 'bigint',
      bu: 'numeric(20,0)',
      dc: 'numeric(30,10)',
      fl: 'real',
      db: 'double precision',
      bo: 'smallint',
      b1: 'bit(1)',
      bt: 'bit(10)',
      ch: 'character(3)',
      vc: 'character varying(60)',
      tx: 'text',
      mt: 'text',
      bn: 'bytea',
      vb: 'bytea',
      bl: 'bytea',
      dt: 'date',
      tm: 'time without time zone',
      t0: 'time(0) without time zone',
      dtt: 'timestamp without time zone',
      d3: 'timestamp(3) without time zone',
      d0: 'timestamp(0) without time zone',
      ts: 'timestamp(3) with time zone',
      // MariaDB's JSON is a LONGTEXT to Debezium: text.
      y: 'integer',
      j: 'text',
      e: 'text',
      st: 'text',
      pt: 'point',
    })
    // Row 1's TIME values lie outside PostgreSQL's day (-838:59:59, 838:59:59): that record alone is refused.
    expect(refused.map(({ record, error }) => [(record.value as { id: number }).id, /out of range/.test(error.message)])).toEqual([
      [1, true],
    ])
    const read = COLUMNS.map(([name]) => (name === 'ts' ? `(ts AT TIME ZONE 'UTC')::text AS ts` : `${name}::text`))
    const [second, third] = await pgServer.query(`SELECT id, ${read.join(', ')} FROM snap ORDER BY id`)
    expect(second).toEqual({
      id: 2,
      ti: '127',
      tu: '0',
      su: '1',
      mi: '8388607',
      iu: '0',
      bg: '9007199254740993',
      bu: '0',
      dc: '0.0000000001',
      fl: '-1.5',
      db: '1e+300',
      bo: '0',
      b1: '0',
      bt: '0000000000',
      ch: '',
      vc: 'x',
      tx: 'NULL',
      mt: '',
      bn: '\\xff000000',
      vb: '\\x',
      bl: '\\x00',
      dt: '1000-01-01',
      tm: '23:59:59.999999',
      t0: '00:00:01',
      dtt: '1000-01-01 00:00:00',
      d3: '1969-12-31 23:59:59.999',
      d0: '1970-01-01 00:00:00',
      ts: '2038-01-19 03:14:07.999',
      y: '1901',
      j: '"just a string"',
      e: "it's",
      st: '',
      pt: '(0.1,1e-300)',
    })
    expect(third).toEqual({ id: 3, ...Object.fromEntries(COLUMNS.map(([name]) => [name, null])) })
  })
})
