import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseLsn } from '../../../../connectors/postgres/source/lsn.ts'
import type { PgOutputMessage, TupleValue } from '../../../../connectors/postgres/source/pgoutput.ts'
import { ReplicationStream, type ReplicationEvent } from '../../../../connectors/postgres/source/replication-stream.ts'
import { createReplicationSlot, ensurePublication, slotState } from '../../../../connectors/postgres/source/slot.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'

let server: PgServer

beforeAll(async () => {
  // A small decoding budget makes the server stream large transactions while they are in progress.
  server = await startPgServer({ logical_decoding_work_mem: '64kB' })
  await server.query('CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(10,2))')
  await server.query('CREATE TABLE wide (id int PRIMARY KEY, body text)')
  await server.query('ALTER TABLE wide REPLICA IDENTITY FULL')
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

async function collect(stream: ReplicationStream, until: (events: ReplicationEvent[]) => boolean): Promise<ReplicationEvent[]> {
  const events: ReplicationEvent[] = []
  const deadline = Date.now() + 15_000
  while (!until(events)) {
    if (Date.now() > deadline) throw new Error(`timed out; got ${events.map((e) => e.message.tag).join(',')}`)
    events.push(...(await stream.take(10_000, 200, new AbortController().signal)))
  }
  return events
}

const tags = (events: ReplicationEvent[]) => events.map((e) => e.message.tag)
const text = (value: TupleValue | undefined) => (typeof value === 'string' ? value : String(value))

describe('logical replication with pgoutput', () => {
  it('decodes inserts, updates, deletes, truncates and messages inside transactions, and confirms what it is told', async () => {
    const admin = new pg.Client({ connectionString: server.url })
    await admin.connect()
    await ensurePublication(admin, 'pub_all', [])
    const slot = await createReplicationSlot(server.url, 'slot_a', false)
    await slot.release()
    const stream = await ReplicationStream.start({
      connectionString: server.url,
      slot: 'slot_a',
      publication: 'pub_all',
      startLsn: slot.consistentPoint,
      statusIntervalMs: 100,
    })
    try {
      await admin.query("INSERT INTO items VALUES (1, 'apple', 1.50), (2, 'pear', NULL)")
      await admin.query("UPDATE items SET name = 'green apple' WHERE id = 1")
      await admin.query('DELETE FROM items WHERE id = 2')
      await admin.query("SELECT pg_logical_emit_message(false, 'audit', 'hello')")
      await admin.query('TRUNCATE items')
      const events = await collect(
        stream,
        (list) => list.some((e) => e.message.tag === 'truncate') && list.filter((e) => e.message.tag === 'commit').length >= 4,
      )
      const messages = events.map((e) => e.message)
      const relation = messages.find((m): m is Extract<PgOutputMessage, { tag: 'relation' }> => m.tag === 'relation')
      expect(relation).toMatchObject({ schema: 'public', table: 'items', replicaIdentity: 'default' })
      expect(relation?.columns.map((c) => [c.name, c.typeOid, c.isKey])).toEqual([
        ['id', 23, true],
        ['name', 25, false],
        ['price', 1700, false],
      ])
      const inserts = messages.filter((m): m is Extract<PgOutputMessage, { tag: 'insert' }> => m.tag === 'insert')
      expect(inserts.map((m) => m.newTuple.map(text))).toEqual([
        ['1', 'apple', '1.50'],
        ['2', 'pear', 'null'],
      ])
      const update = messages.find((m): m is Extract<PgOutputMessage, { tag: 'update' }> => m.tag === 'update')
      expect(update?.newTuple.map(text)).toEqual(['1', 'green apple', '1.50'])
      const deleted = messages.find((m): m is Extract<PgOutputMessage, { tag: 'delete' }> => m.tag === 'delete')
      expect(deleted?.keyTuple?.map(text)).toEqual(['2', 'null', 'null'])
      expect(messages.find((m) => m.tag === 'message')).toMatchObject({
        prefix: 'audit',
        transactional: false,
        content: Buffer.from('hello'),
      })
      expect(
        tags(events)
          .filter((t) => t === 'begin' || t === 'commit')
          .slice(0, 2),
      ).toEqual(['begin', 'commit'])
      const lastCommit = messages.filter((m): m is Extract<PgOutputMessage, { tag: 'commit' }> => m.tag === 'commit').at(-1)
      stream.confirm(lastCommit?.endLsn ?? 0n)
      const deadline = Date.now() + 5000
      let state = await slotState(admin, 'slot_a')
      while ((state.confirmedFlushLsn ?? 0n) < (lastCommit?.endLsn ?? 0n) && Date.now() < deadline) state = await slotState(admin, 'slot_a')
      expect(state.confirmedFlushLsn).toBe(lastCommit?.endLsn)
      expect(state.active).toBe(true)
    } finally {
      await stream.close()
      await admin.end()
    }
  })

  it('streams a large transaction in progress (protocol 2) with its commit, and old rows under REPLICA IDENTITY FULL', async () => {
    const admin = new pg.Client({ connectionString: server.url })
    await admin.connect()
    await admin.query('CREATE PUBLICATION pub_wide FOR TABLE wide')
    const slot = await createReplicationSlot(server.url, 'slot_b', false)
    await slot.release()
    const stream = await ReplicationStream.start({
      connectionString: server.url,
      slot: 'slot_b',
      publication: 'pub_wide',
      startLsn: slot.consistentPoint,
    })
    try {
      await admin.query("INSERT INTO wide SELECT g, repeat('x', 200) FROM generate_series(1, 2000) g")
      await admin.query("UPDATE wide SET body = 'short' WHERE id = 7")
      const events = await collect(stream, (list) => list.some((e) => e.message.tag === 'update'))
      const messages = events.map((e) => e.message)
      expect(messages.some((m) => m.tag === 'streamStart')).toBe(true)
      const streamed = messages.filter((m) => m.tag === 'insert' && m.xid !== undefined)
      const plain = messages.filter((m) => m.tag === 'insert' && m.xid === undefined)
      expect(streamed.length + plain.length).toBe(2000)
      // Every tuple still holds its own bytes after later data arrived (no views into reused buffers).
      const inserted = [...streamed, ...plain] as Array<Extract<PgOutputMessage, { tag: 'insert' }>>
      expect(inserted.map((m) => Number(text(m.newTuple[0]))).sort((a, b) => a - b)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1))
      expect(inserted.every((m) => text(m.newTuple[1]) === 'x'.repeat(200))).toBe(true)
      expect(streamed.length).toBeGreaterThan(0)
      expect(messages.some((m) => m.tag === 'streamCommit')).toBe(true)
      const update = messages.find((m): m is Extract<PgOutputMessage, { tag: 'update' }> => m.tag === 'update')
      expect(update?.oldTuple?.map(text)).toEqual(['7', 'x'.repeat(200)])
      expect(parseLsn('0/0')).toBe(0n)
    } finally {
      await stream.close()
      await admin.end()
    }
  })

  it('reports a slot that another stream holds as a failure, not a hang', async () => {
    const slot = await createReplicationSlot(server.url, 'slot_c', false)
    await slot.release()
    await server.query('CREATE PUBLICATION pub_c FOR TABLE items')
    const first = await ReplicationStream.start({
      connectionString: server.url,
      slot: 'slot_c',
      publication: 'pub_c',
      startLsn: slot.consistentPoint,
    })
    try {
      // The first stream holds the slot before the second asks for it (start() does not wait for the server).
      const deadline = Date.now() + 10_000
      while (!(await server.query<{ active: boolean }>("SELECT active FROM pg_replication_slots WHERE slot_name = 'slot_c'"))[0]?.active) {
        if (Date.now() > deadline) throw new Error('the first stream never took the slot')
      }
      const second = await ReplicationStream.start({
        connectionString: server.url,
        slot: 'slot_c',
        publication: 'pub_c',
        startLsn: slot.consistentPoint,
      })
      await expect(second.take(10, 5000, new AbortController().signal)).rejects.toThrow(/is active for PID/)
      await second.close()
    } finally {
      await first.close()
    }
  })
})
