import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SourceRecord } from '../../../../core/runtime/plugin.ts'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'
import { mysqlTestConfig, startMysqlTask } from '../../../support/mysql-source-task.ts'
import { pollRecords } from '../../../support/task-context.ts'

let server: MariaDbServer

beforeAll(async () => {
  // MariaDB's default binlog_row_metadata (NO_LOG): the binlog does not name columns, the history must.
  server = await startMariaDbServer()
  await server.query('CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY, a VARCHAR(10), b INT)')
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

const after = (record: SourceRecord | undefined) => (record?.value as { after?: unknown } | undefined)?.after

describe('mysql-cdc schema history', () => {
  it('decodes binlog replayed after a restart with the columns it was written with, before and after an ALTER TABLE', async () => {
    const cfg = mysqlTestConfig(server, { tables: 'shop.items', 'tombstones.on.delete': 'false' })
    const stores = new Map<string, Map<string, unknown>>()
    const first = await startMysqlTask(cfg, undefined, stores)
    let streamed: SourceRecord[]
    try {
      expect(await first.poll(new AbortController().signal)).toEqual([]) // the empty table's snapshot
      await server.query(`INSERT INTO shop.items VALUES (1, 'x', 10), (2, 'y', 20);
        ALTER TABLE shop.items ADD COLUMN c VARCHAR(10), DROP COLUMN a;
        INSERT INTO shop.items VALUES (3, 30, 'z')`)
      streamed = await pollRecords(first, 3)
    } finally {
      await first.stop()
    }
    const expected = [
      { id: 1, a: 'x', b: 10 },
      { id: 2, a: 'y', b: 20 },
      { id: 3, b: 30, c: 'z' },
    ]
    expect(streamed.map(after)).toEqual(expected)
    const history = [...(stores.get('_tributary-schema-history.test-connector')?.keys() ?? [])]
    expect(history).toHaveLength(2)

    // Resume inside the first transaction: its second row and the ALTER are read again, against today's table.
    const second = await startMysqlTask(cfg, streamed[0]?.sourceOffset, stores)
    try {
      const replayed = await pollRecords(second, 2)
      expect(replayed.map(after)).toEqual(expected.slice(1))
      expect(await second.poll(new AbortController().signal)).toEqual([])
    } finally {
      await second.stop()
    }
    expect(stores.get('_tributary-schema-history.test-connector')?.size).toBe(2) // the replayed ALTER recorded nothing new
  })
})
