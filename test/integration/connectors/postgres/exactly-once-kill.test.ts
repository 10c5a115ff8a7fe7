/**
 * Exactly-once postgres-cdc through crashes (the run is exactly-once-kill.ts's): a worker with
 * exactly-once sources snapshots a table (1,000 rows in chunks of 10, each a transaction) and is
 * SIGKILLed at a random row of it; started again on its data directory, it finishes the snapshot and
 * streams the table's changes into a topic while a writer makes 100,000 numbered changes (inserts
 * and updates over 2,000 keys, in transactions of 1 to 20 changes), and it is SIGKILLed at random
 * points four more times. Once it has caught up, a read_committed reader must find each snapshot row
 * and every change exactly once, each key's changes in the order they committed. On the embedded
 * log, and on a one-node real Kafka cluster.
 */
import path from 'node:path'
import pg from 'pg'
import { afterEach, beforeEach, describe, it } from 'vitest'
import {
  endKillRun,
  KILLS,
  onEmbeddedLogAndRealKafka,
  SEEDED,
  streamThroughKills,
  type KillRunState,
  type LogUnderTest,
} from '../../../support/exactly-once-kill.ts'
import { pgItems, seedItems } from '../../../support/numbered-changes.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { writePipelineFile } from '../../../support/pipeline-file.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

const TOPIC = 'eos.items'
const SLOT = 'eos_slot'
const CHANGES = 100_000

function streamsThroughKills(name: string, logUnderTest: () => LogUnderTest, timeoutMs: number): void {
  describe(`exactly-once postgres-cdc on ${name}`, () => {
    let server: PgServer
    let dir: Awaited<ReturnType<typeof makeTempDir>>
    let slotClient: pg.Client
    const state: KillRunState = {}

    beforeEach(async () => {
      server = await startPgServer()
      dir = await makeTempDir('tributary-pg-eos-')
      slotClient = new pg.Client({ connectionString: server.url })
      await slotClient.connect()
    })
    afterEach(async () => {
      await endKillRun(state)
      await slotClient?.end()
      await server?.stop()
      await dir?.remove()
    })

    /** How far the slot is confirmed (bytes of WAL, as text); undefined before the connector made it. */
    async function confirmed(): Promise<string | undefined> {
      const rows = (
        await slotClient.query<{ pos: string | null }>(
          `SELECT (confirmed_flush_lsn - '0/0')::text AS pos FROM pg_replication_slots WHERE slot_name = $1`,
          [SLOT],
        )
      ).rows
      return rows[0]?.pos ?? undefined
    }

    it(
      `holds the snapshot and ${CHANGES.toLocaleString('en')} changes exactly once, in commit order per key, killed in the snapshot and ${KILLS} times while streaming`,
      async () => {
        await seedItems(server.url, SEEDED)
        const configDir = path.join(dir.path, 'config')
        writePipelineFile(configDir, 'eos', [
          `topic: { name: ${TOPIC}, partitions: 3 }`,
          'sources:',
          `  - { id: pg, type: postgres-cdc, with: { url: "${server.url}", topic: { prefix: eos }, tables: [public.items], slot: ${SLOT}, snapshot: { chunk: { rows: 10 } }, heartbeat: { interval: { ms: 200 } } } }`,
        ])
        await streamThroughKills(state, {
          log: logUnderTest(),
          configDir,
          dataDir: path.join(dir.path, 'data'),
          connector: 'eos.pg',
          topic: TOPIC,
          changes: CHANGES,
          items: pgItems(server.url),
          position: confirmed,
          timeoutMs,
        })
      },
      timeoutMs * 2,
    )
  })
}

onEmbeddedLogAndRealKafka(streamsThroughKills, { embedded: 120_000, realKafka: 150_000 })
