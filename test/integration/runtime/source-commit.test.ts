import { setImmediate } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { TributaryError } from '../../../core/errors.ts'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import type { Log } from '../../../core/log/log.ts'
import {
  definePlugin,
  type CommittedRecord,
  type ConnectorPlugin,
  type SourceRecord,
  type SourceTask,
} from '../../../core/runtime/plugin.ts'
import { createWorker } from '../../../core/runtime/create-worker.ts'
import { MAX_GATHERED_POLLS } from '../../../core/runtime/source-transaction.ts'
import { storageTopics } from '../../../core/runtime/storage-topics.ts'
import type { Herder } from '../../../core/runtime/herder.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'

const BATCHES = 4
const PER_BATCH = 3

/** A test source plugin of one task, taking any config. */
function testSource(name: string, createTask: () => SourceTask): ConnectorPlugin {
  return definePlugin({
    kind: 'source',
    name,
    version: '0.0.0',
    description: 'test source',
    config: z.record(z.string(), z.unknown()),
    taskConfigs: (config) => [config],
    createTask,
  })
}

/** A source that hands out `batches` polls of records, then nothing; it keeps what commit() receives. */
function countingSource(committed: CommittedRecord[][], batches = BATCHES): ConnectorPlugin {
  let polls = 0
  return testSource('counting-source', () => ({
    start: async () => undefined,
    stop: async () => undefined,
    poll: async (signal) => {
      if (polls >= batches) {
        // Nothing more: wait as a real source's poll does, until stopped.
        if (signal.aborted) return []
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
        return []
      }
      const batch = polls++
      return Array.from(
        { length: PER_BATCH },
        (_, i): SourceRecord => ({
          topic: 'counted',
          key: `k${batch * PER_BATCH + i}`,
          value: { n: batch * PER_BATCH + i, padding: 'x'.repeat(100) },
          sourcePartition: { stream: 'one' },
          sourceOffset: { n: batch * PER_BATCH + i },
        }),
      )
    },
    commit: async (durable) => {
      committed.push([...durable])
    },
  }))
}

/** The log with its append replaced, everything else its own. */
function withAppend(target: EmbeddedLog, append: Log['append']): EmbeddedLog {
  return new Proxy(target, {
    get(inner, property) {
      if (property === 'append') return append
      const value = Reflect.get(inner, property, inner) as unknown
      return typeof value === 'function' ? value.bind(inner) : value
    },
  })
}

let dir: Awaited<ReturnType<typeof makeTempDir>>
let log: EmbeddedLog
let worker: Herder | undefined

beforeEach(async () => {
  dir = await makeTempDir('tributary-source-commit-')
  log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
})
afterEach(async () => {
  await worker?.close()
  worker = undefined
  await log.close()
  await dir.remove()
})

