/**
 * DeleteRecords on the embedded engine, beyond what the Log suite can see through the seam: a log
 * start offset inside a segment, kept across a restart in its own file, whole segments below it
 * removed, the batch that straddles it hidden from reads, and retention and compaction keeping to it.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { StoredRecord } from '../../../core/log/log.ts'
import { decodeBatchRecords, readBatchHeader } from '../../../core/log/record-batch.ts'
import { manualClockLogPerTest } from '../../support/manual-clock-log.ts'

const subject = manualClockLogPerTest()
const partitionDir = (topic: string) => path.join(subject.dataDir, 'topics', topic, '0')
const segmentFiles = (topic: string) =>
  fs
    .readdirSync(partitionDir(topic))
    .filter((name) => name.endsWith('.log'))
    .sort()

/** `count` records of 100 bytes, one batch each, numbered from `from`. */
async function appendNumbered(topic: string, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++)
    await subject.log.append(topic, [{ key: Buffer.from(String(i)), value: Buffer.alloc(100, i), timestamp: subject.clock.now() }])
}

describe('DeleteRecords on the embedded log', () => {
  it('moves the start inside a segment, removes the segments below it and keeps it across a restart', async () => {
    await subject.log.createTopic('t', { 'segment.bytes': 2048 })
    await appendNumbered('t', 0, 60)
    const before = segmentFiles('t')
    expect(before.length).toBeGreaterThan(3)
    const secondBase = Number(before[1]!.slice(0, 20))
    const thirdBase = Number(before[2]!.slice(0, 20))
    // Inside the second segment: the first goes, the second stays with its earlier records hidden.
    const inside = secondBase + 2
    expect(inside).toBeLessThan(thirdBase)
    expect(await subject.log.deleteRecords('t', 0, inside)).toBe(inside)
    expect(segmentFiles('t')).toEqual(before.slice(1))
    expect(await subject.log.listOffset('t', 0, 'earliest')).toBe(inside)
    expect((await subject.log.describeTopic('t')).partitions[0]!.logStartOffset).toBe(inside)
    await expect(subject.log.read('t', 0, inside - 1)).rejects.toMatchObject({
      code: 'TRB_LOG_OFFSET_OUT_OF_RANGE',
      details: { logStartOffset: inside },
    })
    expect((await subject.log.read('t', 0, inside, { maxBytes: 1 })).records.map((r) => r.offset)).toEqual([inside])
    // A timestamp before every record answers the new start, not a deleted record.
    expect(await subject.log.listOffset('t', 0, { timestamp: 0 })).toBe(inside)

    // Never back: an earlier offset leaves the start where it is.
    expect(await subject.log.deleteRecords('t', 0, 3)).toBe(inside)

    await subject.reopen()
    expect(await subject.log.listOffset('t', 0, 'earliest')).toBe(inside)
    await expect(subject.log.read('t', 0, inside - 1)).rejects.toMatchObject({ code: 'TRB_LOG_OFFSET_OUT_OF_RANGE' })
    expect(await subject.log.listOffset('t', 0, 'latest')).toBe(60)
  })

  it('hides the records of a straddling batch below the start, while the raw fetch path sends the whole batch', async () => {
    await subject.log.createTopic('t')
    await subject.log.append(
      't',
      Array.from({ length: 10 }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`) })),
    )
    expect(await subject.log.deleteRecords('t', 0, 4)).toBe(4)
    const read = await subject.log.read('t', 0, 4)
    expect(read.records.map((r) => r.value!.toString())).toEqual(['v4', 'v5', 'v6', 'v7', 'v8', 'v9'])
    expect(read.logStartOffset).toBe(4)
    // Kafka sends the batch as stored and its consumers skip the offsets below their fetch position.
    const raw = await subject.log.readBatches('t', 0, 4)
    expect(raw.batches.map((b) => readBatchHeader(b, 0).baseOffset)).toEqual([0])
    expect(raw.logStartOffset).toBe(4)
  })

  it('takes -1 as the high watermark, refuses offsets past it and topics that only compact', async () => {
    await subject.log.createTopic('t')
    await appendNumbered('t', 0, 5)
    await expect(subject.log.deleteRecords('t', 0, 6)).rejects.toMatchObject({ code: 'TRB_LOG_OFFSET_OUT_OF_RANGE' })
    await expect(subject.log.deleteRecords('t', 0, -2)).rejects.toMatchObject({ code: 'TRB_LOG_OFFSET_OUT_OF_RANGE' })
    await expect(subject.log.deleteRecords('t', 1, 0)).rejects.toMatchObject({ code: 'TRB_TOPIC_NOT_FOUND' })
    expect(await subject.log.deleteRecords('t', 0, -1)).toBe(5)
    expect((await subject.log.read('t', 0, 5)).records).toEqual([])
    await appendNumbered('t', 5, 2)
    expect((await subject.log.read('t', 0, 5)).records.map((r) => r.key!.toString())).toEqual(['5', '6'])

    await subject.log.createTopic('c', { 'cleanup.policy': 'compact' })
    await subject.log.append('c', [{ key: Buffer.from('k'), value: Buffer.from('v') }])
    await expect(subject.log.deleteRecords('c', 0, 1)).rejects.toMatchObject({ code: 'TRB_LOG_POLICY_VIOLATION' })
    await subject.log.createTopic('cd', { 'cleanup.policy': 'compact,delete' })
    await subject.log.append('cd', [{ key: Buffer.from('k'), value: Buffer.from('v') }])
    expect(await subject.log.deleteRecords('cd', 0, 1)).toBe(1)
  })

  it('leaves to retention a segment that was active when the records were deleted', async () => {
    await subject.log.createTopic('t', { 'segment.ms': 60_000, 'retention.ms': -1 })
    await appendNumbered('t', 0, 5)
    expect(await subject.log.deleteRecords('t', 0, -1)).toBe(5)
    expect(segmentFiles('t')).toHaveLength(1)
    // The next append rolls by age: the segment of 0..4 is closed now, and wholly below the start.
    await subject.clock.advance(61_000)
    await appendNumbered('t', 5, 1)
    expect(segmentFiles('t')).toHaveLength(2)
    const report = await subject.log.runMaintenance()
    expect(report.deletedSegments).toBe(1)
    expect(segmentFiles('t')).toEqual([`${'5'.padStart(20, '0')}.log`])
    expect(await subject.log.listOffset('t', 0, 'earliest')).toBe(5)
    expect((await subject.log.read('t', 0, 5)).records.map((r) => r.key!.toString())).toEqual(['5'])
  })

  it('never copies records below the start when compacting', async () => {
    await subject.log.createTopic('cd', {
      'cleanup.policy': 'compact,delete',
      'segment.bytes': 1024,
      'retention.ms': -1,
      'min.cleanable.dirty.ratio': 0,
    })
    // One batch of ten distinct keys, which compaction alone would keep whole; then enough to roll.
    await subject.log.append(
      'cd',
      Array.from({ length: 10 }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.alloc(50, i), timestamp: subject.clock.now() })),
    )
    for (let i = 0; i < 20; i++)
      await subject.log.append('cd', [{ key: Buffer.from(`z${i}`), value: Buffer.alloc(80), timestamp: subject.clock.now() }])
    expect(await subject.log.deleteRecords('cd', 0, 5)).toBe(5)
    const report = await subject.log.runMaintenance()
    expect(report.compacted).toHaveLength(1)
    expect(await subject.log.listOffset('cd', 0, 'earliest')).toBe(5)
    const raw = await subject.log.readBatches('cd', 0, 5)
    const stored: StoredRecord[] = []
    decodeBatchRecords(raw.batches[0]!, 'cd', 0, 0, stored)
    expect(stored.map((r) => r.offset)).toEqual([5, 6, 7, 8, 9])
    expect((await subject.log.read('cd', 0, 5)).records.map((r) => r.key!.toString()).slice(0, 5)).toEqual(['k5', 'k6', 'k7', 'k8', 'k9'])
  })
})
