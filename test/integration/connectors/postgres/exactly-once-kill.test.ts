/**
 * Exactly-once postgres-cdc through crashes: a worker with exactly-once sources snapshots a table
 * (1,000 rows in chunks of 10, each a transaction) and is SIGKILLed at a random row of it; started
 * again on its data directory, it finishes the snapshot and streams the table's changes into a topic
 * while a writer makes 100,000 numbered changes (inserts and updates over 2,000 keys, in
 * transactions of 1 to 20 changes), and it is SIGKILLed at random points four more times. Once it
 * has caught up, a read_committed reader must find each snapshot row and every change exactly once,
 * each key's changes in the order they committed. On the embedded log, and on a one-node real Kafka
 * cluster. (The writer starts once the snapshot is done: a snapshot resumed after a crash reads the
 * table as it is then, not as of the slot, so rows changed meanwhile would be read and streamed both.)
 */
import { setTimeout as delay } from 'node:timers/promises'
import path from 'node:path'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { KafkaLog } from '../../../../core/kafka/kafka-log.ts'
import { freePort } from '../../../support/free-port.ts'
import { seededRandom, seedItems, writeNumberedChanges } from '../../../support/numbered-changes.ts'
import { CommittedTail, compareWithWrites } from '../../../support/numbered-changes-topic.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { writePipelineFile } from '../../../support/pipeline-file.ts'
import { startRealKafka, type RealKafka } from '../../../support/real-kafka.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'
import { eventually } from '../../../support/worker-harness.ts'
import { spawnWorker, type WorkerProcess } from '../../../support/worker-process.ts'

const TOPIC = 'eos.items'
const SLOT = 'eos_slot'
const KEYS = 2_000
/** Keys 1..SEEDED exist before the worker starts: the snapshot reads them. */
const SEEDED = 1_000
const KILLS = 4

interface LogUnderTest {
  /** The worker's environment for each start. */
  readonly env: () => Promise<Record<string, string>>
  readonly brokers: (worker: WorkerProcess) => string[]
}

