/**
 * The crash test of an exactly-once topic pipeline: a worker process runs topic-sink from an input
 * topic of 20,000 keyed records to an output topic, and is killed with SIGKILL at random points of
 * the stream (no flush, no commit, a transaction possibly half written) several times, each time
 * restarted on the same data directory; more input arrives after each kill. Between kills the log must agree with itself: the output's
 * committed records are exactly those the group's committed offsets account for. At the end a
 * read_committed reader finds every input record in the output exactly once, and each key's records
 * in the input's order.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import type { StoredRecord } from '../../../core/log/log.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'
import { spawnWorker, type WorkerProcess } from '../../support/worker-process.ts'

const RECORDS = 20_000
const KEYS = 97
const INPUT = 'changes'
const OUTPUT = 'changes.processed'
const CONNECTOR = 'pipe'
const KILLS = 4

let dir: { path: string; remove: () => Promise<void> }
beforeEach(async () => {
  dir = await makeTempDir('tributary-topic-sink-crash-')
})
afterEach(async () => {
  await dir.remove()
})

async function withLog<T>(dataDir: string, use: (log: EmbeddedLog) => Promise<T>): Promise<T> {
  const log = await EmbeddedLog.open({ dataDir, maintenanceIntervalMs: 0 })
  try {
    return await use(log)
  } finally {
    await log.close()
  }
}

/** Input records [from, to), keyed so each key's records share a partition (murmur2), in batches as a source would append them. */
async function writeInput(log: EmbeddedLog, from: number, to: number): Promise<void> {
  if (!(await log.listTopics()).includes(INPUT)) await log.createTopic(INPUT, { partitions: 4 })
  for (let start = from; start < to; start += 500) {
    await log.append(INPUT, Array.from({ length: Math.min(500, to - start) }, (_, i) => {
      const n = start + i
      return { key: Buffer.from(JSON.stringify(`key-${n % KEYS}`)), value: Buffer.from(JSON.stringify({ key: `key-${n % KEYS}`, n })) }
    }))
  }
}

/** Every record of the topic a read_committed reader sees, partition by partition. */
async function readCommitted(log: EmbeddedLog, topic: string): Promise<StoredRecord[]> {
  const out: StoredRecord[] = []
  for (const { partition } of (await log.describeTopic(topic)).partitions) {
    for (let offset = 0; ;) {
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
  const body = await response.json() as { offsets?: Array<{ offset: number }> }
  return (body.offsets ?? []).reduce((sum, { offset }) => sum + offset, 0)
}

/** The output's committed records and the group's committed offsets, read from the data directory of a dead worker. */
async function crashState(dataDir: string): Promise<{ output: StoredRecord[]; consumed: number }> {
  return withLog(dataDir, async (log) => {
    const output = (await log.listTopics()).includes(OUTPUT) ? await readCommitted(log, OUTPUT) : []
    const group = await log.describeGroup(`tributary-${CONNECTOR}`).catch(() => ({ offsets: [] }))
    return { output, consumed: group.offsets.reduce((sum, { offset }) => sum + offset, 0) }
  })
}

/** A worker with no pipelines of its own (the connector is made over REST and kept in its config topic). */
const startWorker = (): Promise<WorkerProcess> =>
  spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, 'data'), { TRIBUTARY_EXACTLY_ONCE_SOURCE_SUPPORT: 'enabled', TRIBUTARY_LOG_LEVEL: 'error' })

describe('topic-sink on a worker killed with SIGKILL at random points', () => {
  it('holds every input record exactly once in the output, in input order per key', async () => {
    const dataDir = path.join(dir.path, 'data')
    fs.mkdirSync(path.join(dir.path, 'config'))
    // 12,000 records first, then 2,000 more after each kill.
    const written = (round: number): number => RECORDS - (KILLS - round) * 2000
    await withLog(dataDir, (log) => writeInput(log, 0, written(0)))
    // Random kill points, growing, each somewhere in its own stretch of the stream.
    const targets = Array.from({ length: KILLS }, (_, round) => Math.floor(RECORDS * (0.05 + (round + Math.random() * 0.8) * (0.85 / KILLS))))
    const kills: Array<{ target: number; written: number; seen: number; consumed: number; output: number }> = []
    for (const [round, target] of targets.entries()) {
      const worker = await startWorker()
      if (round === 0) {
        const created = await fetch(`${worker.url}/connectors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
          name: CONNECTOR,
          config: { 'connector.class': 'topic-sink', topics: INPUT, topic: OUTPUT, 'poll.max.records': '150', 'topic.creation.default.partitions': '3', 'exactly.once.support': 'required' },
        }) })
        expect(created.status).toBe(201)
      }
      const seen = await eventually(() => committedCount(worker), (count) => count >= target, 60_000)
      worker.child.kill('SIGKILL')
      await worker.exited
      // What the log holds after the crash (its recovery completes a transaction the coordinator had
      // decided): the output's committed records are exactly the consumed ones, none twice.
      const { output, consumed } = await crashState(dataDir)
      kills.push({ target, written: written(round), seen, consumed, output: output.length })
      expect(output.length, JSON.stringify(kills)).toBe(consumed)
      expect(new Set(output.map((record) => record.value!.toString())).size).toBe(output.length)
      await withLog(dataDir, (log) => writeInput(log, written(round), written(round + 1)))
    }
    // Every kill landed mid-stream.
    expect(kills.every(({ consumed, written }) => consumed > 0 && consumed < written), JSON.stringify(kills)).toBe(true)

    const final = await startWorker()
    try {
      await eventually(() => committedCount(final), (count) => count === RECORDS, 60_000)
    } finally {
      final.child.kill('SIGTERM')
      expect(await final.exited, final.stderr().slice(-3000)).toBe(0)
    }
    const { output, consumed } = await crashState(dataDir)
    expect(consumed).toBe(RECORDS)
    const values = output.map((record) => JSON.parse(record.value!.toString()) as { key: string; n: number })
    expect(values.length).toBe(RECORDS)
    expect(new Set(values.map(({ n }) => n)).size).toBe(RECORDS)
    // A key's records are in one output partition, in the order the input had them.
    const byKey = new Map<string, number[]>()
    for (const { key, n } of values) byKey.set(key, [...(byKey.get(key) ?? []), n])
    for (const [key, numbers] of byKey) expect(numbers, key).toEqual([...numbers].sort((a, b) => a - b))
    expect(byKey.size).toBe(KEYS)
  }, 120_000)
})
