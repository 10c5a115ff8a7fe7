import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresSink } from '../../../../connectors/postgres/sink.ts'
import type { SinkRecord } from '../../../../core/runtime/plugin.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { sinkContext, sinkRecord } from '../../../support/task-context.ts'

let server: PgServer

beforeAll(async () => {
  server = await startPgServer()
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

function task(config: Record<string, string>, badRecords?: Array<{ record: SinkRecord; error: Error }>) {
  return postgresSink.createTask(sinkContext(postgresSink.config.parse({ url: server.url, ...config }), { connector: 'sink-test', ...(badRecords && { badRecords }) }))
}

const envelope = (op: string, table: string, before: unknown, after: unknown) => ({ op, before, after, source: { schema: 'public', table }, ts_ms: 0 })

describe('postgres-sink', () => {
  it('creates and evolves tables, upserts, deletes, and skips what its offsets table says is applied', async () => {
    const sink = task({ 'auto.create': 'true', 'auto.evolve': 'true' })
    await sink.start()
    await sink.put([
      sinkRecord({ topic: 'shop.people', offset: 0, key: { id: 1 }, value: envelope('c', 'people', null, { id: 1, name: 'Ann', age: 31, meta: { vip: true } }) }),
      sinkRecord({ topic: 'shop.people', offset: 1, key: { id: 2 }, value: envelope('r', 'people', null, { id: 2, name: 'Bob', age: 40, meta: null }) }),
      sinkRecord({ topic: 'shop.people', offset: 2, key: { id: 1 }, value: envelope('u', 'people', null, { id: 1, name: 'Ann B', age: 32, meta: { vip: false } }) }),
    ])
    await sink.flush()
    expect(await server.query('SELECT id, name, age, meta FROM people ORDER BY id')).toEqual([
      { id: '1', name: 'Ann B', age: '32', meta: { vip: false } }, { id: '2', name: 'Bob', age: '40', meta: null },
    ])
    await sink.put([
      sinkRecord({ topic: 'shop.people', offset: 3, key: { id: 2 }, value: envelope('d', 'people', { id: 2 }, null) }),
      sinkRecord({ topic: 'shop.people', offset: 4, key: { id: 3 }, value: envelope('c', 'people', null, { id: 3, name: 'Cy', age: 5, meta: null, city: 'Oslo' }) }),
    ])
    await sink.flush()
    expect(await server.query('SELECT id, name, city FROM people ORDER BY id')).toEqual([{ id: '1', name: 'Ann B', city: null }, { id: '3', name: 'Cy', city: 'Oslo' }])
    await sink.stop()

    // A new task (after a crash) is handed records it already applied: they change nothing.
    const again = task({ 'auto.create': 'true', 'auto.evolve': 'true' })
    await again.start()
    await again.put([sinkRecord({ topic: 'shop.people', offset: 2, key: { id: 1 }, value: envelope('u', 'people', null, { id: 1, name: 'stale', age: 0, meta: null }) })])
    await again.flush()
    expect(await server.query('SELECT name FROM people WHERE id = 1')).toEqual([{ name: 'Ann B' }])
    expect(await server.query(`SELECT kafka_offset FROM tributary_sink_offsets WHERE connector = 'sink-test'`)).toEqual([{ kafka_offset: '4' }])
    await again.stop()
  })

  it('never overwrites a stored value with the unchanged-TOAST placeholder', async () => {
    await server.query('CREATE TABLE docs (id int PRIMARY KEY, title text, body text)')
    await server.query(`INSERT INTO docs VALUES (1, 'old', 'a very long body')`)
    const sink = task({ 'offsets.table': 'docs_offsets' })
    await sink.start()
    await sink.put([sinkRecord({ key: { id: 1 }, value: envelope('u', 'docs', null, { id: 1, title: 'new', body: '__debezium_unavailable_value' }) })])
    await sink.flush()
    expect(await server.query('SELECT title, body FROM docs')).toEqual([{ title: 'new', body: 'a very long body' }])
    await sink.stop()
  })

  it('applies a batch with several operations on one key as they would apply one by one', async () => {
    await server.query('CREATE TABLE notes (id int PRIMARY KEY, title text, body text)')
    await server.query(`INSERT INTO notes VALUES (2, 'two', 'kept body'), (3, 'three', 'gone')`)
    const placeholder = '__debezium_unavailable_value'
    const sink = task({ 'offsets.table': 'notes_offsets' })
    await sink.start()
    const change = (offset: number, op: string, id: number, after: Record<string, unknown> | null) =>
      sinkRecord({ topic: 'notes', offset, key: { id }, value: envelope(op, 'notes', { id }, after) })
    await sink.put([
      // 1: inserted, then updated with its body unchanged (TOAST): the body of the insert stays.
      change(0, 'c', 1, { id: 1, title: 'one', body: 'long body' }),
      change(1, 'u', 1, { id: 1, title: 'one b', body: placeholder }),
      // 2: updated twice with the body unchanged: the stored body stays.
      change(2, 'u', 2, { id: 2, title: 'two b', body: placeholder }),
      change(3, 'u', 2, { id: 2, title: 'two c', body: placeholder }),
      // 3: updated, deleted, inserted again with an unchanged body: nothing from before the delete.
      change(4, 'u', 3, { id: 3, title: 'three b', body: 'new' }),
      change(5, 'd', 3, null),
      change(6, 'c', 3, { id: 3, title: 'three c', body: placeholder }),
      // 4: inserted then deleted: absent.
      change(7, 'c', 4, { id: 4, title: 'four', body: 'x' }),
      change(8, 'd', 4, null),
    ])
    await sink.flush()
    expect(await server.query('SELECT id, title, body FROM notes ORDER BY id')).toEqual([
      { id: 1, title: 'one b', body: 'long body' },
      { id: 2, title: 'two c', body: 'kept body' },
      { id: 3, title: 'three c', body: null },
    ])
    await sink.stop()
  })

  it('writes awkward text, bytes, JSON and numbers exactly', async () => {
    await server.query('CREATE TABLE odd (id int PRIMARY KEY, t text, b bytea, j jsonb, n numeric, f boolean)')
    const sink = task({ 'table.name.format': 'odd', 'offsets.table': 'odd_offsets' })
    await sink.start()
    const awkward = ['a "quoted" \\ back\\slash, {braces}', 'NULL', '', 'ünï\ttab\nline']
    await sink.put(awkward.map((t, id) => sinkRecord({ topic: "o'dd\\topic", offset: id, key: { id }, value: { id, t, b: Buffer.from(t).toString('base64'), j: { t }, n: '12345678901234567890.5', f: id % 2 === 0 } })))
    await sink.flush()
    const stored = await server.query<{ t: string; b: Buffer; j: { t: string }; n: string; f: boolean }>('SELECT t, b, j, n::text AS n, f FROM odd ORDER BY id')
    expect(stored.map((row) => row.t)).toEqual(awkward)
    expect(stored.map((row) => row.b.toString())).toEqual(awkward)
    expect(stored.map((row) => row.j.t)).toEqual(awkward)
    expect(stored.map((row) => [row.n, row.f])).toEqual(awkward.map((_, id) => ['12345678901234567890.5', id % 2 === 0]))
    expect(await server.query('SELECT topic, kafka_offset FROM odd_offsets')).toEqual([{ topic: "o'dd\\topic", kafka_offset: '3' }])
    await sink.stop()
  })

  it('hands a record the database refuses to the error policy with its message, and writes the rest', async () => {
    await server.query('CREATE TABLE items (id int PRIMARY KEY, qty int NOT NULL CHECK (qty >= 0))')
    const bad: Array<{ record: SinkRecord; error: Error }> = []
    const sink = task({ 'table.name.format': 'items', 'offsets.table': 'items_offsets' }, bad)
    await sink.start()
    await sink.put([
      sinkRecord({ topic: 'items', offset: 0, key: { id: 1 }, value: { id: 1, qty: 5 } }),
      sinkRecord({ topic: 'items', offset: 1, key: { id: 2 }, value: { id: 2, qty: -1 } }),
      sinkRecord({ topic: 'items', offset: 2, key: { id: 3 }, value: { id: 3, qty: 7 } }),
      sinkRecord({ topic: 'items', offset: 3, key: { id: 4 }, value: 'not a row' }),
    ])
    await sink.flush()
    expect(await server.query('SELECT id, qty FROM items ORDER BY id')).toEqual([{ id: 1, qty: 5 }, { id: 3, qty: 7 }])
    expect(bad.map((b) => b.record.offset).sort()).toEqual([1, 3])
    expect(bad.find((b) => b.record.offset === 1)?.error.message).toContain('violates check constraint')
    await sink.put([sinkRecord({ topic: 'items', offset: 4, key: { id: 1 }, value: null })])
    await sink.flush()
    expect(await server.query('SELECT id FROM items ORDER BY id')).toEqual([{ id: 3 }])
    await sink.stop()
  })

  it('refuses a missing table without auto.create, clearly', async () => {
    const sink = task({ 'offsets.table': 'ghost_offsets' })
    await sink.start()
    await sink.put([sinkRecord({ key: { id: 1 }, value: envelope('c', 'ghost', null, { id: 1 }) })])
    await expect(sink.flush()).rejects.toThrow(/table public.ghost does not exist; create it or set auto.create=true/)
    await sink.stop()
  })
})
