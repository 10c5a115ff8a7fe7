/**
 * Exactly-once postgres-cdc through crashes: a worker with exactly-once sources streams a table's
 * changes into a topic while a writer makes 100,000 numbered changes (inserts and updates over
 * 2,000 keys, in transactions of 1 to 20 changes), and the worker is SIGKILLed at random points
 * four times and started again on its data directory. Once it has caught up, a read_committed
 * reader must find the snapshot's rows and every change exactly once, each key's changes in the
 * order they committed. On the embedded log, and on a one-node real Kafka cluster.
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

    it(`holds the snapshot and ${changes.toLocaleString('en')} changes exactly once, in commit order per key, across ${KILLS} SIGKILLs`, async () => {
      const seed = Date.now()
      const random = seededRandom(seed)
      const { env, brokers } = logUnderTest()
      await seedItems(server.url, SEEDED)
      const configDir = path.join(dir.path, 'config')
      const dataDir = path.join(dir.path, 'data')
      writePipelineFile(configDir, 'eos', [
        `topic: { name: ${TOPIC}, partitions: 3 }`,
        'sources:',
        `  - { id: pg, type: postgres-cdc, with: { url: "${server.url}", topic: { prefix: eos }, tables: [public.items], slot: ${SLOT} } }`,
      ])
      const start = async () => spawnWorker(configDir, dataDir, { ...(await env()), TRIBUTARY_EXACTLY_ONCE_SOURCE_SUPPORT: 'enabled' })
      worker = await start()
      // The snapshot is read as of the slot's creation: changes start after it, so none is in it.
      await eventually(confirmed, (position) => position !== undefined, 60_000)
      const writer = writeNumberedChanges({ url: server.url, keys: KEYS, changes, maxPerTransaction: 20, firstNumber: SEEDED + 1, random }, SEEDED)
      const kills: string[] = []
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
      }
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
