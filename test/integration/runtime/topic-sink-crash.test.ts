/**
 * The crash test of an exactly-once topic pipeline: a worker process runs topic-sink from an input
 * topic of keyed records to an output topic, and is killed with SIGKILL at random points of the
 * stream (no flush, no commit, a transaction possibly half written) several times, each time
 * restarted; more input arrives after each kill. Between kills the log must agree with itself: the
 * output's committed records are exactly those the group's committed offsets account for. At the end
 * a read_committed reader finds every input record in the output exactly once, and each key's records
 * in the input's order.
 *
 * It runs twice, with the same checks. On the embedded log the worker keeps its topics in its data
 * directory, which the test opens between kills (the log's recovery completes a transaction the
 * coordinator had decided). On a real Kafka cluster (one KRaft node, started once for the file;
 * replication is tested by real-kafka-workers) the worker is given TRIBUTARY_LOG_BROKERS and the test
 * reads the cluster with KafkaLog. There the coordinator writes a decided transaction's markers
 * after the worker is gone, one partition at a time, so the output and the group's offsets may
 * disagree for a moment after a kill: the check waits up to ten seconds for them to agree before it
 * fails. The Kafka variant has fewer records (12,000 rather than 20,000; four kills on both): every
 * flush is a round of transaction calls to a broker's JVM sharing the two cores, and the cluster
 * takes its own start, so the file stays within about three minutes (about a minute each).
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { KafkaLog } from '../../../core/kafka/kafka-log.ts'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import type { Log, StoredRecord } from '../../../core/log/log.ts'
import { startRealKafka, type RealKafka } from '../../support/real-kafka.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'
import { spawnWorker, type WorkerProcess } from '../../support/worker-process.ts'

const KEYS = 97
const INPUT = 'changes'
const OUTPUT = 'changes.processed'
const CONNECTOR = 'pipe'

/** Where the worker keeps its topics, and how the test reaches them. */
interface WorkerLog {
  readonly name: string
  /** Input records in all; about 60 % at first, the rest in equal parts after each kill. */
  readonly records: number
  readonly kills: number
  /** How long the output and the group's offsets may take to agree after a kill. */
  readonly settleMs: number
  /** How long a started worker may take to commit what it is waited for. */
  readonly progressMs: number
  readonly testTimeoutMs: number
  /** The worker's environment for this log. */
  env(): Record<string, string>
  /** Runs `use` on the worker's log, opened as the test sees it, while no worker runs. */
  withLog<T>(dataDir: string, use: (log: Log) => Promise<T>): Promise<T>
  beforeAll?(): Promise<void>
  afterAll?(): Promise<void>
}

const embedded: WorkerLog = {
  name: 'embedded',
  records: 20_000,
  kills: 4,
  settleMs: 0,
  progressMs: 60_000,
  testTimeoutMs: 120_000,
  env: () => ({}),
  async withLog(dataDir, use) {
    const log = await EmbeddedLog.open({ dataDir, maintenanceIntervalMs: 0 })
    try {
      return await use(log)
    } finally {
      await log.close()
    }
  },
}

let cluster: RealKafka | undefined
let reader: KafkaLog | undefined
const realKafka: WorkerLog = {
  name: 'real Kafka',
  records: 12_000,
  kills: 4,
  settleMs: 10_000,
  progressMs: 90_000,
  testTimeoutMs: 150_000,
  env: () => ({ TRIBUTARY_LOG_BROKERS: cluster!.brokers.join(',') }),
  withLog: (_dataDir, use) => use(reader!),
  async beforeAll() {
    cluster = await startRealKafka({ brokers: 1 })
    reader = await KafkaLog.connect({ brokers: cluster.brokers, clientId: 'test-reader' })
  },
  async afterAll() {
    await reader?.close()
    await cluster?.stop()
  },
}

/** Input records [from, to), keyed so each key's records share a partition (murmur2), in batches as a source would append them. */
async function writeInput(log: Log, from: number, to: number): Promise<void> {
  if (!(await log.listTopics()).includes(INPUT)) await log.createTopic(INPUT, { partitions: 4 })
  for (let start = from; start < to; start += 500) {
    await log.append(
      INPUT,
      Array.from({ length: Math.min(500, to - start) }, (_, i) => {
        const n = start + i
        return { key: Buffer.from(JSON.stringify(`key-${n % KEYS}`)), value: Buffer.from(JSON.stringify({ key: `key-${n % KEYS}`, n })) }
      }),
    )
  }
}

/** Every record of the topic a read_committed reader sees, partition by partition. */
async function readCommitted(log: Log, topic: string): Promise<StoredRecord[]> {
  const out: StoredRecord[] = []
  for (const { partition } of (await log.describeTopic(topic)).partitions) {
    for (let offset = 0; ; ) {
      const read = await log.read(topic, partition, offset, { isolation: 'read_committed', maxBytes: 4 << 20 })
      out.push(...read.records)
      if (read.nextOffset >= read.lastStableOffset || read.nextOffset === offset) break
      offset = read.nextOffset
    }
  }
  return out
}

/** How many input records the sink's group has committed, as the worker reports it; 0 before it has any. */
async function committedCount(worker: WorkerProcess): Promise<number> {
  const response = await fetch(`${worker.url}/groups/tributary-${CONNECTOR}`)
  if (response.status !== 200) return 0
  const body = (await response.json()) as { offsets?: Array<{ offset: number }> }
  return (body.offsets ?? []).reduce((sum, { offset }) => sum + offset, 0)
}

