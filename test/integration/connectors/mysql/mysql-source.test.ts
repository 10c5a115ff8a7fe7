import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SourceRecord, SourceTask, SourceTaskContext } from '../../../../core/runtime/plugin.ts'
import type { MysqlSourceConfig } from '../../../../connectors/mysql/source/config.ts'
import { mysqlSource } from '../../../../connectors/mysql/source/source.ts'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'
import { mysqlTestConfig, startMysqlTask } from '../../../support/mysql-source-task.ts'
import { pollRecords, sourceContext } from '../../../support/task-context.ts'

let server: MariaDbServer

const COLUMNS = `id BIGINT UNSIGNED PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, mi MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED,
  b BIGINT, bu BIGINT UNSIGNED, small_big BIGINT, d DECIMAL(30,10), f FLOAT, db DOUBLE, c CHAR(5), vc VARCHAR(20) CHARACTER SET latin1, t TEXT,
  bl BLOB, bin BINARY(3), vb VARBINARY(10), dt DATE, tm TIME(6), dtt DATETIME(6), ts TIMESTAMP(3) NULL, y YEAR, j JSON, e ENUM('a','b c'),
  st SET('x','y','z'), flag BIT(1), bits BIT(10), nothing INT`
const VALUES = `18446744073709551615, -128, 255, -32768, 16777215, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615, 42,
  '-12345678901234567890.1234567890', 0.1, 0.1, 'ab', 'héllo', 'text', X'000102', X'0a0b', X'ff', '2024-02-29', '-838:59:59.000001',
  '2024-02-29 10:11:12.123456', '2024-02-29 10:11:12.123', 2024, '{"a":[1,2],"s":"x"}', 'b c', 'x,z', b'1', b'1010101010', NULL`
/** As Debezium gives them (a BIGINT UNSIGNED beyond 2^63 - 1 wraps in its default long mode; conformance is checked in debezium-conformance.test.ts). */
const EXPECTED = {
  ti: -128,
  tu: 255,
  si: -32768,
  mi: 16777215,
  i: -2147483648,
  iu: 4294967295,
  b: -9223372036854775808n,
  bu: -1,
  small_big: 42,
  d: '-12345678901234567890.1234567890',
  f: Math.fround(0.1),
  db: 0.1,
  c: 'ab',
  vc: 'héllo',
  t: 'text',
  bl: Buffer.from('000102', 'hex'),
  bin: Buffer.from('0a0b00', 'hex'),
  vb: Buffer.from('ff', 'hex'),
  dt: 19782,
  tm: -3020399000001,
  dtt: 1709201472123456,
  ts: '2024-02-29T10:11:12.123Z',
  y: 2024,
  j: '{"a":[1,2],"s":"x"}',
  e: 'b c',
  st: 'x,z',
  flag: true,
  bits: Buffer.from([0xaa, 0x02]),
  nothing: null,
}

