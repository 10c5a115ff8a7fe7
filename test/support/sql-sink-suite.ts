/**
 * The behaviour every SQL sink shares, run against a real database: tables created and evolved,
 * upserts, deletes and truncates, insert modes, the unchanged-TOAST placeholder, per-key folding,
 * redelivery after a crash, and a refused record isolated with the database's message. The SQL here
 * is what PostgreSQL and MySQL both accept; each sink's own test file adds what only it has.
 */
import { expect, it } from 'vitest'
import type { SinkRecord, SinkTask } from '../../core/runtime/plugin.ts'
import { sinkRecord } from './task-context.ts'

export interface SqlSinkTarget {
  /** A started-to-be task with the target's connection, connector name `sink-test` and these settings. */
  task(config: Record<string, string>, badRecords?: Array<{ record: SinkRecord; error: Error }>): SinkTask
  /** Runs statements in the sink's default schema or database. */
  exec(sql: string): Promise<void>
  /** Rows read there: integers up to int4 as numbers, bigint and decimals as strings, JSON parsed. */
  rows(sql: string): Promise<Array<Record<string, unknown>>>
  /** The source block of the change events the sink gets (a Postgres or a MySQL source's). */
  readonly source: Readonly<Record<string, string>>
  /** Where unqualified tables go: `public`, `shop`. */
  readonly namespace: string
  /** Ends every other client connection to the database from the server's side (the sink's, here). */
  endOtherConnections(): Promise<void>
  /** How the database words a duplicate key and a failed CHECK. */
  readonly messages: { readonly duplicateKey: RegExp; readonly checkFailed: RegExp }
}

