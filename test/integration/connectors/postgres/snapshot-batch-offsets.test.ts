/**
 * A snapshot poll's last record carries the offset of that very row: the runtime stores a batch's
 * newest offset (with exactly-once sources, in the batch's own transaction), so a task started
 * again from it must read on from the next row. The snapshot holds each full chunk's last row back
 * (to mark a table's last row as Debezium does), so a poll ends one row short of its chunk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresSource } from '../../../../connectors/postgres/source/source.ts'
import type { SourceOffset, SourceRecord } from '../../../../core/runtime/plugin.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { partitionKey, sourceContext } from '../../../support/task-context.ts'

let server: PgServer

beforeAll(async () => {
  server = await startPgServer()
  await server.query('CREATE TABLE items (id int PRIMARY KEY, v text)')
  await server.query(`INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 25) g`)
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

const config = () =>
  postgresSource.config.parse({
    url: server.url,
    'topic.prefix': 'snap',
    tables: 'public.items',
    slot: 'snap_slot',
    'snapshot.chunk.rows': '10',
    'snapshot.thread': 'false',
    'poll.max.ms': '50',
  })
const ids = (records: readonly SourceRecord[]) => records.map((record) => (record.key as { id: number }).id)

describe('a postgres-cdc snapshot stopped after a poll', () => {
  it("resumes from that poll's last offset with the next row, none read twice", async () => {
    const offsets = new Map<string, SourceOffset>()
    const first = postgresSource.createTask(sourceContext(config(), { offsets }))
    await first.start()
    const batch = await first.poll(new AbortController().signal)
    await first.stop()
    // The chunk's tenth row is held back: the poll ends at the ninth, and its offset says so.
    expect(ids(batch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    const last = batch.at(-1)!
    expect(last.sourceOffset).toMatchObject({ snapshot: 'true', snapshot_table: 'public.items', snapshot_key: '["9"]' })
    offsets.set(partitionKey(last.sourcePartition), last.sourceOffset)

    const second = postgresSource.createTask(sourceContext(config(), { offsets }))
    await second.start()
    const rest: SourceRecord[] = []
    try {
      // The snapshot's end is an empty poll.
      for (
        let polled = await second.poll(new AbortController().signal);
        polled.length > 0;
        polled = await second.poll(new AbortController().signal)
      )
        rest.push(...polled)
    } finally {
      await second.stop()
    }
    expect(ids(rest)).toEqual(Array.from({ length: 16 }, (_, i) => 10 + i))
  })
})
