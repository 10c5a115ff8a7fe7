/**
 * Exactly-once mysql-cdc through crashes (the run is exactly-once-kill.ts's, as postgres-cdc's): a
 * worker with exactly-once sources snapshots a MariaDB table (1,000 rows in chunks of 10) and is
 * SIGKILLed at a random row of it; started again on its data directory, it finishes the snapshot and
 * streams the binlog into a topic while a writer makes 25,000 numbered changes (inserts and updates
 * over 2,000 keys, in transactions of 1 to 20 changes), and it is SIGKILLed at random points four
 * more times. Once it has caught up, a read_committed reader must find each snapshot row and every
 * change exactly once, each key's changes in the order they committed. The server starts a new
 * binlog file every 128 KiB (some 40 in all), so the stream and its resumes also cross rotations.
 * On the embedded log only: the source's transactions on Kafka take the same path whatever the
 * source, and postgres-cdc's kill test runs it on a real cluster; a second run here cost about 35 s
 * of the suite's 15 minutes. Why 25,000 changes: they make some 2,400 binlog transactions, enough
 * that each kill lands in a busy stream (transactions cut by polls, replays of half-stored ones),
 * while most of the file's time goes to the six worker starts, not to the changes.
 */
import path from 'node:path'
import { afterEach, beforeEach, describe, it } from 'vitest'
import {
  endKillRun,
  KILLS,
  onEmbeddedLog,
  SEEDED,
  streamThroughKills,
  type KillRunState,
  type LogUnderTest,
} from '../../../support/exactly-once-kill.ts'
import { mariaDbItems, seedMariaDbItems } from '../../../support/numbered-changes-mariadb.ts'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'
import { writePipelineFile } from '../../../support/pipeline-file.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'
import type { WorkerProcess } from '../../../support/worker-process.ts'

const TOPIC = 'eos.items'
const DATABASE = 'eos'
const CHANGES = 25_000

function streamsThroughKills(name: string, logUnderTest: () => LogUnderTest, timeoutMs: number): void {
  describe(`exactly-once mysql-cdc on ${name}`, () => {
    let server: MariaDbServer
    let dir: Awaited<ReturnType<typeof makeTempDir>>
    const state: KillRunState = {}

    beforeEach(async () => {
      server = await startMariaDbServer({ 'max-binlog-size': String(128 << 10) })
      dir = await makeTempDir('tributary-mysql-eos-')
    })
    afterEach(async () => {
      await endKillRun(state)
      await server?.stop()
      await dir?.remove()
    })

    /** The connector's stored offset (binlog file, position and records of the next transaction), as the worker reports it. */
    async function storedOffset(worker: WorkerProcess): Promise<unknown> {
      const response = await fetch(`${worker.url}/connectors/eos.my/offsets`)
      return response.ok
        ? (((await response.json()) as { offsets: Array<{ offset: unknown }> }).offsets[0]?.offset ?? undefined)
        : undefined
    }

    it(
      `holds the snapshot and ${CHANGES.toLocaleString('en')} changes exactly once, in commit order per key, killed in the snapshot and ${KILLS} times while streaming`,
      async () => {
        await seedMariaDbItems(server.url, DATABASE, SEEDED)
        const configDir = path.join(dir.path, 'config')
        writePipelineFile(configDir, 'eos', [
          `topic: { name: ${TOPIC}, partitions: 3 }`,
          'sources:',
          `  - { id: my, type: mysql-cdc, with: { url: "${server.url}", topic: { prefix: eos }, tables: [${DATABASE}.items], snapshot: { chunk: { rows: 10 } }, heartbeat: { interval: { ms: 200 } } } }`,
        ])
        await streamThroughKills(state, {
          log: logUnderTest(),
          configDir,
          dataDir: path.join(dir.path, 'data'),
          connector: 'eos.my',
          topic: TOPIC,
          changes: CHANGES,
          items: mariaDbItems(server.url, DATABASE),
          position: storedOffset,
          timeoutMs,
        })
      },
      timeoutMs * 2,
    )
  })
}

onEmbeddedLog(streamsThroughKills, 90_000)
