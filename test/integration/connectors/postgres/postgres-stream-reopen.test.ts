/**
 * postgres-cdc opens its replication stream again when the server ends it (here the walsender is
 * terminated under a write load, three times): the new stream must resume just after the records
 * the task already handed out, inside a transaction when a poll ended in one, so that with
 * exactly-once sources the topic holds every change once and in commit order per key, though the
 * slot is confirmed behind what the log holds.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { pgItems, seededRandom, seedItems, writeNumberedChanges } from '../../../support/numbered-changes.ts'
import { CommittedTail, compareWithWrites } from '../../../support/numbered-changes-topic.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../../support/worker-harness.ts'

const SLOT = 'reopen_slot'
const TOPIC = 'reopen.items'
const SEEDED = 100
const CHANGES = 20_000

let server: PgServer
let harness: WorkerHarness | undefined

beforeEach(async () => {
  server = await startPgServer()
})
afterEach(async () => {
  await harness?.close()
  harness = undefined
  await server?.stop()
})

/** The slot's confirmed position in bytes of WAL, and the walsender serving it; undefined before the connector made it (a slot being made has no position yet). */
async function slot(): Promise<{ confirmed: bigint; pid: number | null } | undefined> {
  const rows = await server.query<{ pos: string | null; pid: number | null }>(
    `SELECT (confirmed_flush_lsn - '0/0')::text AS pos, active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1`,
    [SLOT],
  )
  return rows[0]?.pos == null ? undefined : { confirmed: BigInt(rows[0].pos), pid: rows[0].pid }
}

describe('postgres-cdc whose replication stream the server ends', () => {
  it('resumes after what it handed out: with exactly-once sources each change is in the topic once, in order per key', async () => {
    const seed = Date.now()
    const random = seededRandom(seed)
    harness = await startWorkerHarness({ exactlyOnceSourceSupport: 'enabled' })
    await seedItems(server.url, SEEDED)
    const config = {
      'connector.class': 'postgres-cdc',
      url: server.url,
      'topic.prefix': 'reopen',
      tables: 'public.items',
      slot: SLOT,
      topic: TOPIC,
    }
    expect((await harness.request('POST', '/connectors', { name: 'reopen', config })).status).toBe(201)
    await eventually(slot, (state) => state !== undefined, 30_000)
    const writer = writeNumberedChanges(
      { connect: pgItems(server.url), keys: 200, changes: CHANGES, maxPerTransaction: 20, firstNumber: SEEDED + 1, random },
      SEEDED,
    )
    for (let cut = 0; cut < 3; cut++) {
      // Cut once the stream serves again and has confirmed changes since the last cut.
      const from = (await slot())!.confirmed
      const serving = await eventually(slot, (state) => state!.pid !== null && state!.confirmed > from, 60_000)
      await server.query('SELECT pg_terminate_backend($1)', [serving!.pid])
    }
    await writer.done
    const total = SEEDED + CHANGES
    const tail = new CommittedTail(harness.log, TOPIC)
    await eventually(
      () => tail.readOn(),
      () => tail.distinct >= total,
      60_000,
    )
    expect(compareWithWrites(tail, writer, total), `seed ${seed}`).toEqual({
      events: total,
      snapshotRows: SEEDED,
      twice: [],
      missing: [],
      misordered: [],
    })
    // The stream was opened again within the task, which never failed.
    const status = await harness.request('GET', '/connectors/reopen/status')
    expect(status.body.tasks[0].state).toBe('RUNNING')
  }, 120_000)
})
