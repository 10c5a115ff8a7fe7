/**
 * Exactly-once sources (TRIBUTARY_EXACTLY_ONCE_SOURCE_SUPPORT=enabled, Kafka Connect's KIP-618): a
 * file source's batches and their offsets go in transactions, so the topic holds each line once, a
 * commit marker follows each batch, the offsets read back after a restart resume after the last line,
 * and a connector that requires exactly-once fails visibly on a worker that runs sources at least
 * once. On every log under test: the embedded one, and KafkaLog on the listener and on real Kafka.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isTributaryError } from '../../../core/errors.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.ts'

let harness: WorkerHarness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

/** The topic's records a read_committed reader sees; none while the source has yet to create it, or its leader is new. */
async function committedValues(worker: WorkerHarness, topic: string): Promise<string[]> {
  try {
    const read = await worker.log.read(topic, 0, 0, { isolation: 'read_committed', maxBytes: 8 << 20 })
    return read.records.map((record) => record.value!.toString())
  } catch (error) {
    if (isTributaryError(error, 'TRB_TOPIC_NOT_FOUND') || (isTributaryError(error) && error.retriable)) return []
    throw error
  }
}

describe('exactly-once sources', () => {
  it('write each batch and its offsets in one transaction, and resume after a restart without a line twice', async () => {
    harness = await startWorkerHarness({ exactlyOnceSourceSupport: 'enabled' })
    const input = path.join(harness.dataDir, 'in.txt')
    const lines = Array.from({ length: 500 }, (_, i) => `line-${i}`)
    fs.writeFileSync(input, `${lines.join('\n')}\n`)
    expect(
      (
        await harness.request('POST', '/connectors', {
          name: 'eos-lines',
          config: { 'connector.class': 'file-source', file: input, topic: 'eos-lines' },
        })
      ).status,
    ).toBe(201)
    // On real Kafka the first transaction waits for the cluster to make __transaction_state.
    await eventually(
      () => committedValues(harness!, 'eos-lines'),
      (seen) => seen.length === lines.length,
      120_000,
    )
    // Each line as the JSON converter writes a string.
    expect(await committedValues(harness, 'eos-lines')).toEqual(lines.map((line) => JSON.stringify(line)))
    // Each transaction ends with a commit marker, which takes an offset of its own.
    const { partitions } = await harness.log.describeTopic('eos-lines')
    expect(partitions[0]!.highWatermark).toBeGreaterThan(lines.length)

    await harness.restart()
    const more = ['after-1', 'after-2']
    fs.appendFileSync(input, `${more.join('\n')}\n`)
    await eventually(
      () => committedValues(harness!, 'eos-lines'),
      (seen) => seen.length >= lines.length + more.length,
      120_000,
    )
    expect(await committedValues(harness, 'eos-lines')).toEqual([...lines, ...more].map((line) => JSON.stringify(line)))
  })

  it('fails a connector that requires exactly-once on a worker that runs sources at least once', async () => {
    harness = await startWorkerHarness({ exactlyOnceSourceSupport: 'disabled' })
    const input = path.join(harness.dataDir, 'in.txt')
    fs.writeFileSync(input, 'one\n')
    const config = {
      'connector.class': 'file-source',
      file: input,
      topic: 'strict',
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
})
