/**
 * The exactly-once CDC kill run both CDC sources' tests make: a worker (a real `tributary run`) with
 * exactly-once sources snapshots the seeded items table (numbered-changes.ts) and is SIGKILLed at a
 * random row of the snapshot; started again on its data directory, it finishes the snapshot and
 * streams the numbered changes into a topic, and is SIGKILLed at random points `kills` more times.
 * Once it has caught up, a read_committed reader must find each snapshot row and every change
 * exactly once, each key's changes in the order they committed. The writer starts once the snapshot
 * is done: a snapshot resumed after a crash reads the table as it is then, not as of the stream's
 * start, so rows changed meanwhile would be read and streamed both. Runs on the embedded log and on
 * a one-node real Kafka cluster.
 */
import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { KafkaLog } from '../../core/kafka/kafka-log.ts'
import { freePort } from './free-port.ts'
import { seededRandom, writeNumberedChanges, type ItemsConnection } from './numbered-changes.ts'
import { CommittedTail, compareWithWrites } from './numbered-changes-topic.ts'
import { startRealKafka, type RealKafka } from './real-kafka.ts'
import { eventually } from './worker-harness.ts'
import { spawnWorker, type WorkerProcess } from './worker-process.ts'

export interface LogUnderTest {
  /** The worker's environment for each start. */
  readonly env: () => Promise<Record<string, string>>
  readonly brokers: (worker: WorkerProcess) => string[]
}

/** Keys the writer changes; keys 1..SEEDED exist before the worker starts (the snapshot reads them). */
export const KEYS = 2_000
export const SEEDED = 1_000
/** Kills while streaming, after the one in the snapshot. */
export const KILLS = 4

/** What a run has open, for the test's afterEach to end (endKillRun) should it fail. */
export interface KillRunState {
  worker?: WorkerProcess | undefined
  reader?: KafkaLog | undefined
}

/** Kills the worker a run left and closes its reader. */
export async function endKillRun(state: KillRunState): Promise<void> {
  state.worker?.child.kill('SIGKILL')
  await state.worker?.exited
  await state.reader?.close()
  state.worker = undefined
  state.reader = undefined
}

export interface KillRunOptions {
  readonly log: LogUnderTest
  readonly configDir: string
  readonly dataDir: string
  /** The connector's name, for its status (its task's details say phase and snapshot_rows_done). */
  readonly connector: string
  readonly topic: string
  readonly changes: number
  readonly items: () => Promise<ItemsConnection>
  /** How far the source's committed position is (undefined before there is one): it moves once a run commits changes. */
  readonly position: (worker: WorkerProcess) => Promise<unknown>
  readonly timeoutMs: number
}

/** Runs the kills and the check; `state` holds what is open meanwhile. */
export async function streamThroughKills(state: KillRunState, options: KillRunOptions): Promise<void> {
  const { log, connector, timeoutMs, changes } = options
  const seeded = SEEDED
  // TRB_TEST_SEED replays a failed run's writes and kill delays (its message names the seed).
  const seed = Number(process.env.TRB_TEST_SEED) || Date.now()
  const random = seededRandom(seed)
  const start = async () =>
    spawnWorker(options.configDir, options.dataDir, { ...(await log.env()), TRIBUTARY_EXACTLY_ONCE_SOURCE_SUPPORT: 'enabled' })
  const restart = async () => {
    await endKillRun(state)
    state.worker = await start()
  }
  state.worker = await start()
  const kills: string[] = []
  // Killed at a random row of the snapshot (or just after it, should it end first). The status
  // says streaming once the snapshot is read.
  const row = Math.floor(seeded * (0.1 + random() * 0.8))
  const details = async () =>
    (
      (await (await fetch(`${state.worker!.url}/connectors/${connector}/status`)).json()) as {
        tasks?: Array<{ details?: { phase?: string; snapshot_rows_done?: number } }>
      }
    ).tasks?.[0]?.details
  const at = await eventually(details, (seen) => seen?.phase === 'streaming' || (seen?.snapshot_rows_done ?? 0) >= row, timeoutMs)
  kills.push(`in the snapshot at ${JSON.stringify(at)}`)
  await restart()
  await eventually(details, (seen) => seen?.phase === 'streaming', timeoutMs)
  // The writer is held to 60% of the changes at first and let go on by a tenth after each kill,
  // so each new worker has changes to stream, however fast it catches up.
  const share = (kills: number) => Math.round(changes * Math.min(1, 0.6 + 0.1 * kills))
  const writer = writeNumberedChanges(
    { connect: options.items, keys: KEYS, changes, maxPerTransaction: 20, firstNumber: seeded + 1, random, allowed: share(0) },
    seeded,
  )
  for (let kill = 0; kill < KILLS; kill++) {
    // Killed only once this run has committed changes, then after a random while of streaming.
    const from = JSON.stringify(await options.position(state.worker))
    await eventually(
      () => options.position(state.worker!),
      (position) => position !== undefined && JSON.stringify(position) !== from,
      timeoutMs,
    )
    const wait = Math.floor(random() * 2_000)
    await delay(wait)
    kills.push(`after ${wait} ms, ${writer.committed} changes written`)
    await restart()
    writer.allow(share(kill + 1))
  }
  writer.allow(changes)
  await writer.done
  const total = seeded + changes
  state.reader = await KafkaLog.connect({ brokers: log.brokers(state.worker), clientId: 'eos-kill-reader' })
  const tail = new CommittedTail(state.reader, options.topic)
  const context = () => `seed ${seed}; kills ${kills.join('; ')}\n${state.worker?.stderr().slice(-3000)}`
  // A restarted task replays before it reads anything new: once the last change is in, so is any replay.
  await eventually(
    () => tail.readOn(),
    () => tail.distinct >= total,
    timeoutMs,
  ).catch((error: Error) => {
    throw new Error(`${error.message.slice(0, 300)}\n${context()}`)
  })
  expect(compareWithWrites(tail, writer, total), context()).toEqual({
    events: total,
    snapshotRows: seeded,
    twice: [],
    missing: [],
    misordered: [],
  })
  state.worker.child.kill('SIGTERM')
  expect(await state.worker.exited, state.worker.stderr().slice(-3000)).toBe(0)
  state.worker = undefined
}

/** Registers `suite` on the embedded log (read through the worker's Kafka listener) and on a one-node real Kafka cluster. */
type KillSuite = (name: string, log: () => LogUnderTest, timeoutMs: number) => void

/** The suite on the worker's embedded log, read through its listener. */
export function onEmbeddedLog(suite: KillSuite, timeoutMs: number): void {
  suite(
    'the embedded log',
    () => ({ env: async () => ({ TRIBUTARY_KAFKA_PORT: String(await freePort()) }), brokers: (worker) => [worker.kafkaAddress!] }),
    timeoutMs,
  )
}

export function onEmbeddedLogAndRealKafka(suite: KillSuite, timeoutMs: { embedded: number; realKafka: number }): void {
  onEmbeddedLog(suite, timeoutMs.embedded)
  describe('on real Kafka', () => {
    let cluster: RealKafka
    beforeAll(async () => {
      cluster = await startRealKafka({ brokers: 1 })
    }, 300_000)
    afterAll(async () => {
      await cluster?.stop()
    })
    suite(
      'a one-node real Kafka cluster',
      () => ({ env: async () => ({ TRIBUTARY_LOG_BROKERS: cluster.brokers.join(',') }), brokers: () => cluster.brokers }),
      timeoutMs.realKafka,
    )
  })
}
