import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TributaryError } from '../../../../core/errors.ts'
import { mysqlSource } from '../../../../connectors/mysql/source/source.ts'
import type { SourceTask } from '../../../../core/runtime/plugin.ts'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'
import { mysqlTestConfig } from '../../../support/mysql-source-task.ts'
import { pollRecords, sourceContext } from '../../../support/task-context.ts'

let server: MariaDbServer

beforeAll(async () => {
  server = await startMariaDbServer()
  await server.query('CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY)')
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

async function startTask(connector: string, overrides: Record<string, string> = {}): Promise<SourceTask> {
  const task = mysqlSource.createTask(
    sourceContext(mysqlTestConfig(server, { tables: 'shop.orders', 'snapshot.mode': 'no_data', ...overrides }), { connector }),
  )
  await task.start()
  return task
}

const ids = (records: ReadonlyArray<{ key: unknown }>) => records.map((record) => (record.key as { id: number }).id)

describe('mysql-cdc replica server ids', () => {
  it('gives connectors without server.id their own, so both keep streaming from one server', async () => {
    const first = await startTask('orders-a')
    const second = await startTask('orders-b')
    try {
      await server.query('INSERT INTO shop.orders VALUES (1)')
      expect(ids(await pollRecords(first, 1))).toEqual([1])
      expect(ids(await pollRecords(second, 1))).toEqual([1])
      // Both binlog connections are open now; one id for both would have dropped the first.
      await server.query('INSERT INTO shop.orders VALUES (2)')
      expect(ids(await pollRecords(first, 1))).toEqual([2])
      expect(ids(await pollRecords(second, 1))).toEqual([2])
    } finally {
      await first.stop()
      await second.stop()
    }
  })

  it('names server.id when another replica with the same id takes over the binlog connection', async () => {
    const first = await startTask('same-a', { 'server.id': '4242' })
    const second = await startTask('same-b', { 'server.id': '4242' })
    try {
      await server.query('INSERT INTO shop.orders VALUES (3)')
      expect(ids(await pollRecords(second, 1))).toEqual([3])
      const failure = await pollRecords(first, 2).then(
        () => undefined,
        (error: unknown) => error,
      )
      expect(failure).toBeInstanceOf(TributaryError)
      expect(failure).toMatchObject({ code: 'TRB_SOURCE_READ', retriable: true, details: { serverId: 4242 } })
      expect((failure as Error).message).toMatch(/server\.id/)
    } finally {
      await first.stop()
      await second.stop()
    }
  })
})