/** The output's committed records and the group's committed offsets, read while no worker runs. */
async function readState(log: Log): Promise<{ output: StoredRecord[]; consumed: number }> {
  const output = (await log.listTopics()).includes(OUTPUT) ? await readCommitted(log, OUTPUT) : []
  const group = await log.describeGroup(`tributary-${CONNECTOR}`).catch(() => ({ offsets: [] }))
  return { output, consumed: group.offsets.reduce((sum, { offset }) => sum + offset, 0) }
}

/**
 * readState again until the output's count and the consumed offsets agree, or `settleMs` passes; the
 * last state read, and how many reads it took (the kills' summary shows it: 1 when they agreed at once).
 */
async function settledState(log: Log, settleMs: number): Promise<{ output: StoredRecord[]; consumed: number; reads: number }> {
  const deadline = Date.now() + settleMs
  for (let reads = 1; ; reads++) {
    const state = await readState(log)
    if (state.output.length === state.consumed || Date.now() >= deadline) return { ...state, reads }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe.each([embedded, realKafka])('topic-sink on a worker killed with SIGKILL at random points, log $name', (workerLog) => {
  const { records: RECORDS, kills: KILLS } = workerLog
  let dir: { path: string; remove: () => Promise<void> }
  beforeAll(async () => workerLog.beforeAll?.(), 120_000)
  afterAll(async () => workerLog.afterAll?.())
  beforeEach(async () => {
    dir = await makeTempDir('tributary-topic-sink-crash-')
  })
  afterEach(async () => {
    await dir.remove()
  })

  /** A worker with no pipelines of its own (the connector is made over REST and kept in its config topic). */
  const startWorker = (): Promise<WorkerProcess> =>
    spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, 'data'), {
      TRIBUTARY_EXACTLY_ONCE_SOURCE_SUPPORT: 'enabled',
      TRIBUTARY_LOG_LEVEL: 'error',
      ...workerLog.env(),
    })

  it(
    'holds every input record exactly once in the output, in input order per key',
    async () => {
      const dataDir = path.join(dir.path, 'data')
      fs.mkdirSync(path.join(dir.path, 'config'))
      const withLog = <T>(use: (log: Log) => Promise<T>): Promise<T> => workerLog.withLog(dataDir, use)
      // About 60 % of the records first, then an equal part more after each kill.
      const step = Math.floor((RECORDS * 0.4) / KILLS)
      const written = (round: number): number => RECORDS - (KILLS - round) * step
      await withLog((log) => writeInput(log, 0, written(0)))
      // Random kill points, growing, each somewhere in its own stretch of the stream.
      const targets = Array.from({ length: KILLS }, (_, round) =>
        Math.floor(RECORDS * (0.05 + (round + Math.random() * 0.8) * (0.85 / KILLS))),
      )
      const kills: Array<{ target: number; written: number; seen: number; consumed: number; output: number; reads: number }> = []
      for (const [round, target] of targets.entries()) {
        const worker = await startWorker()
        if (round === 0) {
          const created = await fetch(`${worker.url}/connectors`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              name: CONNECTOR,
              config: {
                'connector.class': 'topic-sink',
                topics: INPUT,
                topic: OUTPUT,
                'poll.max.records': '150',
                'topic.creation.default.partitions': '3',
                'exactly.once.support': 'required',
              },
            }),
          })
          expect(created.status).toBe(201)
        }
        const seen = await eventually(
          () => committedCount(worker),
          (count) => count >= target,
          workerLog.progressMs,
        )
        worker.child.kill('SIGKILL')
        await worker.exited
        // What the log holds after the crash: the output's committed records are exactly the
        // consumed ones, none twice.
        const { output, consumed, reads } = await withLog((log) => settledState(log, workerLog.settleMs))
        kills.push({ target, written: written(round), seen, consumed, output: output.length, reads })
        expect(output.length, JSON.stringify(kills)).toBe(consumed)
        expect(new Set(output.map((record) => record.value!.toString())).size).toBe(output.length)
        await withLog((log) => writeInput(log, written(round), written(round + 1)))
      }
      // Every kill landed mid-stream.
      expect(
        kills.every(({ consumed, written }) => consumed > 0 && consumed < written),
        JSON.stringify(kills),
      ).toBe(true)

      const final = await startWorker()
      try {
        await eventually(
          () => committedCount(final),
          (count) => count === RECORDS,
          workerLog.progressMs,
        )
      } finally {
        final.child.kill('SIGTERM')
        expect(await final.exited, final.stderr().slice(-3000)).toBe(0)
      }
      const { output, consumed } = await withLog(readState)
      expect(consumed).toBe(RECORDS)
      const values = output.map((record) => JSON.parse(record.value!.toString()) as { key: string; n: number })
      expect(values.length).toBe(RECORDS)
      expect(new Set(values.map(({ n }) => n)).size).toBe(RECORDS)
      // A key's records are in one output partition, in the order the input had them.
      const byKey = new Map<string, number[]>()
      for (const { key, n } of values) byKey.set(key, [...(byKey.get(key) ?? []), n])
      for (const [key, numbers] of byKey) expect(numbers, key).toEqual([...numbers].sort((a, b) => a - b))
      expect(byKey.size).toBe(KEYS)
      process.stderr.write(`topic-sink crash on ${workerLog.name}: ${JSON.stringify(kills)}\n`)
    },
    workerLog.testTimeoutMs,
  )
})
