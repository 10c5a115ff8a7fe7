/**
 * Exactly-once topic pipelines: on a worker with exactly-once enabled, topic-sink commits each
 * flush's output and its consumed offsets in one transaction, so a commit marker follows every batch
 * in the output, a read_committed reader sees each input record once and in order, and the group's
 * offsets reach the end of the input. With exactly-once disabled the output has no markers (the
 * at-least-once path), and a topic-sink that requires exactly-once fails visibly. On every log under test: the embedded one, and KafkaLog on the listener and on
 * real Kafka.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { isTributaryError } from '../../../core/errors.ts'
import type { StoredRecord } from '../../../core/log/log.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.ts'

let harness: WorkerHarness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const RECORDS = 600

/** Writes RECORDS keyed records over the input's two partitions (a key's all in one), in batches of 100. */
async function writeInput(worker: WorkerHarness, topic: string): Promise<string[]> {
  await worker.log.createTopic(topic, { partitions: 2 })
  const values = Array.from({ length: RECORDS }, (_, n) => JSON.stringify({ key: `k${n % 7}`, n }))
  for (let start = 0; start < RECORDS; start += 100) {
    await worker.log.append(
      topic,
      values.slice(start, start + 100).map((value, i) => ({
        key: Buffer.from(JSON.stringify(`k${(start + i) % 7}`)),
        value: Buffer.from(value),
        partition: ((start + i) % 7) % 2,
      })),
    )
  }
  return values
}

/** Everything a reader with this isolation sees in the output's only partition; none while the sink has yet to create it. */
async function readOutput(worker: WorkerHarness, topic: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<StoredRecord[]> {
  try {
    return [...(await worker.log.read(topic, 0, 0, { isolation, maxBytes: 8 << 20 })).records]
  } catch (error) {
    if (isTributaryError(error, 'TRB_TOPIC_NOT_FOUND') || (isTributaryError(error) && error.retriable)) return []
    throw error
  }
}

async function runPipeline(
  worker: WorkerHarness,
  name: string,
): Promise<{ input: string[]; committed: StoredRecord[]; highWatermark: number }> {
  const input = await writeInput(worker, `${name}.in`)
  const config = {
    'connector.class': 'topic-sink',
    topics: `${name}.in`,
    topic: `${name}.out`,
    'poll.max.records': '50',
    'exactly.once.support': 'requested',
  }
  expect((await worker.request('POST', '/connectors', { name, config })).status).toBe(201)
  // On real Kafka the first transaction waits for the cluster to make __transaction_state.
  await eventually(
    () => readOutput(worker, `${name}.out`, 'read_committed'),
    (seen) => seen.length >= input.length,
    120_000,
  )
  const group = await eventually(
    async () => (await worker.request('GET', `/groups/tributary-${name}`)).body,
    (body) => body.offsets?.length === 2 && body.offsets.every((o: { lag: number }) => o.lag === 0),
    60_000,
  )
  const inputEnds = (await worker.log.describeTopic(`${name}.in`)).partitions.map((p) => p.highWatermark)
  expect(group.offsets.map((o: { partition: number; offset: number }) => [o.partition, o.offset]).sort()).toEqual(
    inputEnds.map((end, p) => [p, end]),
  )
  const committed = await readOutput(worker, `${name}.out`, 'read_committed')
  const { partitions } = await worker.log.describeTopic(`${name}.out`)
  return { input, committed, highWatermark: partitions[0]!.highWatermark }
}

/** Each key's values in the order they came. */
function byKey(values: readonly string[]): Map<string, string[]> {
  const keys = new Map<string, string[]>()
  for (const value of values) {
    const key = (JSON.parse(value) as { key: string }).key
    keys.set(key, [...(keys.get(key) ?? []), value])
  }
  return keys
}

describe('topic-sink on a worker with exactly-once enabled', () => {
  it("commits each flush's output with its offsets in a transaction: markers follow the batches, each record is read once", async () => {
    harness = await startWorkerHarness({ exactlyOnceSourceSupport: 'enabled' })
    const { input, committed, highWatermark } = await runPipeline(harness, 'eos-pipe')
    const values = committed.map((record) => record.value!.toString())
    expect(values.length).toBe(input.length)
    expect(new Set(values)).toEqual(new Set(input))
    expect(byKey(values)).toEqual(byKey(input))
    // A transaction's commit marker takes an offset after its batch: the output's offsets have a gap
    // after each flush, and one follows the last record. Batches of at most 50 make a dozen or more.
    const markers = highWatermark - committed.length
    expect(markers).toBeGreaterThanOrEqual(RECORDS / 50)
    expect(committed.at(-1)!.offset + 1).toBeLessThan(highWatermark)
    const gaps = committed.filter((record, i) => i > 0 && record.offset !== committed[i - 1]!.offset + 1).length
    expect(gaps).toBe(markers - 1)
    // Nothing was aborted: a read_uncommitted reader sees the same records.
    expect((await readOutput(harness, 'eos-pipe.out', 'read_uncommitted')).map((record) => record.offset)).toEqual(
      committed.map((record) => record.offset),
    )
  })

  it('fails a topic-sink that requires exactly-once on a worker that writes at least once', async () => {
    harness = await startWorkerHarness({ exactlyOnceSourceSupport: 'disabled' })
    const config = {
      'connector.class': 'topic-sink',
      topics: 'strict.in',
      topic: 'strict.out',
      'exactly.once.support': 'required',
      'restart.max.attempts': '0',
    }
    expect((await harness.request('POST', '/connectors', { name: 'strict', config })).status).toBe(201)
    const status = await eventually(
      () => harness!.request('GET', '/connectors/strict/status'),
      (answer) => answer.body?.tasks?.[0]?.state === 'FAILED',
    )
    expect(status.body.tasks[0].trace).toContain('exactly.once.support=required')
  })

  it('writes without transactions when exactly-once is disabled (at least once, no markers)', async () => {
    harness = await startWorkerHarness({ exactlyOnceSourceSupport: 'disabled' })
    const { input, committed, highWatermark } = await runPipeline(harness, 'alo-pipe')
    expect(byKey(committed.map((record) => record.value!.toString()))).toEqual(byKey(input))
    expect(highWatermark).toBe(committed.length)
  })
})
