import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mysqlSink } from '../../../../connectors/mysql/sink/sink.ts'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'
import { queryText } from '../../../support/mariadb-text.ts'
import { sinkContext, sinkRecord } from '../../../support/task-context.ts'

let server: MariaDbServer

const COLUMNS = `id INT PRIMARY KEY, big BIGINT UNSIGNED, d DECIMAL(30,10), f FLOAT, db DOUBLE, flag BOOLEAN, bit1 BIT(1), bits BIT(10),
  vc VARCHAR(60), t TEXT, bl BLOB, vb VARBINARY(10), dt DATE, tm TIME(6), dtt DATETIME(6), ts TIMESTAMP(3) NULL, y YEAR,
  j JSON, arr JSON, tags TEXT, e ENUM('a','b c'), st SET('x','y','z')`

/** Read back as the server's own text, so nothing is left to the driver's conversions. */
const READ = `SELECT id, CAST(big AS CHAR) AS big, CAST(d AS CHAR) AS d, CAST(f AS CHAR) AS f, CAST(db AS CHAR) AS db, flag, bit1 + 0 AS bit1,
  HEX(bits) AS bits, vc, t, HEX(bl) AS bl, HEX(vb) AS vb, CAST(dt AS CHAR) AS dt, CAST(tm AS CHAR) AS tm, CAST(dtt AS CHAR) AS dtt,
  CAST(ts AS CHAR) AS ts, CAST(y AS CHAR) AS y, CAST(j AS CHAR) AS j, CAST(arr AS CHAR) AS arr, tags, e, st FROM shop.typed ORDER BY id`

beforeAll(async () => {
  server = await startMariaDbServer()
  await server.query(`CREATE DATABASE shop; CREATE TABLE shop.typed (${COLUMNS})`)
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

describe('mysql-sink values', () => {
  it('stores every type as the MySQL and Postgres sources emit it', async () => {
    const sink = mysqlSink.createTask(sinkContext(mysqlSink.config.parse({ url: `${server.url}/shop`, 'table.name.format': 'typed' })))
    await sink.start()
    // As mysql-cdc renders a row (connectors/mysql/README.md).
    const fromMysql = {
      id: 1,
      big: '18446744073709551615',
      d: '-12345678901234567890.1234567890',
      f: 0.1,
      db: 0.1,
      flag: true,
      bit1: true,
      bits: Buffer.from([0x02, 0xaa]).toString('base64'),
      vc: `héllo "q" \\ 'quote' \0 end`,
      t: 'line\nbreak\ttab',
      bl: Buffer.from([0, 1, 2]).toString('base64'),
      vb: Buffer.from([0xff]).toString('base64'),
      dt: '2024-02-29',
      tm: '-838:59:59.000001',
      dtt: '2024-02-29T10:11:12.123456',
      ts: '2024-02-29T10:11:12.123Z',
      y: 2024,
      j: { a: [1, 2], s: 'x', n: null },
      arr: [1, 'two'],
      tags: 'plain',
      e: 'b c',
      st: 'x,z',
    }
    // As postgres-cdc renders timestamptz with a historic offset, timetz, json scalars and arrays.
    const fromPostgres = {
      id: 2,
      big: 42,
      d: '0.5',
      f: -1.5,
      db: 1e300,
      flag: false,
      bit1: false,
      bits: null,
      vc: '',
      t: null,
      bl: '',
      vb: null,
      dt: '0001-01-01',
      tm: '12:00:00+02',
      dtt: '2024-02-29T23:30:00-01:00',
      ts: '2024-03-01T05:30:00.5+05:30',
      y: null,
      j: 'just a string',
      arr: [],
      tags: ['t1', 'with "quote"'],
      e: 'a',
      st: '',
    }
    const allNull = Object.fromEntries(Object.keys(fromMysql).map((column) => [column, column === 'id' ? 3 : null]))
    await sink.put(
      [fromMysql, fromPostgres, allNull].map((value, offset) => sinkRecord({ topic: 'typed', offset, key: { id: value.id }, value })),
    )
    await sink.flush()
    await sink.stop()
    expect(await queryText(server, READ)).toEqual([
      {
        id: 1,
        big: '18446744073709551615',
        d: '-12345678901234567890.1234567890',
        f: '0.1',
        db: '0.1',
        flag: 1,
        bit1: 1,
        bits: '2AA',
        vc: `héllo "q" \\ 'quote' \0 end`,
        t: 'line\nbreak\ttab',
        bl: '000102',
        vb: 'FF',
        dt: '2024-02-29',
        tm: '-838:59:59.000001',
        dtt: '2024-02-29 10:11:12.123456',
        ts: '2024-02-29 10:11:12.123',
        y: '2024',
        j: '{"a":[1,2],"s":"x","n":null}',
        arr: '[1,"two"]',
        tags: 'plain',
        e: 'b c',
        st: 'x,z',
      },
      {
        id: 2,
        big: '42',
        d: '0.5000000000',
        f: '-1.5',
        db: '1e300',
        flag: 0,
        bit1: 0,
        bits: null,
        vc: '',
        t: null,
        bl: '',
        vb: null,
        dt: '0001-01-01',
        tm: '10:00:00.000000',
        dtt: '2024-03-01 00:30:00.000000',
        ts: '2024-03-01 00:00:00.500',
        y: null,
        j: '"just a string"',
        arr: '[]',
        tags: '["t1","with \\"quote\\""]',
        e: 'a',
        st: '',
      },
      { ...allNull, big: null, flag: null, bit1: null },
    ])
  })
})
