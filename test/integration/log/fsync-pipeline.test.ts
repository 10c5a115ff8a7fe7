/**
 * fsync mode writes the next group while the last one is being flushed. A SIGKILL cannot tell an
 * acknowledgement sent after the write from one sent after the fdatasync (the OS keeps the page
 * cache), so this watches the segment's writes and fdatasyncs instead: every acknowledged batch must
 * lie wholly below the file size at the start of an fdatasync that completed before the
 * acknowledgement, while writes do go on during fdatasyncs. After a failed fdatasync nothing more is
 * acknowledged, and a switch to async mode mid-stream keeps acknowledgements in offset order.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { Segment, type SegmentBatchMeta } from '../../../core/log/segment.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

let dir: { path: string; remove: () => Promise<void> }
let log: EmbeddedLog

beforeEach(async () => {
  dir = await makeTempDir()
  log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
})
afterEach(async () => {
  vi.restoreAllMocks()
  await log.close()
  await dir.remove()
})

interface Watch {
  /** Where each batch ends in the file, by base offset. */
  readonly endOf: Map<number, number>
  /** The file size at the start of the furthest-reaching fdatasync that has completed. */
  durableBytes(): number
  writesDuringSync(): number
  /** Times a write or fdatasync began while readers could see past durableBytes. */
  readableBeyondDurable(): number
}

function watchSegments(): Watch {
  const endOf = new Map<number, number>()
  let durable = 0
  let syncsRunning = 0
  let writesDuringSync = 0
  let readableBeyondDurable = 0
  const write = Segment.prototype.write
  const sync = Segment.prototype.sync
  vi.spyOn(Segment.prototype, 'write').mockImplementation(async function (
    this: Segment,
    batches: readonly Buffer[],
    metas: readonly SegmentBatchMeta[],
  ) {
    if (syncsRunning > 0) writesDuringSync++
    if (this.readableBytes > durable) readableBeyondDurable++
    let end = this.sizeBytes
    for (const meta of metas) {
      end += meta.sizeBytes
      endOf.set(meta.baseOffset, end)
    }
    return write.call(this, batches, metas)
  })
  vi.spyOn(Segment.prototype, 'sync').mockImplementation(async function (this: Segment) {
    const covers = this.sizeBytes
    if (this.readableBytes > durable) readableBeyondDurable++
    syncsRunning++
    try {
      // A slow disk: the writer has time to write the next groups meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 15))
      await sync.call(this)
    } finally {
      syncsRunning--
    }
    durable = Math.max(durable, covers)
  })
  return {
    endOf,
    durableBytes: () => durable,
    writesDuringSync: () => writesDuringSync,
    readableBeyondDurable: () => readableBeyondDurable,
  }
}

describe('fsync mode pipelining', () => {
  it('acknowledges a batch only after an fdatasync that began once it was written, while later groups are written meanwhile', async () => {
    await log.createTopic('p', { durability: 'fsync' })
    const watch = watchSegments()
    const value = Buffer.alloc(64 * 1024, 7)
    const late: number[] = []
    const acked: number[] = []
    // 48 appends of 4 records of 64 KiB: about 12 MiB queued at once, several groups.
    await Promise.all(
      Array.from({ length: 48 }, async () => {
        const [first] = await log.append(
          'p',
          Array.from({ length: 4 }, () => ({ key: null, value })),
        )
        const end = watch.endOf.get(first!.offset)!
        if (end > watch.durableBytes()) late.push(first!.offset)
        acked.push(first!.offset)
      }),
    )
    expect(late).toEqual([])
    expect(acked).toEqual([...acked].sort((a, b) => a - b))
    expect(watch.writesDuringSync()).toBeGreaterThan(0)
    const partition = log.partitionsOf('p')[0]!
    expect(partition.stats.writes).toBeGreaterThan(1)
    expect(partition.highWatermark).toBe(48 * 4)
  })

  it('lets readers see only what an fdatasync has covered', async () => {
    await log.createTopic('r', { durability: 'fsync' })
    const watch = watchSegments()
    const partition = log.partitionsOf('r')[0]!
    const value = Buffer.alloc(64 * 1024, 3)
    const seenBeyondDurable: number[] = []
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        const offset = (await log.append('r', [{ key: null, value }]))[0]!.offset
        if (partition.activeSegment.readableBytes > watch.durableBytes()) seenBeyondDurable.push(offset)
        const read = await log.readBatches('r', 0, offset, { maxBytes: 1 << 30 })
        const last = read.batches[read.batches.length - 1]!
        if (watch.endOf.get(Number(last.readBigInt64BE(0)))! > watch.durableBytes()) seenBeyondDurable.push(offset)
      }),
    )
    expect(seenBeyondDurable).toEqual([])
    expect(watch.readableBeyondDurable()).toBe(0)
    expect(watch.writesDuringSync()).toBeGreaterThan(0)
  })

  it('acknowledges nothing written after a failed fdatasync, though a later one would succeed', async () => {
    await log.createTopic('f', { durability: 'fsync' })
    const write = Segment.prototype.write
    const sync = Segment.prototype.sync
    let calls = 0
    // Slow writes: the third group's write ends after the first fdatasync has failed.
    vi.spyOn(Segment.prototype, 'write').mockImplementation(async function (
      this: Segment,
      batches: readonly Buffer[],
      metas: readonly SegmentBatchMeta[],
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10))
      return write.call(this, batches, metas)
    })
    vi.spyOn(Segment.prototype, 'sync').mockImplementation(async function (this: Segment) {
      await new Promise((resolve) => setTimeout(resolve, 15))
      if (++calls === 1) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })
      return sync.call(this)
    })
    const value = Buffer.alloc(64 * 1024, 5)
    const outcomes = await Promise.allSettled(Array.from({ length: 48 }, () => log.append('f', [{ key: null, value }])))
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toEqual([])
    expect(outcomes[outcomes.length - 1]).toMatchObject({ status: 'rejected', reason: { code: 'TRB_LOG_STORAGE' } })
    await expect(log.append('f', [{ key: null, value }])).rejects.toMatchObject({ code: 'TRB_LOG_STORAGE' })
  })

  it('keeps acknowledgements and the high watermark in offset order when durability turns async mid-stream', async () => {
    await log.createTopic('m', { durability: 'fsync' })
    watchSegments()
    const partition = log.partitionsOf('m')[0]!
    const value = Buffer.alloc(64 * 1024, 9)
    const acked: number[] = []
    const watermarks: number[] = []
    const append = async (): Promise<void> => {
      const offset = (await log.append('m', [{ key: null, value }]))[0]!.offset
      acked.push(offset)
      watermarks.push(partition.highWatermark)
    }
    const before = Array.from({ length: 40 }, append)
    await new Promise((resolve) => setTimeout(resolve, 5))
    await log.alterTopicConfig('m', { durability: 'async' })
    const after = Array.from({ length: 20 }, append)
    await Promise.all([...before, ...after])
    expect(acked).toEqual(Array.from({ length: 60 }, (_, i) => i))
    expect(watermarks).toEqual([...watermarks].sort((a, b) => a - b))
  })
})