export function runSqlSinkSuite(target: () => SqlSinkTarget): void {
  const envelope = (op: string, table: string, before: unknown, after: unknown) => ({
    op,
    before,
    after,
    source: { ...target().source, table },
    ts_ms: 0,
  })
  /** A task's whole life for one batch: start, put, flush, stop. */
  const deliver = async (
    config: Record<string, string>,
    records: readonly SinkRecord[],
    badRecords?: Array<{ record: SinkRecord; error: Error }>,
  ) => {
    const sink = target().task(config, badRecords)
    await sink.start()
    await sink.put(records)
    await sink.flush()
    await sink.stop()
  }

  it('creates and evolves tables, upserts, deletes, and skips what its offsets table says is applied', async () => {
    const { task, rows } = target()
    const sink = task({ 'auto.create': 'true', 'auto.evolve': 'true' })
    await sink.start()
    await sink.put([
      sinkRecord({
        topic: 'shop.people',
        offset: 0,
        key: { id: 1 },
        value: envelope('c', 'people', null, { id: 1, name: 'Ann', age: 31, meta: { vip: true } }),
      }),
      sinkRecord({
        topic: 'shop.people',
        offset: 1,
        key: { id: 2 },
        value: envelope('r', 'people', null, { id: 2, name: 'Bob', age: 40, meta: null }),
      }),
      sinkRecord({
        topic: 'shop.people',
        offset: 2,
        key: { id: 1 },
        value: envelope('u', 'people', null, { id: 1, name: 'Ann B', age: 32, meta: { vip: false } }),
      }),
    ])
    await sink.flush()
    expect(await rows('SELECT id, name, age, meta FROM people ORDER BY id')).toEqual([
      { id: '1', name: 'Ann B', age: '32', meta: { vip: false } },
      { id: '2', name: 'Bob', age: '40', meta: null },
    ])
    await sink.put([
      sinkRecord({ topic: 'shop.people', offset: 3, key: { id: 2 }, value: envelope('d', 'people', { id: 2 }, null) }),
      sinkRecord({
        topic: 'shop.people',
        offset: 4,
        key: { id: 3 },
        value: envelope('c', 'people', null, { id: 3, name: 'Cy', age: 5, meta: null, city: 'Oslo' }),
      }),
    ])
    await sink.flush()
    expect(await rows('SELECT id, name, city FROM people ORDER BY id')).toEqual([
      { id: '1', name: 'Ann B', city: null },
      { id: '3', name: 'Cy', city: 'Oslo' },
    ])
    await sink.stop()

    // A new task (after a crash) is handed records it already applied: they change nothing.
    const again = task({ 'auto.create': 'true', 'auto.evolve': 'true' })
    await again.start()
    await again.put([
      sinkRecord({
        topic: 'shop.people',
        offset: 2,
        key: { id: 1 },
        value: envelope('u', 'people', null, { id: 1, name: 'stale', age: 0, meta: null }),
      }),
    ])
    await again.flush()
    expect(await rows('SELECT name FROM people WHERE id = 1')).toEqual([{ name: 'Ann B' }])
    expect(await rows(`SELECT kafka_offset FROM tributary_sink_offsets WHERE connector = 'sink-test'`)).toEqual([{ kafka_offset: '4' }])
    await again.stop()
  })

  it('reconnects after the server drops its connection, and a retried flush applies the batch once', async () => {
    const { task, rows, endOtherConnections } = target()
    const sink = task({ 'auto.create': 'true', 'offsets.table': 'reconnect_offsets' })
    await sink.start()
    await sink.put([sinkRecord({ topic: 'shop.calls', offset: 0, key: { id: 1 }, value: envelope('c', 'calls', null, { id: 1, n: 1 }) })])
    await sink.flush()
    await endOtherConnections()
    await sink.put([sinkRecord({ topic: 'shop.calls', offset: 1, key: { id: 2 }, value: envelope('c', 'calls', null, { id: 2, n: 2 }) })])
    // The first attempt meets the dead connection and says it may be retried, as the runtime does.
    const first = await sink.flush().then(
      () => 'flushed',
      (error: { code?: string; retriable?: boolean }) => `${error.code} retriable=${error.retriable}`,
    )
    if (first !== 'flushed') {
      expect(first).toBe('TRB_SINK_WRITE retriable=true')
      await sink.flush()
    }
    expect(await rows('SELECT id, n FROM calls ORDER BY id')).toEqual([
      { id: '1', n: '1' },
      { id: '2', n: '2' },
    ])
    expect(await rows(`SELECT kafka_offset FROM reconnect_offsets WHERE connector = 'sink-test'`)).toEqual([{ kafka_offset: '1' }])
    await sink.stop()
  })

  it('keeps what is put while a flush is under way for the next flush, and a retried flush applies both in order', async () => {
    const { task, rows, endOtherConnections } = target()
    const sink = task({ 'auto.create': 'true', 'offsets.table': 'overlap_offsets' })
    await sink.start()
    const tally = (offset: number, id: number, n: number) =>
      sinkRecord({ topic: 'shop.tallies', offset, key: { id }, value: envelope('u', 'tallies', null, { id, n }) })
    const offsetsNow = async () => rows(`SELECT kafka_offset FROM overlap_offsets WHERE connector = 'sink-test'`)
    await sink.put([tally(0, 1, 1)])
    const first = sink.flush()
    await sink.put([tally(1, 1, 2), tally(2, 2, 1)])
    await first
    expect(await rows('SELECT id, n FROM tallies ORDER BY id')).toEqual([{ id: '1', n: '1' }])
    expect(await offsetsNow()).toEqual([{ kafka_offset: '0' }])
    await endOtherConnections()
    // The flush meets the dead connection; what is put meanwhile joins the retry, after the failed batch.
    const second = sink.flush().then(
      () => 'flushed',
      (error: { code?: string; retriable?: boolean }) => `${error.code} retriable=${error.retriable}`,
    )
    await sink.put([tally(3, 2, 2)])
    expect(['flushed', 'TRB_SINK_WRITE retriable=true']).toContain(await second)
    await sink.flush()
    expect(await rows('SELECT id, n FROM tallies ORDER BY id')).toEqual([
      { id: '1', n: '2' },
      { id: '2', n: '2' },
    ])
    expect(await offsetsNow()).toEqual([{ kafka_offset: '3' }])
    await sink.stop()
  })

  it('never overwrites a stored value with the unchanged-TOAST placeholder', async () => {
    const { exec, rows } = target()
    await exec('CREATE TABLE docs (id int PRIMARY KEY, title text, body text)')
    await exec(`INSERT INTO docs VALUES (1, 'old', 'a very long body')`)
    await deliver({ 'offsets.table': 'docs_offsets' }, [
      sinkRecord({ key: { id: 1 }, value: envelope('u', 'docs', null, { id: 1, title: 'new', body: '__debezium_unavailable_value' }) }),
    ])
    expect(await rows('SELECT title, body FROM docs')).toEqual([{ title: 'new', body: 'a very long body' }])
  })

  it('applies a batch with several operations on one key as they would apply one by one', async () => {
    const { task, exec, rows } = target()
    await exec('CREATE TABLE notes (id int PRIMARY KEY, title text, body text)')
    await exec(`INSERT INTO notes VALUES (2, 'two', 'kept body'), (3, 'three', 'gone')`)
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
    expect(await rows('SELECT id, title, body FROM notes ORDER BY id')).toEqual([
      { id: 1, title: 'one b', body: 'long body' },
      { id: 2, title: 'two c', body: 'kept body' },
      { id: 3, title: 'three c', body: null },
    ])
    await sink.stop()
  })

  it('inserts only in insert mode, and changes existing rows only in update mode', async () => {
    const { exec, rows, messages } = target()
    await exec('CREATE TABLE modes (id int PRIMARY KEY, v text)')
    await exec(`INSERT INTO modes VALUES (1, 'one')`)
    const bad: Array<{ record: SinkRecord; error: Error }> = []
    const row = (offset: number, id: number, v: string) => sinkRecord({ topic: 'modes', offset, key: { id }, value: { id, v } })
    await deliver(
      { 'table.name.format': 'modes', 'offsets.table': 'modes_offsets', 'insert.mode': 'insert' },
      [row(0, 1, 'uno'), row(1, 2, 'two')],
      bad,
    )
    expect(await rows('SELECT id, v FROM modes ORDER BY id')).toEqual([
      { id: 1, v: 'one' },
      { id: 2, v: 'two' },
    ])
    expect(bad.map((b) => b.record.offset)).toEqual([0])
    expect(bad[0]?.error.message).toMatch(messages.duplicateKey)
    await deliver({ 'table.name.format': 'modes', 'offsets.table': 'modes_offsets', 'insert.mode': 'update' }, [
      row(2, 2, 'dos'),
      row(3, 3, 'tres'),
    ])
    expect(await rows('SELECT id, v FROM modes ORDER BY id')).toEqual([
      { id: 1, v: 'one' },
      { id: 2, v: 'dos' },
    ])
  })

  it('deletes on tombstones of plain records, and truncates on op t only when enabled', async () => {
    const { exec, rows } = target()
    await exec('CREATE TABLE plain (id int PRIMARY KEY, v int)')
    await exec('CREATE TABLE gone (id int PRIMARY KEY)')
    await deliver({ 'table.name.format': '${topic}', 'offsets.table': 'plain_offsets' }, [
      ...[1, 2, 3].map((id) => sinkRecord({ topic: 'plain', offset: id, key: { id }, value: { id, v: id * 10 } })),
      sinkRecord({ topic: 'plain', offset: 4, key: { id: 2 }, value: null }),
    ])
    expect(await rows('SELECT id FROM plain ORDER BY id')).toEqual([{ id: 1 }, { id: 3 }])

    await exec('INSERT INTO gone VALUES (1), (2)')
    await deliver({ 'offsets.table': 'gone_offsets' }, [sinkRecord({ topic: 'gone', offset: 0, value: envelope('t', 'gone', null, null) })])
    expect(await rows('SELECT id FROM gone ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }])
    await deliver({ 'offsets.table': 'gone_offsets', 'truncate.enabled': 'true' }, [
      sinkRecord({ topic: 'gone', offset: 1, value: envelope('t', 'gone', null, null) }),
      sinkRecord({ topic: 'gone', offset: 2, key: { id: 7 }, value: envelope('c', 'gone', null, { id: 7 }) }),
    ])
    expect(await rows('SELECT id FROM gone')).toEqual([{ id: 7 }])
  })

  it('hands a record the database refuses to the error policy with its message, and writes the rest', async () => {
    const { task, exec, rows, messages } = target()
    await exec('CREATE TABLE items (id int PRIMARY KEY, qty int NOT NULL CHECK (qty >= 0))')
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
    expect(await rows('SELECT id, qty FROM items ORDER BY id')).toEqual([
      { id: 1, qty: 5 },
      { id: 3, qty: 7 },
    ])
    expect(bad.map((b) => b.record.offset).sort()).toEqual([1, 3])
    expect(bad.find((b) => b.record.offset === 1)?.error.message).toMatch(messages.checkFailed)
    await sink.put([sinkRecord({ topic: 'items', offset: 4, key: { id: 1 }, value: null })])
    await sink.flush()
    expect(await rows('SELECT id FROM items ORDER BY id')).toEqual([{ id: 3 }])
    await sink.stop()
  })

  it('stores nothing of a batch whose refused record the error policy does not tolerate', async () => {
    const { task, exec, rows } = target()
    await exec('CREATE TABLE strict_items (id int PRIMARY KEY, qty int NOT NULL CHECK (qty >= 0))')
    const sink = task({ 'table.name.format': 'strict_items', 'offsets.table': 'strict_offsets' })
    await sink.start()
    await sink.put([
      sinkRecord({ topic: 'strict', offset: 0, key: { id: 1 }, value: { id: 1, qty: 1 } }),
      sinkRecord({ topic: 'strict', offset: 1, key: { id: 2 }, value: { id: 2, qty: -1 } }),
    ])
    await expect(sink.flush()).rejects.toThrow(target().messages.checkFailed)
    await sink.stop()
    expect(await rows('SELECT id FROM strict_items')).toEqual([])
    expect(await rows('SELECT kafka_offset FROM strict_offsets')).toEqual([])
  })

  it('refuses a missing table without auto.create, clearly', async () => {
    const sink = target().task({ 'offsets.table': 'ghost_offsets' })
    await sink.start()
    await sink.put([sinkRecord({ key: { id: 1 }, value: envelope('c', 'ghost', null, { id: 1 }) })])
    await expect(sink.flush()).rejects.toThrow(`table ${target().namespace}.ghost does not exist; create it or set auto.create=true`)
    await sink.stop()
  })
}