beforeAll(async () => {
  server = await startMariaDbServer({ 'binlog-row-metadata': 'FULL' })
  await server.query(
    `CREATE DATABASE shop; CREATE TABLE shop.things (${COLUMNS}); INSERT INTO shop.things VALUES (${VALUES}); INSERT INTO shop.things (id) VALUES (2)`,
  )
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

type Row = Record<string, unknown>
const value = (record: SourceRecord | undefined) =>
  record?.value as { op: string; before: Row | null; after: Row | null; source: Row } | null

describe('mysql-cdc on MariaDB', () => {
  it('snapshots every type, then streams inserts, updates and deletes with the same values', async () => {
    const task = await startMysqlTask(mysqlTestConfig(server, { tables: 'shop.things' }))
    try {
      const snapshot = await pollRecords(task, 2)
      expect(snapshot.map((r) => r.topic)).toEqual(['db.shop.things', 'db.shop.things'])
      expect(snapshot[0]?.key).toEqual({ id: 2 })
      expect(snapshot[1]?.key).toEqual({ id: -1 })
      expect(value(snapshot[1])).toMatchObject({ op: 'r', before: null, after: { id: -1, ...EXPECTED } })
      expect(value(snapshot[0])?.after).toMatchObject({ id: 2, ti: null, j: null, ts: null, flag: null, bl: null })
      expect(value(snapshot[1])?.source).toMatchObject({
        connector: 'mariadb',
        name: 'db',
        db: 'shop',
        table: 'things',
        snapshot: 'last',
        server_id: 0,
        file: expect.stringMatching(/^binlog\.\d+$/),
      })
      expect(value(snapshot[0])?.source.snapshot).toBe('first')

      await server.query(`INSERT INTO shop.things VALUES (${VALUES.replace('18446744073709551615', '3')})`)
      await server.query(`UPDATE shop.things SET vc = 'changed', j = '[true]' WHERE id = 3`)
      await server.query(`DELETE FROM shop.things WHERE id = 2`)
      const streamed = await pollRecords(task, 4)
      expect(streamed.map((r) => value(r)?.op ?? 'tombstone')).toEqual(['c', 'u', 'd', 'tombstone'])
      expect(value(streamed[0])?.after).toEqual({ ...value(snapshot[1])?.after, id: 3 })
      expect(value(streamed[1])).toMatchObject({ before: { id: 3, vc: 'héllo' }, after: { id: 3, vc: 'changed', j: '[true]' } })
      expect(value(streamed[2])).toMatchObject({ before: { id: 2 }, after: null })
      expect(streamed[3]?.key).toEqual({ id: 2 })
      expect(value(streamed[0])?.source).toMatchObject({
        connector: 'mariadb',
        snapshot: 'false',
        server_id: 1,
        gtid: expect.stringMatching(/^0-1-\d+$/),
        pos: expect.any(Number),
        row: 0,
      })
      expect(streamed[0]?.sourceOffset).toMatchObject({ txn_end: true, event: 0 })
      const [executed] = await server.query<{ gtids: string }>('SELECT @@gtid_binlog_pos AS gtids')
      expect(streamed[3]?.sourceOffset).toMatchObject({ txn_end: true, gtids: executed?.gtids })
      expect(streamed[2]?.sourceOffset).toMatchObject({ event: 1, gtids: value(streamed[1])?.source.gtid })
    } finally {
      await task.stop()
    }
  })

  it('gives generated columns the same way in snapshot rows and streamed changes', async () => {
    await server.query(
      `CREATE TABLE shop.lines (id INT PRIMARY KEY, qty INT, price INT, total INT AS (qty * price) VIRTUAL, kept INT AS (qty + 1) STORED); INSERT INTO shop.lines (id, qty, price) VALUES (1, 2, 3)`,
    )
    const task = await startMysqlTask(mysqlTestConfig(server, { tables: 'shop.lines' }))
    try {
      const snapshot = await pollRecords(task, 1)
      await server.query('INSERT INTO shop.lines (id, qty, price) VALUES (2, 4, 5)')
      const streamed = await pollRecords(task, 1)
      const shape = (record: SourceRecord | undefined) => Object.keys(value(record)?.after ?? {}).sort()
      expect(shape(streamed[0])).toEqual(shape(snapshot[0]))
      expect(value(streamed[0])?.after).toMatchObject({ id: 2, qty: 4, price: 5 })
    } finally {
      await task.stop()
    }
  })

  /** The task's connections the server still has, once they had a moment to go. */
  async function taskConnections(): Promise<number> {
    const count = async () =>
      Number(
        (await server.query<{ n: number }>('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ?', [server.user]))[0]?.n,
      )
    for (let tries = 0; tries < 100 && (await count()) > 0; tries++) await new Promise((resolve) => setTimeout(resolve, 100))
    return count()
  }

  /** A context that stops the task at one moment of its start. */
  type StopAt = (context: SourceTaskContext<MysqlSourceConfig>, stop: () => void) => SourceTaskContext<MysqlSourceConfig>
  const moments: Array<[string, Record<string, string>, StopAt]> = [
    [
      'connecting',
      { tables: 'shop.things' },
      (context, stop) => ({
        ...context,
        storedOffset: async (partition) => {
          stop()
          return context.storedOffset(partition)
        },
      }),
    ],
    [
      'the snapshot is open',
      { tables: 'shop.things' },
      (context, stop) => ({
        ...context,
        openStore: async (topic) => {
          stop()
          return context.openStore(topic)
        },
      }),
    ],
    [
      'the binlog stream opens',
      { tables: 'shop.things', 'snapshot.mode': 'no_data' },
      (context, stop) => {
        let historyOpen = false
        return {
          ...context,
          openStore: async (topic) => {
            historyOpen = true
            return context.openStore(topic)
          },
          // Read next as the stream starts, for the replica's server id.
          get connector() {
            if (historyOpen) stop()
            return context.connector
          },
        }
      },
    ],
  ]
  it.each(moments)('closes what start() opens when stopped while %s', async (_moment, overrides, stopAt) => {
    const config = mysqlTestConfig(server, overrides)
    let stopped: Promise<void> | undefined
    const task: SourceTask = mysqlSource.createTask(
      stopAt(sourceContext(config), () => {
        stopped ??= task.stop()
      }),
    )
    await task.start().catch(() => undefined)
    expect(stopped).toBeDefined()
    await stopped
    expect(await taskConnections()).toBe(0)
  })
})
