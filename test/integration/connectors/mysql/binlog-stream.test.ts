import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AnyBinlogEvent } from '@vlasky/zongji'
import { BinlogStream } from '../../../../connectors/mysql/source/binlog-stream.ts'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'

let server: MariaDbServer

beforeAll(async () => {
  server = await startMariaDbServer()
  await server.query(
    'CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20)); CREATE TABLE shop.other (id INT PRIMARY KEY)',
  )
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

const ROWS = 30_000
const QUEUE_ROWS = 1_000
/** What a bound may be overshot by: the rest of the rows event that crossed it (8 KiB of rows at most). */
const ONE_EVENT_ROWS = 500

async function position(): Promise<{ file: string; pos: number }> {
  const [status] = await server.query<{ File: string; Position: number }>('SHOW MASTER STATUS')
  return { file: status?.File as string, pos: Number(status?.Position) }
}

function rowIds(events: readonly AnyBinlogEvent[]): number[] {
  return events.flatMap((event) => ((event as { rows?: Array<{ id: number }> }).rows ?? []).map((row) => row.id))
}

describe('BinlogStream', () => {
  it('holds at most about queueRows decoded rows while the reader is busy, loses or reorders nothing, and skips other tables', async () => {
    const from = await position()
    await server.query(`INSERT INTO shop.other VALUES (1)`)
    for (let start = 1; start <= ROWS; start += 1000) {
      await server.query(`INSERT INTO shop.items SELECT seq, CONCAT('item ', seq) FROM shop.seq_${start}_to_${start + 999}`)
    }
    const settings = { host: '127.0.0.1', port: server.port, user: server.user, password: server.password, connectTimeout: 10_000 }
    const stream = await BinlogStream.start({
      settings,
      serverId: 77,
      from,
      isCaptured: (database, table) => database === 'shop' && table === 'items',
      queueRows: QUEUE_ROWS,
    })
    const signal = new AbortController().signal
    try {
      const events = await stream.take(1, 5000, signal)
      while (stream.queuedRows < QUEUE_ROWS) events.push(...(await stream.take(1, 5000, signal)))
      // A busy reader: the whole backlog could arrive meanwhile, and without a bound it would queue.
      await server.query('SELECT SLEEP(0.3)')
      expect(stream.queuedRows).toBeLessThanOrEqual(QUEUE_ROWS + ONE_EVENT_ROWS)
      while (rowIds(events).length < ROWS) events.push(...(await stream.take(700, 5000, signal)))
      // shop.other's row (id 1, first in the binlog) is skipped unread: only shop.items' rows come.
      expect(rowIds(events)).toEqual(Array.from({ length: ROWS }, (_, index) => index + 1))
    } finally {
      stream.stop()
    }
  })
})