function streamsThroughKills(name: string, changes: number, logUnderTest: () => LogUnderTest, timeoutMs: number): void {
  describe(`exactly-once postgres-cdc on ${name}`, () => {
    let server: PgServer
    let dir: Awaited<ReturnType<typeof makeTempDir>>
    let slotClient: pg.Client
    let worker: WorkerProcess | undefined
    let reader: KafkaLog | undefined

    beforeEach(async () => {
      server = await startPgServer()
      dir = await makeTempDir('tributary-pg-eos-')
      slotClient = new pg.Client({ connectionString: server.url })
      await slotClient.connect()
    })
    afterEach(async () => {
      worker?.child.kill('SIGKILL')
      await worker?.exited
      await reader?.close()
      await slotClient?.end()
      await server?.stop()
      await dir?.remove()
    })

    /** How far the slot is confirmed (bytes of WAL); undefined before the connector made it. */
    async function confirmed(): Promise<bigint | undefined> {
      const rows = (await slotClient.query<{ pos: string | null }>(`SELECT (confirmed_flush_lsn - '0/0')::text AS pos FROM pg_replication_slots WHERE slot_name = $1`, [SLOT])).rows
      return rows[0]?.pos == null ? undefined : BigInt(rows[0].pos)
    }

    it(`holds the snapshot and ${changes.toLocaleString('en')} changes exactly once, in commit order per key, killed in the snapshot and ${KILLS} times while streaming`, async () => {
      // TRB_TEST_SEED replays a failed run's writes and kill delays (its message names the seed).
      const seed = Number(process.env.TRB_TEST_SEED) || Date.now()
      const random = seededRandom(seed)
      const { env, brokers } = logUnderTest()
      await seedItems(server.url, SEEDED)
      const configDir = path.join(dir.path, 'config')
      const dataDir = path.join(dir.path, 'data')
      writePipelineFile(configDir, 'eos', [
        `topic: { name: ${TOPIC}, partitions: 3 }`,
        'sources:',
        `  - { id: pg, type: postgres-cdc, with: { url: "${server.url}", topic: { prefix: eos }, tables: [public.items], slot: ${SLOT}, snapshot: { chunk: { rows: 10 } }, heartbeat: { interval: { ms: 200 } } } }`,
      ])
      const start = async () => spawnWorker(configDir, dataDir, { ...(await env()), TRIBUTARY_EXACTLY_ONCE_SOURCE_SUPPORT: 'enabled' })
      worker = await start()
      const kills: string[] = []
      // Killed at a random row of the snapshot (or just after it, should it end first). The status
      // says streaming at the first heartbeat after it.
      const row = 100 + Math.floor(random() * 800)
      const details = async () => (await (await fetch(`${worker!.url}/connectors/eos.pg/status`)).json() as { tasks?: Array<{ details?: { phase?: string; snapshot_rows_done?: number } }> }).tasks?.[0]?.details
      const at = await eventually(details, (seen) => seen?.phase === 'streaming' || (seen?.snapshot_rows_done ?? 0) >= row, timeoutMs)
      kills.push(`in the snapshot at ${JSON.stringify(at)}`)
      worker.child.kill('SIGKILL')
      await worker.exited
      worker = await start()
      await eventually(details, (seen) => seen?.phase === 'streaming', timeoutMs)
      // The writer is held to 60% of the changes at first and let go on by a tenth after each kill,
      // so each new worker has changes to stream, however fast it catches up.
      const share = (kills: number) => Math.round(changes * (0.6 + 0.1 * kills))
      const writer = writeNumberedChanges({ url: server.url, keys: KEYS, changes, maxPerTransaction: 20, firstNumber: SEEDED + 1, random, allowed: share(0) }, SEEDED)
      for (let kill = 0; kill < KILLS; kill++) {
        // Killed only once this run has committed changes, then after a random while of streaming.
        const from = (await confirmed()) ?? 0n
        await eventually(confirmed, (position) => position! > from, timeoutMs)
        const wait = Math.floor(random() * 2_000)
        await delay(wait)
        kills.push(`after ${wait} ms, ${writer.committed} changes written`)
        worker.child.kill('SIGKILL')
        await worker.exited
        worker = await start()
        writer.allow(share(kill + 1))
      }
      writer.allow(changes)
      await writer.done
      const total = SEEDED + changes
      reader = await KafkaLog.connect({ brokers: brokers(worker), clientId: 'eos-kill-reader' })
      const tail = new CommittedTail(reader, TOPIC)
      const context = () => `seed ${seed}; kills ${kills.join('; ')}\n${worker?.stderr().slice(-3000)}`
      // A restarted task replays before it reads anything new: once the last change is in, so is any replay.
      await eventually(() => tail.readOn(), () => tail.distinct >= total, timeoutMs).catch((error: Error) => {
        throw new Error(`${error.message.slice(0, 300)}\n${context()}`)
      })
      expect(compareWithWrites(tail, writer, total), context()).toEqual({ events: total, snapshotRows: SEEDED, twice: [], missing: [], misordered: [] })
      worker.child.kill('SIGTERM')
      expect(await worker.exited, worker.stderr().slice(-3000)).toBe(0)
      worker = undefined
    }, timeoutMs * 2)
  })
}

// The embedded log is read through the worker's Kafka listener.
streamsThroughKills('the embedded log', 100_000, () => ({ env: async () => ({ TRIBUTARY_KAFKA_PORT: String(await freePort()) }), brokers: (worker) => [worker.kafkaAddress!] }), 120_000)

describe('on real Kafka', () => {
  let cluster: RealKafka
  beforeAll(async () => {
    cluster = await startRealKafka({ brokers: 1 })
  }, 300_000)
  afterAll(async () => {
    await cluster?.stop()
  })
  streamsThroughKills('a one-node real Kafka cluster', 100_000, () => ({ env: async () => ({ TRIBUTARY_LOG_BROKERS: cluster.brokers.join(',') }), brokers: () => cluster.brokers }), 150_000)
})