describe('source commit', () => {
  it.each([
    ['at least once', 'disabled'],
    ['exactly once', 'enabled'],
  ] as const)(
    'hands commit() the durable batches in poll order, with where each record came from and none of its data (%s)',
    async (_, support) => {
      const committed: CommittedRecord[][] = []
      worker = await createWorker({ log, plugins: [countingSource(committed)], workerId: 'w', exactlyOnceSourceSupport: support })
      await worker.create('counter', { 'connector.class': 'counting-source' })
      await eventually(
        () => committed.flat().length,
        (n) => n === BATCHES * PER_BATCH,
      )

      expect(committed.flat().map((record) => record.sourceOffset.n)).toEqual(Array.from({ length: BATCHES * PER_BATCH }, (_, i) => i))
      // At least once, one call per poll; exactly once, one per transaction, which holds whole polls.
      if (support === 'disabled') expect(committed.map((batch) => batch.length)).toEqual(Array.from({ length: BATCHES }, () => PER_BATCH))
      else for (const batch of committed) expect(batch.length % PER_BATCH).toBe(0)
      for (const record of committed.flat()) {
        // The key and value were let go once converted: a batch waiting for the disk keeps no data.
        expect(Object.keys(record).sort()).toEqual(['sourceOffset', 'sourcePartition', 'topic'])
        expect(record).toMatchObject({ topic: 'counted', sourcePartition: { stream: 'one' } })
      }
      const stored = await log.read('counted', 0, BATCHES * PER_BATCH - 1)
      expect(stored.records.at(-1)?.value?.toString()).toContain(`"n":${BATCHES * PER_BATCH - 1}`)
    },
  )

  it('exactly once: polls that come while a transaction commits go together into the next transaction, up to MAX_GATHERED_POLLS', async () => {
    const polls = 40
    const committed: CommittedRecord[][] = []
    worker = await createWorker({ log, plugins: [countingSource(committed, polls)], workerId: 'w', exactlyOnceSourceSupport: 'enabled' })
    await worker.create('counter', { 'connector.class': 'counting-source' })
    await eventually(
      () => committed.flat().length,
      (n) => n === polls * PER_BATCH,
    )

    expect(committed.flat().map((record) => record.sourceOffset.n)).toEqual(Array.from({ length: polls * PER_BATCH }, (_, i) => i))
    // The source polls faster than a transaction's durable writes: transactions gather polls.
    expect(committed.length).toBeLessThan(polls)
    for (const batch of committed) {
      expect(batch.length % PER_BATCH).toBe(0)
      expect(batch.length).toBeLessThanOrEqual(MAX_GATHERED_POLLS * PER_BATCH)
    }
    // One commit() per transaction: each transaction left one commit marker after its records.
    const { partitions } = await log.describeTopic('counted')
    expect(partitions[0]!.highWatermark - polls * PER_BATCH).toBe(committed.length)
    const read = await log.read('counted', 0, 0, { isolation: 'read_committed', maxBytes: 8 << 20 })
    expect(read.records.map((record) => JSON.parse(record.value!.toString()).n)).toEqual(
      Array.from({ length: polls * PER_BATCH }, (_, i) => i),
    )
  })

  it('at least once: polls again at once after an empty poll, without waiting for the batches still in flight', async () => {
    // The first batch's append is held until the test lets it go.
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => (release = resolve))
    const gated = withAppend(log, async (topic, records) => {
      if (topic === 'counted' && records.some((record) => record.value?.toString().includes('"n":0'))) await held
      return log.append(topic, records)
    })
    // One record, then an empty poll (a source that read only part of a transaction, say), then another record.
    const script: Array<number | null> = [0, null, 1]
    const polled: Array<number | null> = []
    const committed: CommittedRecord[][] = []
    const partial = testSource('partial-source', () => ({
      start: async () => undefined,
      stop: async () => undefined,
      poll: async (signal) => {
        const next = script.shift()
        if (next === undefined) {
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
          return []
        }
        polled.push(next)
        if (next === null) return []
        return [{ topic: 'counted', key: null, value: { n: next }, sourcePartition: { p: 1 }, sourceOffset: { n: next } }]
      },
      commit: async (durable) => {
        committed.push([...durable])
      },
    }))
    worker = await createWorker({ log: gated, plugins: [partial], workerId: 'w', exactlyOnceSourceSupport: 'disabled' })
    await worker.create('partial', { 'connector.class': 'partial-source' })
    // The poll after the empty one comes while the first batch is still waiting for the log.
    await eventually(
      () => polled,
      (seen) => seen.length === 3,
    )
    expect(committed).toEqual([])
    release()
    await eventually(
      () => committed.flat().map((record) => record.sourceOffset.n),
      (offsets) => offsets.length === 2,
    )
    expect(committed.flat().map((record) => record.sourceOffset.n)).toEqual([0, 1])
  })

  it('at least once: a batch that fails while the source has nothing more fails the task at its next empty poll', async () => {
    let failAppend: (error: unknown) => void = () => undefined
    const held = new Promise<never>((_, reject) => (failAppend = reject))
    const failing = withAppend(log, (topic, records) => (topic === 'counted' ? held : log.append(topic, records)))
    let starts = 0
    let polls = 0
    const idle = testSource('idle-source', () => ({
      start: async () => {
        starts++
      },
      stop: async () => undefined,
      poll: async () => {
        if (polls++ === 0) return [{ topic: 'counted', key: null, value: { n: 0 }, sourcePartition: { p: 1 }, sourceOffset: { n: 0 } }]
        // Nothing more: a real source waits a while (its poll.max.ms) before answering empty.
        await new Promise((resolve) => setTimeout(resolve, 5))
        return []
      },
    }))
    worker = await createWorker({ log: failing, plugins: [idle], workerId: 'w', exactlyOnceSourceSupport: 'disabled' })
    await worker.create('idle', { 'connector.class': 'idle-source' })
    await eventually(
      () => polls,
      (n) => n >= 3,
    )
    expect(starts).toBe(1)
    failAppend(new TributaryError('TRB_LOG_INVALID_BATCH', 'refused'))
    // The task failed with it (and its supervisor started it again), though the source had nothing more to hand out.
    await eventually(
      () => starts,
      (n) => n === 2,
    )
  })

  it("keeps the task running and commit() coming when a batch's offsets cannot be stored; a later batch's offsets are", async () => {
    const committed: CommittedRecord[][] = []
    let failOffsets = false
    const flaky = withAppend(log, (topic, records) => {
      if (topic === storageTopics().offsets && failOffsets) {
        failOffsets = false
        return Promise.reject(new TributaryError('TRB_LOG_UNAVAILABLE', 'the cluster is out of reach'))
      }
      return log.append(topic, records)
    })
    // At least once: the failure comes through Log.append, which exactly-once batches do not use.
    worker = await createWorker({ log: flaky, plugins: [countingSource(committed)], workerId: 'w', exactlyOnceSourceSupport: 'disabled' })
    failOffsets = true
    await worker.create('counter', { 'connector.class': 'counting-source' })
    await eventually(
      () => committed.length,
      (n) => n === BATCHES,
    )
    expect(failOffsets).toBe(false)
    expect(committed.flat().map((record) => record.sourceOffset.n)).toEqual(Array.from({ length: BATCHES * PER_BATCH }, (_, i) => i))
    expect(worker.status('counter').tasks[0]?.state).toBe('RUNNING')
    const storedOffsets = async (): Promise<string[]> => {
      const partitions = (await log.describeTopic(storageTopics().offsets)).partitions.map((p) => p.partition)
      const reads = await Promise.all(partitions.map((partition) => log.read(storageTopics().offsets, partition, 0)))
      return reads.flatMap((read) => read.records.map((record) => record.value?.toString() ?? ''))
    }
    await eventually(storedOffsets, (values) => values.some((value) => value.includes(`"n":${BATCHES * PER_BATCH - 1}`)))
  })

  it("fails the task when a later topic of a batch is refused, and the earlier topic's append failing after that is no unhandled rejection", async () => {
    // The first topic's append is held until the test fails it, after the task has already failed.
    let failAppend: (error: unknown) => void = () => undefined
    const held = new Promise<never>((_, reject) => (failAppend = reject))
    const logged = withAppend(log, (topic, records) => (topic === 'plain' ? held : log.append(topic, records)))
    let polled = false
    const twoTopics = testSource('two-topics', () => ({
      start: async () => undefined,
      stop: async () => undefined,
      poll: async (signal) => {
        if (polled) {
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
          return []
        }
        polled = true
        const record = (topic: string): SourceRecord => ({
          topic,
          key: null,
          value: { n: 1 },
          sourcePartition: { p: 1 },
          sourceOffset: { n: 1 },
        })
        // The second topic is one of the worker's own: refused before anything is appended to it.
        return [record('plain'), record('_tributary-configs')]
      },
    }))
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      worker = await createWorker({ log: logged, plugins: [twoTopics], workerId: 'w', exactlyOnceSourceSupport: 'disabled' })
      await worker.create('two', { 'connector.class': 'two-topics' })
      await eventually(
        () => worker!.status('two').tasks[0]?.state,
        (state) => state === 'FAILED',
      )
      failAppend(new TributaryError('TRB_LOG_INVALID_BATCH', 'refused'))
      await setImmediate()
      await setImmediate()
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })
})
