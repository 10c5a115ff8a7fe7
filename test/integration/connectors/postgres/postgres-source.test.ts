import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { partitionedAsPartitions, publishedWithoutIdentity } from '../../../../connectors/postgres/source/slot.ts'
import { parseLsn } from '../../../../connectors/postgres/source/lsn.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { topicRecords, topicTail } from '../../../support/topic-records.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../../support/worker-harness.ts'

let server: PgServer
let harness: WorkerHarness

beforeAll(async () => {
  server = await startPgServer()
  await server.query(`CREATE TYPE mood AS ENUM ('sad', 'happy')`)
  await server.query(`CREATE TABLE public.things (
    id bigint PRIMARY KEY, small smallint, big bigint, price numeric(12,3), ratio double precision, ok boolean,
    label varchar(20), body text, tag uuid, doc jsonb, raw bytea, day date, at timestamp, at_tz timestamptz,
    nums int[], words text[], feeling mood, nothing text)`)
  await server.query(`INSERT INTO things VALUES
    (1, 7, 9223372036854775807, 12345.678, 0.5, true, 'first', 'hello', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a":[1,2]}', '\\x0102', '2024-02-29', '2024-02-29 10:11:12.123456', '2024-02-29 10:11:12+02', '{1,2,3}', '{"x,y",z}', 'happy', NULL),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`)
  harness = await startWorkerHarness()
}, 60_000)
afterAll(async () => {
  await harness?.close()
  await server?.stop()
})

const values = (topic: string) => topicRecords(harness, topic)

