/**
 * An exactly-once topic-sink with two tasks whose partitions are shared out again while they stream
 * (a third member joins their group and does a task's work once). A partition moves only once its
 * old owner has committed the transaction of its batch in hand (it reads no batch ahead, and the
 * group waits for it to rejoin), so the new owner starts from settled offsets: a read_committed
 * reader of the output sees each input record once. On every log under test.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { isTributaryError } from '../../../core/errors.ts'
import type { StoredRecord } from '../../../core/log/log.ts'
import { lastOfEachPartition } from '../../../core/runtime/sink-offset-commits.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.ts'

let harness: WorkerHarness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const RECORDS = 4000
const PARTITIONS = 4

async function readAll(worker: WorkerHarness, topic: string): Promise<StoredRecord[]> {
  const out: StoredRecord[] = []
  try {
    for (const { partition } of (await worker.log.describeTopic(topic)).partitions) {
      for (let offset = 0; ; ) {
        const read = await worker.log.read(topic, partition, offset, { isolation: 'read_committed', maxBytes: 4 << 20 })
        out.push(...read.records)
        if (read.nextOffset >= read.lastStableOffset || read.nextOffset === offset) break
        offset = read.nextOffset
      }
    }
  } catch (error) {
    if (isTributaryError(error, 'TRB_TOPIC_NOT_FOUND') || (isTributaryError(error) && error.retriable)) return []
    throw error
  }
  return out
}

describe('an exactly-once topic-sink with two tasks', () => {
  it('writes each input record once while the tasks share out the partitions', async () => {
    harness = await startWorkerHarness({ exactlyOnceSourceSupport: 'enabled' })
    await harness.log.createTopic('shared.in', { partitions: PARTITIONS })
    const produce = async (from: number, to: number): Promise<void> => {
      for (let start = from; start < to; start += 500) {
        await harness!.log.append(
          'shared.in',
          Array.from({ length: 500 }, (_, i) => ({
            key: null,
            value: Buffer.from(String(start + i)),
            partition: (start + i) % PARTITIONS,
          })),
        )
      }
    }
    // Half the input now, half once the third member holds partitions: on a quick machine the tasks
    // could otherwise finish it all before the hand-over, and the member would find nothing to take.
    await produce(0, RECORDS / 2)
    const config = { 'connector.class': 'topic-sink', topics: 'shared.in', topic: 'shared.out', 'tasks.max': '2', 'poll.max.records': '25' }
    expect((await harness.request('POST', '/connectors', { name: 'shared', config })).status).toBe(201)
    // Mid-stream a third member joins the sink's group, takes partitions from the tasks, and does a
    // task's work once: the records from where it was handed each partition, to the output, then its
    // offsets. Had a task's transaction for such a partition committed after the hand-over, its batch
    // would now be in the output twice.
    const consumed = async (): Promise<number> =>
      ((await harness!.request('GET', '/groups/tributary-shared')).body.offsets ?? []).reduce(
        (sum: number, o: { offset: number }) => sum + o.offset,
        0,
      )
    await eventually(consumed, (count) => count >= RECORDS / 4, 60_000)
    const member = await harness.log.subscribe({
      groupId: 'tributary-shared',
      topics: ['shared.in'],
      isolation: 'read_committed',
      heartbeatIntervalMs: 200,
    })
    try {
      // The first poll joins the group (the tasks give up partitions at their next poll).
      let taken = await member.poll({ maxWaitMs: 200, maxRecords: 200 })
      await produce(RECORDS / 2, RECORDS)
      if (taken.length === 0)
        taken = await eventually(
          () => member.poll({ maxWaitMs: 200, maxRecords: 200 }),
          (records) => records.length > 0,
          60_000,
        )
      await harness.log.append(
        'shared.out',
        taken.map((record) => ({ key: null, value: record.value })),
      )
      await member.commit(lastOfEachPartition(taken).map(({ topic, partition, offset }) => ({ topic, partition, offset: offset + 1 })))
    } finally {
      await member.close()
    }
    const group = await eventually(
      async () => (await harness!.request('GET', '/groups/tributary-shared')).body,
      (body) => body.offsets?.length === PARTITIONS && body.offsets.every((o: { lag: number }) => o.lag === 0),
      120_000,
    )
    expect(group.offsets.reduce((sum: number, o: { offset: number }) => sum + o.offset, 0)).toBe(RECORDS)
    const values = (await readAll(harness, 'shared.out')).map((record) => Number(record.value!.toString()))
    expect(values.length - new Set(values).size).toBe(0)
    expect(values.length).toBe(RECORDS)
  })
})
