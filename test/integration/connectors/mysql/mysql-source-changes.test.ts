import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TributaryError } from '../../../../core/errors.ts'
import type { SourceOffset, SourceRecord, SourceTask } from '../../../../core/runtime/plugin.ts'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'
import { mysqlTestConfig, startMysqlTask } from '../../../support/mysql-source-task.ts'
import { pollRecords } from '../../../support/task-context.ts'
import { eventually } from '../../../support/worker-harness.ts'

let server: MariaDbServer

beforeAll(async () => {
  server = await startMariaDbServer({ 'binlog-row-metadata': 'FULL' })
  await server.query(`CREATE DATABASE shop; CREATE TABLE shop.busy (id INT PRIMARY KEY, v INT); CREATE TABLE shop.evolving (id INT PRIMARY KEY, a INT); CREATE TABLE shop.bulk (id INT PRIMARY KEY, v VARCHAR(20));
    CREATE TABLE shop.kept (id INT PRIMARY KEY); INSERT INTO shop.kept VALUES (1), (2);
    SET SESSION max_recursive_iterations = 100000; INSERT INTO shop.busy WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) SELECT i, i FROM n`)
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

const afterImage = (record: SourceRecord) => (record.value as { after: Record<string, unknown> | null } | null)?.after

/** Polls until a record matching `last` arrives. */
async function pollUntil(task: SourceTask, last: (record: SourceRecord) => boolean): Promise<SourceRecord[]> {
  const records: SourceRecord[] = []
  const deadline = Date.now() + 20_000
  while (!records.some(last) && Date.now() < deadline) records.push(...(await task.poll(new AbortController().signal)))
  return records
}

describe('mysql-cdc changes', () => {
  it('keeps the snapshot and the stream consistent while the table is written during the snapshot', async () => {
    const task = await startMysqlTask(mysqlTestConfig(server, { tables: 'shop.busy', 'snapshot.chunk.rows': '250' }))
    try {
      const records = await task.poll(new AbortController().signal)
      await server.query(`UPDATE shop.busy SET v = -v WHERE id % 7 = 0; DELETE FROM shop.busy WHERE id % 11 = 0;
        INSERT INTO shop.busy WITH RECURSIVE n(i) AS (SELECT 3001 UNION ALL SELECT i + 1 FROM n WHERE i < 3100) SELECT i, i FROM n;
        UPDATE shop.busy SET v = v + 1000000 WHERE id BETWEEN 2990 AND 3010; INSERT INTO shop.busy VALUES (999999, 0)`)
      records.push(...(await pollUntil(task, (record) => afterImage(record)?.id === 999999)))
      const state = new Map<unknown, unknown>()
      for (const record of records) {
        const key = JSON.stringify(record.key)
        if (record.value === null || afterImage(record) === null) state.delete(key)
        else state.set(key, afterImage(record))
      }
      const rows = await server.query<{ id: number; v: number }>('SELECT id, v FROM shop.busy ORDER BY id')
      expect(state.size).toBe(rows.length)
      for (const row of rows) expect(state.get(JSON.stringify({ id: row.id }))).toEqual(row)
      const snapshotRows = records.filter((record) => (record.value as { op?: string } | null)?.op === 'r')
      expect(snapshotRows).toHaveLength(3000)
      expect(
        records.filter((record) => (record.value as { op?: string } | null)?.op === 'c' && Number(afterImage(record)?.id) <= 3000),
      ).toEqual([])
    } finally {
      await task.stop()
    }
  })

  it('carries a transaction of 100,000 rows whole, in bounded polls', async () => {
    const task = await startMysqlTask(mysqlTestConfig(server, { tables: 'shop.bulk', 'snapshot.mode': 'no_data', 'batch.size': '10000' }))
    try {
      await server.query(`SET SESSION max_recursive_iterations = 200000;
        INSERT INTO shop.bulk WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) SELECT i, CONCAT('row ', i) FROM n`)
      const records: SourceRecord[] = []
      let largestPoll = 0
      while (records.length < 100_000) {
        const batch = await task.poll(new AbortController().signal)
        largestPoll = Math.max(largestPoll, batch.length)
        records.push(...batch)
      }
      expect(largestPoll).toBeLessThan(11_000)
      expect(records.map((record) => afterImage(record)?.id)).toEqual(Array.from({ length: 100_000 }, (_, i) => i + 1))
      expect(new Set(records.map((record) => (record.value as { source: { gtid: string } }).source.gtid)).size).toBe(1)
      expect(records.filter((record) => record.sourceOffset.txn_end === true)).toEqual([records[99_999]])
      expect(records[99_998]?.sourceOffset.event).toBe(99_999)
    } finally {
      await task.stop()
    }
  })

  it('decodes rows with the new columns after ALTER TABLE', async () => {
    const task = await startMysqlTask(mysqlTestConfig(server, { tables: 'shop.evolving', 'snapshot.mode': 'no_data' }))
    try {
      await server.query(`INSERT INTO shop.evolving VALUES (1, 1); ALTER TABLE shop.evolving ADD COLUMN b VARCHAR(5) DEFAULT 'x';
        INSERT INTO shop.evolving VALUES (2, 2, 'y'); ALTER TABLE shop.evolving DROP COLUMN a; INSERT INTO shop.evolving VALUES (3, 'z')`)
      const records = await pollRecords(task, 3)
      expect(records.map(afterImage)).toEqual([
        { id: 1, a: 1 },
        { id: 2, a: 2, b: 'y' },
        { id: 3, b: 'z' },
      ])
    } finally {
      await task.stop()
    }
  })

  it('fails naming the purged binlog file, or snapshots again with snapshot.mode when_needed', async () => {
    const first = await startMysqlTask(mysqlTestConfig(server, { tables: 'shop.kept' }))
    const snapshot = await pollRecords(first, 2)
    await first.stop()
    const stored = snapshot[1]?.sourceOffset as SourceOffset
    // A change after the stored position, in the file then purged: gone by file and by GTID alike.
    await server.query(`INSERT INTO shop.kept VALUES (3); FLUSH BINARY LOGS`)
    const [current] = await server.query<{ File: string }>('SHOW MASTER STATUS')
    // MariaDB keeps a file until InnoDB has made its commits durable (the binlog checkpoint): purge again until it goes.
    await eventually(
      async () => {
        await server.query(`PURGE BINARY LOGS TO '${current?.File}'`)
        return server.query<{ Log_name: string }>('SHOW BINARY LOGS')
      },
      (logs) => !logs.some((log) => log.Log_name === stored.file),
      20_000,
    )

    const error = await startMysqlTask(mysqlTestConfig(server, { tables: 'shop.kept' }), stored).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(TributaryError)
    expect((error as TributaryError).retriable).toBe(false)
    expect((error as TributaryError).code).toBe('TRB_SOURCE_POSITION_LOST')
    expect((error as TributaryError).message).toContain(`binlog file ${String(stored.file)}`)

    const again = await startMysqlTask(mysqlTestConfig(server, { tables: 'shop.kept', 'snapshot.mode': 'when_needed' }), stored)
    try {
      const records = await pollRecords(again, 3)
      expect(records.map((record) => [(record.value as { op: string }).op, afterImage(record)?.id])).toEqual([
        ['r', 1],
        ['r', 2],
        ['r', 3],
      ])
    } finally {
      await again.stop()
    }
  })
})
