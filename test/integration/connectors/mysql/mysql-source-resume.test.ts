import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TributaryError } from '../../../../core/errors.ts'
import type { SourceRecord } from '../../../../core/runtime/plugin.ts'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'
import { mysqlTestConfig, startMysqlTask } from '../../../support/mysql-source-task.ts'
import { pollRecords } from '../../../support/task-context.ts'

let server: MariaDbServer

beforeAll(async () => {
  server = await startMariaDbServer()
  await server.query(`CREATE DATABASE shop; CREATE TABLE shop.ledger (id INT PRIMARY KEY, v INT); CREATE TABLE shop.many (id INT PRIMARY KEY, v VARCHAR(10)); CREATE TABLE shop.other (id INT PRIMARY KEY); CREATE TABLE shop.moved (id INT PRIMARY KEY);
    INSERT INTO shop.many VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e')`)
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

/** What a consumer sees of a record: enough to spot a lost or doubled change. */
const summary = (record: SourceRecord) =>
  JSON.stringify([
    record.key,
    (record.value as { op?: string; after?: unknown } | null)?.op ?? 'tombstone',
    (record.value as { after?: unknown } | null)?.after ?? null,
  ])

describe('mysql-cdc resume', () => {
  it('resumes after a restart at any record without losing or doubling a change', async () => {
    const cfg = mysqlTestConfig(server, { tables: 'shop.ledger' })
    const first = await startMysqlTask(cfg)
    let reference: SourceRecord[]
    try {
      expect(await first.poll(new AbortController().signal)).toEqual([]) // the empty table's snapshot
      await server.query(`START TRANSACTION; INSERT INTO shop.ledger VALUES (1, 1), (2, 2); SAVEPOINT half; INSERT INTO shop.ledger VALUES (3, 3); COMMIT;
        START TRANSACTION; INSERT INTO shop.ledger VALUES (4, 4), (5, 5), (6, 6); COMMIT;
        START TRANSACTION; UPDATE shop.ledger SET v = 40 WHERE id = 4; DELETE FROM shop.ledger WHERE id = 5; COMMIT`)
      reference = await pollRecords(first, 9)
    } finally {
      await first.stop()
    }
    expect(reference.map(summary)).toHaveLength(9)
    expect(reference.filter((r) => r.sourceOffset.txn_end === true)).toHaveLength(3)
    for (let cut = 1; cut < reference.length; cut++) {
      const task = await startMysqlTask(cfg, reference[cut - 1]?.sourceOffset)
      try {
        const rest = await pollRecords(task, reference.length - cut)
        expect(await task.poll(new AbortController().signal)).toEqual([])
        expect(rest.map(summary), `restart after record ${cut}`).toEqual(reference.slice(cut).map(summary))
      } finally {
        await task.stop()
      }
    }
  })

  it('resumes an interrupted snapshot after its last stored row, then streams from the snapshot position', async () => {
    const cfg = mysqlTestConfig(server, { tables: 'shop.many', 'snapshot.chunk.rows': '2' })
    const first = await startMysqlTask(cfg)
    const firstChunk = await first.poll(new AbortController().signal)
    await first.stop()
    expect(firstChunk.map((r) => r.key)).toEqual([{ id: 1 }, { id: 2 }])
    await server.query(`UPDATE shop.many SET v = 'changed' WHERE id = 1`)
    const second = await startMysqlTask(cfg, firstChunk[1]?.sourceOffset)
    try {
      const rest = await pollRecords(second, 4)
      expect(rest.map(summary)).toEqual([
        JSON.stringify([{ id: 3 }, 'r', { id: 3, v: 'c' }]),
        JSON.stringify([{ id: 4 }, 'r', { id: 4, v: 'd' }]),
        JSON.stringify([{ id: 5 }, 'r', { id: 5, v: 'e' }]),
        JSON.stringify([{ id: 1 }, 'u', { id: 1, v: 'changed' }]),
      ])
    } finally {
      await second.stop()
    }
  })

  it("resumes by the offset's GTIDs in preference to its file and position, and by those without GTIDs", async () => {
    const cfg = mysqlTestConfig(server, { tables: 'shop.moved', 'snapshot.mode': 'no_data' })
    const stores = new Map<string, Map<string, unknown>>()
    const first = await startMysqlTask(cfg, undefined, stores)
    let reference: SourceRecord[]
    try {
      await server.query('INSERT INTO shop.moved VALUES (1); INSERT INTO shop.other VALUES (10); INSERT INTO shop.moved VALUES (2), (3)')
      reference = await pollRecords(first, 3)
    } finally {
      await first.stop()
    }
    const after = reference[0]?.sourceOffset
    expect(after).toMatchObject({ txn_end: true, gtids: expect.stringMatching(/^0-1-\d+$/) })
    // As stored by a connector reading another server of the topology: its file and position mean nothing here.
    const elsewhere = { ...after, file: 'primary-2-bin.000042', pos: 123_456 }
    const withoutGtids = { ...after, gtids: null }
    for (const offset of [elsewhere, withoutGtids]) {
      const task = await startMysqlTask(cfg, offset, stores)
      try {
        expect((await pollRecords(task, 2)).map(summary)).toEqual(reference.slice(1).map(summary))
        expect(await task.poll(new AbortController().signal)).toEqual([])
      } finally {
        await task.stop()
      }
    }
  })

  it('moves the stored position with heartbeats while only other tables change', async () => {
    const cfg = mysqlTestConfig(server, { tables: 'shop.ledger', 'snapshot.mode': 'no_data', 'heartbeat.interval.ms': '1' })
    const first = await startMysqlTask(cfg)
    let beat: SourceRecord | undefined
    try {
      await server.query('INSERT INTO shop.other VALUES (1), (2), (3)')
      const [end] = await server.query<{ File: string; Position: number }>('SHOW MASTER STATUS')
      const deadline = Date.now() + 10_000
      while (beat === undefined && Date.now() < deadline) {
        beat = (await first.poll(new AbortController().signal)).find((record) => record.sourceOffset.pos === end?.Position)
      }
      expect(beat).toMatchObject({
        topic: '__debezium-heartbeat.db',
        key: { serverName: 'db' },
        sourceOffset: { file: end?.File, event: 0, txn_end: true },
      })
    } finally {
      await first.stop()
    }
    await server.query('INSERT INTO shop.ledger VALUES (100, 100)')
    const second = await startMysqlTask(cfg, beat?.sourceOffset)
    try {
      const records = await pollRecords(second, 1)
      expect(records.map(summary)).toEqual([JSON.stringify([{ id: 100 }, 'c', { id: 100, v: 100 }])])
    } finally {
      await second.stop()
    }
  })

  it('refuses a server without the row binlog and names the setting to change', async () => {
    await server.query(`SET GLOBAL binlog_format = 'STATEMENT'`)
    try {
      const error = await startMysqlTask(mysqlTestConfig(server, { tables: 'shop.ledger' })).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(TributaryError)
      expect((error as TributaryError).code).toBe('TRB_SOURCE_SERVER_SETTING')
      expect((error as TributaryError).retriable).toBe(false)
      expect((error as TributaryError).message).toContain('binlog_format=ROW')
    } finally {
      await server.query(`SET GLOBAL binlog_format = 'ROW'`)
    }
  })
})
