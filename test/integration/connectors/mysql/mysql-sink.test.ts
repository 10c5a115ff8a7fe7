import mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mysqlSink } from '../../../../connectors/mysql/sink/sink.ts'
import { isTributaryError } from '../../../../core/errors.ts'
import type { SinkRecord } from '../../../../core/runtime/plugin.ts'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'
import { queryText } from '../../../support/mariadb-text.ts'
import { runSqlSinkSuite, type SqlSinkTarget } from '../../../support/sql-sink-suite.ts'
import { sinkContext, sinkRecord } from '../../../support/task-context.ts'

let server: MariaDbServer

beforeAll(async () => {
  server = await startMariaDbServer()
  await server.query('CREATE DATABASE shop')
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => queryText<T>(server, sql, params, 'shop')

function task(config: Record<string, string>, badRecords?: Array<{ record: SinkRecord; error: Error }>) {
  return mysqlSink.createTask(
    sinkContext(mysqlSink.config.parse({ url: `${server.url}/shop`, ...config }), {
      connector: 'sink-test',
      ...(badRecords && { badRecords }),
    }),
  )
}

const target = (): SqlSinkTarget => ({
  task,
  exec: async (sql) => {
    await rows(sql)
  },
  rows: (sql) => rows(sql),
  endOtherConnections: async () => {
    const others = await server.query<{ id: number }>(
      `SELECT id FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND command <> 'Daemon' AND command <> 'Binlog Dump'`,
    )
    for (const { id } of others) await server.query(`KILL CONNECTION ${Number(id)}`).catch(() => undefined)
  },
  source: { db: 'shop' },
  namespace: 'shop',
  messages: {
    duplicateKey: /Duplicate entry '1' for key 'PRIMARY' \(errno 1062, SQLSTATE 23000\)/,
    checkFailed: /CONSTRAINT `(strict_)?items.qty` failed for `shop`.`(strict_)?items` \(errno 4025, SQLSTATE 23000\)/,
  },
})

describe('mysql-sink', () => {
  runSqlSinkSuite(target)

  it('creates key columns a primary key can hold, and names tables from Postgres events by schema and MySQL events by database', async () => {
    await server.query('CREATE DATABASE sales; CREATE DATABASE crm')
    const sink = task({ 'table.name.format': '${source.schema}.${source.table}', 'auto.create': 'true' })
    await sink.start()
    await sink.put([
      sinkRecord({
        topic: 'pg',
        offset: 0,
        key: { code: 'a' },
        value: {
          op: 'c',
          before: null,
          after: { code: 'a', who: 'pg', n: 1.5 },
          source: { db: 'postgres', schema: 'sales', table: 'leads' },
        },
      }),
      sinkRecord({
        topic: 'my',
        offset: 0,
        key: { code: 'a' },
        value: { op: 'c', before: null, after: { code: 'a', who: 'my', n: 2 }, source: { db: 'crm', table: 'leads' } },
      }),
    ])
    await sink.flush()
    await sink.stop()
    expect(await rows('SELECT who FROM sales.leads UNION ALL SELECT who FROM crm.leads')).toEqual([{ who: 'pg' }, { who: 'my' }])
    expect(
      await rows(`SELECT TABLE_SCHEMA AS db, COLUMN_NAME AS name, COLUMN_TYPE AS type, COLUMN_KEY AS k FROM information_schema.COLUMNS
      WHERE TABLE_NAME = 'leads' ORDER BY TABLE_SCHEMA, ORDINAL_POSITION`),
    ).toEqual([
      { db: 'crm', name: 'code', type: 'varchar(255)', k: 'PRI' },
      { db: 'crm', name: 'who', type: 'longtext', k: '' },
      { db: 'crm', name: 'n', type: 'bigint(20)', k: '' },
      { db: 'sales', name: 'code', type: 'varchar(255)', k: 'PRI' },
      { db: 'sales', name: 'who', type: 'longtext', k: '' },
      { db: 'sales', name: 'n', type: 'double', k: '' },
    ])
    expect(() => mysqlSink.config.parse({ url: server.url, 'offsets.table': 'shop.offsets' })).toThrow(
      /table.name.format names no database/,
    )
    expect(
      mysqlSink.config.parse({ url: server.url, 'offsets.table': 'shop.offsets', 'table.name.format': '${source.db}.${source.table}' }),
    ).toBeTruthy()
  })

  it('reports a value of the wrong type with the errno and SQLSTATE, never storing a cut or zeroed value', async () => {
    await server.query('CREATE TABLE shop.counts (id INT PRIMARY KEY, n INT, at DATETIME)')
    const bad: Array<{ record: SinkRecord; error: Error }> = []
    const sink = task({ 'table.name.format': 'counts', 'offsets.table': 'counts_offsets' }, bad)
    await sink.start()
    await sink.put([
      sinkRecord({ topic: 'counts', offset: 0, key: { id: 1 }, value: { id: 1, n: 'many', at: null } }),
      sinkRecord({ topic: 'counts', offset: 1, key: { id: 2 }, value: { id: 2, n: 2, at: 'infinity' } }),
      sinkRecord({ topic: 'counts', offset: 2, key: { id: 3 }, value: { id: 3, n: 3, at: '2024-01-01T00:00:00Z' } }),
    ])
    await sink.flush()
    await sink.stop()
    expect(await rows('SELECT id, n, at FROM counts')).toEqual([{ id: 3, n: 3, at: '2024-01-01 00:00:00' }])
    const [many, infinity] = bad.map((b) => b.error)
    expect(many?.message).toMatch(/Incorrect integer value: 'many' for column .*`n` at row 1 \(errno 1366, SQLSTATE 22007\)/)
    expect(isTributaryError(many) && [many.retriable, many.details]).toEqual([
      false,
      { errno: 1366, sqlState: '22007', code: 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD' },
    ])
    expect(infinity?.message).toMatch(/Incorrect datetime value: 'infinity'/)
  })

  it('gives up a batch that waited too long for a lock as retriable, and writes it when asked again', async () => {
    await server.query(
      `CREATE TABLE shop.locked (id INT PRIMARY KEY, v INT); INSERT INTO shop.locked VALUES (1, 0); SET GLOBAL innodb_lock_wait_timeout = 1`,
    )
    const holder = await mysql.createConnection(`${server.url}/shop`)
    const bad: Array<{ record: SinkRecord; error: Error }> = []
    const sink = task({ 'table.name.format': 'locked', 'offsets.table': 'locked_offsets' }, bad)
    try {
      await sink.start()
      await holder.query('START TRANSACTION')
      await holder.query('SELECT * FROM locked WHERE id = 1 FOR UPDATE')
      await sink.put([sinkRecord({ topic: 'locked', offset: 0, key: { id: 1 }, value: { id: 1, v: 1 } })])
      const failure = await sink.flush().then(
        () => undefined,
        (error: unknown) => error,
      )
      expect(isTributaryError(failure, 'TRB_SINK_WRITE') && failure.retriable).toBe(true)
      expect((failure as Error).message).toContain('errno 1205')
      expect(bad).toEqual([])
      await holder.query('ROLLBACK')
      await sink.flush()
      expect(await rows('SELECT v FROM locked')).toEqual([{ v: 1 }])
    } finally {
      await holder.end()
      await sink.stop()
      await server.query('SET GLOBAL innodb_lock_wait_timeout = 50')
    }
  })
})