describe('postgres-cdc', () => {
  it('names the topic of a table whose name Kafka does not allow in topics with the unfit characters as underscores', async () => {
    await server.query('CREATE SCHEMA "Sales Dept"')
    await server.query('CREATE TABLE "Sales Dept"."Order Items" (id int PRIMARY KEY, "Unit Price" int)')
    await server.query(`INSERT INTO "Sales Dept"."Order Items" VALUES (1, 10)`)
    const created = await harness.request('POST', '/connectors', {
      name: 'odd',
      config: {
        'connector.class': 'postgres-cdc',
        url: server.url,
        'topic.prefix': 'odd',
        tables: 'Sales Dept.Order Items',
        slot: 'odd_slot',
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    await eventually(
      () => values('odd.Sales_Dept.Order_Items'),
      (records) => records.length === 1,
      20_000,
    )
    await server.query(`INSERT INTO "Sales Dept"."Order Items" VALUES (2, 20)`)
    const records = await eventually(
      () => values('odd.Sales_Dept.Order_Items'),
      (list) => list.length >= 2,
      20_000,
    )
    expect(records.map((r) => [r.value.op, r.value.after, r.value.source.schema, r.value.source.table])).toEqual([
      ['r', { id: 1, 'Unit Price': 10 }, 'Sales Dept', 'Order Items'],
      ['c', { id: 2, 'Unit Price': 20 }, 'Sales Dept', 'Order Items'],
    ])
    expect((await harness.request('DELETE', '/connectors/odd')).status).toBe(204)
  }, 60_000)

  it('maps domain-typed columns by their base type, in the snapshot and in the stream alike, and leaves out arrays of a domain as Debezium does', async () => {
    await server.query('CREATE DOMAIN positive_int AS int CHECK (VALUE > 0)')
    await server.query('CREATE DOMAIN money_amount AS numeric(12,2)')
    await server.query('CREATE DOMAIN tags AS text[]')
    await server.query(
      'CREATE TABLE orders (id positive_int PRIMARY KEY, amount money_amount, flags tags, placed timestamptz, lines positive_int[])',
    )
    await server.query(`INSERT INTO orders VALUES (1, 12.50, '{a,b}', '2024-01-02 03:04:05+00', '{3,4}')`)
    const created = await harness.request('POST', '/connectors', {
      name: 'dom',
      config: {
        'connector.class': 'postgres-cdc',
        url: server.url,
        'topic.prefix': 'dom',
        tables: 'public.orders',
        slot: 'dom_slot',
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    await eventually(
      () => values('dom.public.orders'),
      (records) => records.length === 1,
      20_000,
    )
    await server.query(`INSERT INTO orders VALUES (2, 7.25, '{c}', '2024-05-06 07:08:09+00', '{5}')`)
    const records = await eventually(
      () => values('dom.public.orders'),
      (list) => list.length >= 2,
      20_000,
    )
    expect(records.map((r) => [r.key, r.value.after])).toEqual([
      // amount: numeric(12,2) Decimals (12.50, 7.25) as JsonConverter writes them.
      [{ id: 1 }, { id: 1, amount: 'BOI=', flags: ['a', 'b'], placed: '2024-01-02T03:04:05.000000Z' }],
      [{ id: 2 }, { id: 2, amount: 'AtU=', flags: ['c'], placed: '2024-05-06T07:08:09.000000Z' }],
    ])
    expect((await harness.request('DELETE', '/connectors/dom')).status).toBe(204)
  }, 60_000)

  it("reads the snapshot alike in its own thread and in the worker's, keyless tables and transforms included", async () => {
    await server.query('CREATE TABLE twin (id int PRIMARY KEY, name text, price numeric(8,2), at timestamptz, tags text[], doc jsonb)')
    await server.query(`INSERT INTO twin SELECT g, CASE WHEN g % 3 = 0 THEN 'grüße ✓ 日本 ' || g WHEN g % 3 = 1 THEN NULL ELSE 'plain "' || g || '"' END,
      g / 7.0, '2024-01-01 00:00:00+00'::timestamptz + g * interval '1 minute', ARRAY['a' || g, 'ü'], jsonb_build_object('n', g) FROM generate_series(1, 1200) g`)
    await server.query('CREATE TABLE twin_nokey (label text)')
    await server.query(`INSERT INTO twin_nokey SELECT 'row ' || g FROM generate_series(1, 30) g`)
    const snapshot = async (name: string, extra: Record<string, string>) => {
      const created = await harness.request('POST', '/connectors', {
        name,
        config: {
          'connector.class': 'postgres-cdc',
          url: server.url,
          'topic.prefix': name,
          tables: 'public.twin,public.twin_nokey',
          slot: `${name}_slot`,
          'snapshot.mode': 'initial_only',
          'snapshot.chunk.rows': '500',
          ...extra,
        },
      })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      const keyed = await eventually(
        () => values(`${name}.public.twin`),
        (records) => records.length === 1200,
        30_000,
      )
      const keyless = await eventually(
        () => values(`${name}.public.twin_nokey`),
        (records) => records.length === 30,
        30_000,
      )
      expect((await harness.request('DELETE', `/connectors/${name}`)).status).toBe(204)
      // Each run has its own slot (so its own position) and time of reading; all else must match.
      const timeless = ({
        key,
        value,
      }: {
        key: unknown
        value: { op?: string; after: Record<string, unknown>; source: Record<string, unknown> }
      }) => ({
        key,
        value:
          value.op === undefined
            ? value
            : {
                ...value,
                ts_ms: 0,
                ts_us: 0,
                ts_ns: 0,
                source: { ...value.source, ts_ms: 0, ts_us: 0, ts_ns: 0, name: '', lsn: 0, sequence: '' },
              },
      })
      return { keyed: keyed.map(timeless), keyless: keyless.map(timeless) }
    }
    const inThread = await snapshot('twin_a', { 'snapshot.thread': 'true' })
    const inWorker = await snapshot('twin_b', { 'snapshot.thread': 'false' })
    expect(inThread).toEqual(inWorker)
    // price: the Decimal 0.43 as JsonConverter writes it.
    expect(inThread.keyed[2]).toEqual({
      key: { id: 3 },
      value: expect.objectContaining({
        op: 'r',
        after: { id: 3, name: 'grüße ✓ 日本 3', price: 'Kw==', at: '2024-01-01T00:03:00.000000Z', tags: ['a3', 'ü'], doc: '{"n": 3}' },
      }),
    })
    expect(inThread.keyless.map((record) => [record.key, record.value.after.label])).toEqual(
      Array.from({ length: 30 }, (_, i) => [null, `row ${i + 1}`]),
    )
    // A transform gets the rows made in the thread as data, not as their JSON.
    const unwrapped = await snapshot('twin_c', {
      'snapshot.thread': 'true',
      transforms: 'unwrap',
      'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
    })
    expect(unwrapped.keyed.map((record) => record.value)).toEqual(inWorker.keyed.map((record) => record.value.after))
  }, 90_000)

  it('resumes a snapshot whose thread lost its connection, with every row there', async () => {
    await server.query('CREATE TABLE cut (id int PRIMARY KEY, v text)')
    await server.query(`INSERT INTO cut SELECT g, 'v' || g FROM generate_series(1, 100000) g`)
    const created = await harness.request('POST', '/connectors', {
      name: 'cut',
      config: {
        'connector.class': 'postgres-cdc',
        url: server.url,
        'topic.prefix': 'cut',
        tables: 'public.cut',
        slot: 'cut_slot',
        'snapshot.chunk.rows': '500',
        'snapshot.thread': 'true',
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    await eventually(
      () => values('cut.public.cut'),
      (records) => records.length > 0,
      20_000,
    )
    // Paused mid-snapshot, the snapshot's transaction waits open: its connection is cut there.
    expect((await harness.request('PUT', '/connectors/cut/pause')).status).toBe(202)
    await eventually(
      async () => (await harness.request('GET', '/connectors/cut/status')).body.tasks[0]?.state,
      (state) => state === 'PAUSED',
      20_000,
    )
    const cut = await server.query<{ cut: boolean }>(
      `SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity WHERE backend_type = 'client backend' AND state = 'idle in transaction' AND query LIKE '%"cut"%'`,
    )
    expect(cut).toEqual([{ cut: true }])
    expect((await harness.request('PUT', '/connectors/cut/resume')).status).toBe(202)
    // Read on as the snapshot goes: reading all of it again on each probe would slow the worker it waits on.
    const tail = topicTail(harness, 'cut.public.cut')
    const ids = new Set<number>()
    const ops = new Set<string>()
    await eventually(
      async () => {
        for (const record of await tail.more()) {
          ids.add(record.key.id)
          ops.add(record.value.op)
        }
        return ids.size
      },
      (size) => size === 100000,
      100_000,
    )
    expect([...ops]).toEqual(['r'])
    expect((await harness.request('DELETE', '/connectors/cut')).status).toBe(204)
  }, 150_000)

  it('reads generated columns in snapshot rows, and leaves them out of changes (pgoutput does not send them), as Debezium does', async () => {
    await server.query('CREATE TABLE lines (id int PRIMARY KEY, qty int, price int, total int GENERATED ALWAYS AS (qty * price) STORED)')
    await server.query('INSERT INTO lines (id, qty, price) VALUES (1, 2, 3)')
    const created = await harness.request('POST', '/connectors', {
      name: 'gen',
      config: {
        'connector.class': 'postgres-cdc',
        url: server.url,
        'topic.prefix': 'gen',
        tables: 'public.lines',
        slot: 'gen_slot',
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    await eventually(
      () => values('gen.public.lines'),
      (records) => records.length === 1,
      20_000,
    )
    await server.query('INSERT INTO lines (id, qty, price) VALUES (2, 4, 5)')
    const records = await eventually(
      () => values('gen.public.lines'),
      (list) => list.length >= 2,
      20_000,
    )
    expect(records.map((r) => [r.value.op, r.value.after])).toEqual([
      ['r', { id: 1, qty: 2, price: 3, total: 6 }],
      ['c', { id: 2, qty: 4, price: 5 }],
    ])
    expect((await harness.request('DELETE', '/connectors/gen')).status).toBe(204)
  }, 60_000)

  it('captures a partitioned table under its own name, in the snapshot and in the stream alike', async () => {
    await server.query('CREATE TABLE readings (id int, at date, v int, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)')
    await server.query(`CREATE TABLE readings_2024 PARTITION OF readings FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`)
    await server.query(`CREATE TABLE readings_2025 PARTITION OF readings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')`)
    await server.query(`INSERT INTO readings VALUES (1, '2024-06-01', 10), (2, '2025-06-01', 20)`)
    const created = await harness.request('POST', '/connectors', {
      name: 'parts',
      config: {
        'connector.class': 'postgres-cdc',
        url: server.url,
        'topic.prefix': 'parts',
        tables: 'public.readings',
        slot: 'parts_slot',
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    await eventually(
      () => values('parts.public.readings'),
      (records) => records.length === 2,
      20_000,
    )
    await server.query(`INSERT INTO readings VALUES (3, '2024-07-01', 30), (4, '2025-07-01', 40)`)
    await server.query(`UPDATE readings SET v = 41 WHERE id = 4`)
    const records = await eventually(
      () => values('parts.public.readings'),
      (list) => list.length >= 5,
      20_000,
    )
    expect(records.map((r) => [r.value.op, r.value.after.id, r.value.after.v, r.value.source.table])).toEqual([
      ['r', 1, 10, 'readings'],
      ['r', 2, 20, 'readings'],
      ['c', 3, 30, 'readings'],
      ['c', 4, 40, 'readings'],
      ['u', 4, 41, 'readings'],
    ])
    const topics = (await harness.request('GET', '/topics')).body as Array<string | { name: string }>
    expect(topics.map((t) => (typeof t === 'string' ? t : t.name)).filter((name) => name.startsWith('parts.'))).toEqual([
      'parts.public.readings',
    ])
    expect((await harness.request('DELETE', '/connectors/parts')).status).toBe(204)
  }, 60_000)

  it('starts on a publication made beforehand that holds a partitioned table as its partitions', async () => {
    await server.query('CREATE TABLE gauges (id int, at date, v int, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)')
    await server.query(`CREATE TABLE gauges_2024 PARTITION OF gauges FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`)
    await server.query(`INSERT INTO gauges VALUES (1, '2024-06-01', 10)`)
    await server.query('CREATE PUBLICATION made_before FOR TABLE gauges') // publish_via_partition_root off
    const created = await harness.request('POST', '/connectors', {
      name: 'gauges',
      config: {
        'connector.class': 'postgres-cdc',
        url: server.url,
        'topic.prefix': 'gauges',
        tables: 'public.gauges',
        slot: 'gauges_slot',
        publication: 'made_before',
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const snapshot = await eventually(
      () => values('gauges.public.gauges'),
      (records) => records.length === 1,
      20_000,
    )
    expect(snapshot[0]?.value.after).toEqual({ id: 1, at: 19875, v: 10 }) // at: days since the epoch (io.debezium.time.Date)
    const status = (await harness.request('GET', '/connectors/gauges/status')).body
    expect(status.tasks[0]?.state).toBe('RUNNING')
    // What the connector warns about at start: such a table's changes go to its partitions' topics.
    const client = new pg.Client({ connectionString: server.url })
    await client.connect()
    try {
      expect(await partitionedAsPartitions(client, 'made_before', ['public.gauges', 'public.things'])).toEqual(['public.gauges'])
      await client.query('ALTER PUBLICATION made_before SET (publish_via_partition_root = true)')
      expect(await partitionedAsPartitions(client, 'made_before', ['public.gauges'])).toEqual([])
    } finally {
      await client.end()
    }
    expect((await harness.request('DELETE', '/connectors/gauges')).status).toBe(204)
  }, 60_000)

  it('snapshots the table, then streams inserts, updates and deletes as Debezium envelopes, and resumes after a restart', async () => {
    const created = await harness.request('POST', '/connectors', {
      name: 'pg',
      config: {
        'connector.class': 'postgres-cdc',
        url: server.url,
        'topic.prefix': 'shop',
        tables: 'public.things',
        slot: 'shop_slot',
        'heartbeat.interval.ms': '100',
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const snapshot = await eventually(
      () => values('shop.public.things'),
      (records) => records.length === 2,
      20_000,
    )
    const first = snapshot[0]?.value
    expect(snapshot[0]?.key).toEqual({ id: 1 })
    expect(first.op).toBe('r')
    expect(first.before).toBeNull()
    // Debezium's types: price a Decimal (base64 of 12345678, scale 3), day days since the epoch, at µs since it, doc JSON text.
    expect(first.after).toEqual({
      id: 1,
      small: 7,
      // biome-ignore lint/correctness/noPrecisionLoss: int8's largest value, as the JSON-parsed event holds it (a double)
      big: 9223372036854775807,
      price: 'ALxhTg==',
      ratio: 0.5,
      ok: true,
      label: 'first',
      body: 'hello',
      tag: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      doc: '{"a": [1, 2]}',
      raw: Buffer.from([1, 2]).toString('base64'),
      day: 19782,
      at: 1709201472123456,
      at_tz: '2024-02-29T08:11:12.000000Z',
      nums: [1, 2, 3],
      words: ['x,y', 'z'],
      feeling: 'happy',
      nothing: null,
    })
    expect(first.source).toMatchObject({
      connector: 'postgresql',
      name: 'shop',
      db: 'postgres',
      schema: 'public',
      table: 'things',
      snapshot: 'first',
    })
    expect(snapshot[1]?.value.after).toMatchObject({ id: 2, small: null, nums: null })
    const progress = (await harness.request('GET', '/connectors/pg/status')).body.tasks[0].details
    expect(progress.phase === 'streaming' || progress.snapshot_rows_done === 2).toBe(true)

    await server.query(`INSERT INTO things (id, label, nums) VALUES (3, 'third', '{}')`)
    await server.query(`UPDATE things SET label = 'renamed' WHERE id = 3`)
    await server.query(`DELETE FROM things WHERE id = 2`)
    const streamed = (
      await eventually(
        () => values('shop.public.things'),
        (records) => records.length === 6,
        20_000,
      )
    ).slice(2)
    expect(streamed.map((r) => r.value?.op ?? 'tombstone')).toEqual(['c', 'u', 'd', 'tombstone'])
    expect(streamed[0]?.value.after).toMatchObject({ id: 3, label: 'third', nums: [] })
    expect(streamed[1]?.value).toMatchObject({ before: null, after: { id: 3, label: 'renamed' } })
    expect(streamed[2]?.value.before).toMatchObject({ id: 2 })
    expect(streamed[3]?.key).toEqual({ id: 2 })
    expect(streamed[0]?.value.source.txId).toEqual(expect.any(Number))
    expect(streamed[0]?.value.source.lsn).toEqual(expect.any(Number))

    await harness.restart()
    await server.query(`INSERT INTO things (id) VALUES (4)`)
    const afterRestart = await eventually(
      () => values('shop.public.things'),
      (records) => records.some((r) => r.value?.after?.id === 4),
      20_000,
    )
    expect(afterRestart.map((r) => r.value?.op ?? 'tombstone')).toEqual(['r', 'r', 'c', 'u', 'd', 'tombstone', 'c'])

    const endOfWork = (await server.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'))[0]?.lsn as string
    const slot = await eventually(
      async () =>
        (
          await server.query<{ confirmed: string }>(
            `SELECT confirmed_flush_lsn::text AS confirmed FROM pg_replication_slots WHERE slot_name = 'shop_slot'`,
          )
        )[0]?.confirmed,
      (confirmed) => confirmed !== undefined && parseLsn(confirmed) >= parseLsn(endOfWork),
      20_000,
    )
    expect(slot).toBeDefined()
  }, 90_000)

  it('fails visibly when the slot is gone but offsets remain', async () => {
    await harness.request('PUT', '/connectors/pg/stop')
    await server.query(`SELECT pg_drop_replication_slot('shop_slot')`)
    await harness.request('PUT', '/connectors/pg/resume')
    // At once, not after restart.max.attempts restarts: no restart brings the changes back.
    const status = await eventually(
      async () => (await harness.request('GET', '/connectors/pg/status')).body,
      (body) => body.tasks[0]?.state === 'FAILED',
      20_000,
    )
    expect(status.tasks[0].trace).toContain('TRB_SOURCE_POSITION_LOST')
    expect(status.tasks[0].trace).toContain('replication slot "shop_slot" is missing')
  }, 60_000)

  it('snapshots a table without a key by pages of its rows, each row once', async () => {
    await server.query('CREATE TABLE public.notes (body text, n int)')
    await server.query(`INSERT INTO notes SELECT 'note ' || g, g FROM generate_series(1, 25) g`)
    const created = await harness.request('POST', '/connectors', {
      name: 'notes',
      config: {
        'connector.class': 'postgres-cdc',
        url: server.url,
        'topic.prefix': 'plain',
        tables: 'public.notes',
        slot: 'notes_slot',
        publication: 'notes_pub',
        'snapshot.mode': 'initial_only',
        'snapshot.chunk.rows': '4',
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const snapshot = await eventually(
      () => values('plain.public.notes'),
      (records) => records.length >= 25,
      20_000,
    )
    expect(snapshot.map((r) => r.value.after.n).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1))
    expect(snapshot.every((r) => r.key === null && r.value.op === 'r' && !('__ctid' in r.value.after))).toBe(true)
    // What the connector warns about at start: published, such a table takes no UPDATE or DELETE.
    await expect(server.query('UPDATE notes SET n = n + 1 WHERE n = 1')).rejects.toThrow(/does not have a replica identity/)
    const client = new pg.Client({ connectionString: server.url })
    await client.connect()
    try {
      expect(await publishedWithoutIdentity(client, 'notes_pub')).toEqual(['public.notes'])
      await client.query('ALTER TABLE notes REPLICA IDENTITY FULL')
      expect(await publishedWithoutIdentity(client, 'notes_pub')).toEqual([])
    } finally {
      await client.end()
    }
  }, 60_000)
})
