import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { topicRecords } from '../../../support/topic-records.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../../support/worker-harness.ts'

// A slot that falls more than max_slot_wal_keep_size behind is invalidated by the server at the next
// checkpoint: it still exists, but the changes since its position are gone.
let server: PgServer
let harness: WorkerHarness

beforeAll(async () => {
  server = await startPgServer({ max_slot_wal_keep_size: '1MB' })
  await server.query('CREATE TABLE kept (id int PRIMARY KEY, v text)')
  await server.query('CREATE TABLE filler (id serial PRIMARY KEY, pad text)')
  await server.query(`INSERT INTO kept VALUES (1, 'one')`)
  harness = await startWorkerHarness()
}, 60_000)
afterAll(async () => {
  await harness?.close()
  await server?.stop()
})

async function values(topic: string): Promise<Array<{ op: string; after: { id: number } }>> {
  return (await topicRecords(harness, topic)).map((record) => record.value)
}

/** Writes WAL past the slot's allowance and checkpoints until the server has invalidated it. */
async function invalidate(slot: string): Promise<void> {
  await eventually(
    async () => {
      await server.query(`INSERT INTO filler (pad) SELECT repeat('x', 1000) FROM generate_series(1, 2000)`)
      await server.query('SELECT pg_switch_wal()')
      await server.query('CHECKPOINT')
      return (
        await server.query<{ status: string }>('SELECT wal_status AS status FROM pg_replication_slots WHERE slot_name = $1', [slot])
      )[0]?.status
    },
    (status) => status === 'lost',
    30_000,
  )
}

describe('postgres-cdc on a slot the server invalidated', () => {
  it('fails with the cause and the way out, and with snapshot.mode when_needed starts over from a snapshot', async () => {
    const created = await harness.request('POST', '/connectors', {
      name: 'cdc',
      config: {
        'connector.class': 'postgres-cdc',
        url: server.url,
        'topic.prefix': 'db',
        tables: 'public.kept',
        slot: 'kept_slot',
      },
    })
    expect(created.status).toBe(201)
    await eventually(
      () => values('db.public.kept'),
      (list) => list.length === 1,
      20_000,
    )
    await server.query(`INSERT INTO kept VALUES (2, 'two')`)
    await eventually(
      () => values('db.public.kept'),
      (list) => list.length === 2,
      20_000,
    )
    await harness.request('PUT', '/connectors/cdc/stop')
    await eventually(
      async () =>
        (await server.query<{ active: boolean }>(`SELECT active FROM pg_replication_slots WHERE slot_name = 'kept_slot'`))[0]?.active,
      (active) => active === false,
      20_000,
    )
    await server.query(`INSERT INTO kept VALUES (3, 'three')`)
    await invalidate('kept_slot')

    await harness.request('PUT', '/connectors/cdc/resume')
    const failed = await eventually(
      async () => (await harness.request('GET', '/connectors/cdc/status')).body,
      (body) => body.tasks[0]?.state === 'FAILED',
      20_000,
    )
    expect(failed.tasks[0].trace).toContain('replication slot "kept_slot" was invalidated by the server')
    expect(failed.tasks[0].trace).toContain('snapshot.mode when_needed')

    await harness.request('PATCH', '/connectors/cdc/config', { 'snapshot.mode': 'when_needed' })
    // The snapshot reads what the table holds now, the row written while the slot was lost included.
    const after = await eventually(
      () => values('db.public.kept'),
      (list) => list.filter((v) => v.op === 'r').length >= 4,
      30_000,
    )
    expect(
      after
        .filter((v) => v.op === 'r')
        .slice(-3)
        .map((v) => v.after.id)
        .sort(),
    ).toEqual([1, 2, 3])
    await server.query(`INSERT INTO kept VALUES (4, 'four')`)
    await eventually(
      () => values('db.public.kept'),
      (list) => list.some((v) => v.op === 'c' && v.after.id === 4),
      20_000,
    )
    expect(
      (await server.query<{ status: string }>(`SELECT wal_status AS status FROM pg_replication_slots WHERE slot_name = 'kept_slot'`))[0]
        ?.status,
    ).not.toBe('lost')
  }, 120_000)
})
