import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { IsolationLevel } from '../../../core/log/log.ts'
import { readBatchHeader } from '../../../core/log/record-batch.ts'
import { manualClockLogPerTest } from '../../support/manual-clock-log.ts'
import { plainData, txnData, txnMarker } from '../../support/txn-batches.ts'

const each = manualClockLogPerTest()
const partitionDir = () => path.join(each.dataDir, 'topics', 't', '0')

/** Appends the batches in order; returns their base offsets. */
async function append(...batches: Buffer[]): Promise<number[]> {
  return Promise.all(batches.map((batch) => each.log.queueBatch('t', 0, batch)))
}

/** Every record a reader at this isolation sees from `from` on, read as far as it may go. */
async function values(isolation: IsolationLevel, from = 0): Promise<string[]> {
  const seen: string[] = []
  for (let offset = from; ; ) {
    const read = await each.log.read('t', 0, offset, { isolation })
    seen.push(...read.records.map((r) => `${r.offset}:${r.value!.toString()}`))
    if (read.nextOffset === offset) return seen
    offset = read.nextOffset
  }
}

async function committedFetch(from = 0, maxBytes = 1 << 20) {
  const read = await each.log.readBatches('t', 0, from, { isolation: 'read_committed', maxBytes })
  return {
    offsets: read.batches.map((b) => readBatchHeader(b).baseOffset),
    lso: read.lastStableOffset,
    hw: read.highWatermark,
    aborted: read.abortedTransactions,
  }
}

describe('transactions in a partition', () => {
  it('holds read_committed readers at the first offset of an open transaction until its COMMIT', async () => {
    await each.log.createTopic('t')
    await append(plainData(['a']), txnData(7, ['b', 'c']))
    expect(await committedFetch()).toEqual({ offsets: [0], lso: 1, hw: 3, aborted: [] })
    expect(await values('read_committed')).toEqual(['0:a'])
    expect(await values('read_uncommitted')).toEqual(['0:a', '1:b', '2:c'])
    const uncommitted = await each.log.readBatches('t', 0, 0)
    expect([uncommitted.lastStableOffset, uncommitted.abortedTransactions]).toEqual([1, undefined])

    await append(txnMarker(7, 'commit'))
    expect(await committedFetch()).toEqual({ offsets: [0, 1, 3], lso: 4, hw: 4, aborted: [] })
    expect(await values('read_committed')).toEqual(['0:a', '1:b', '2:c'])
    // The marker is not a record, but readers move past it.
    expect(await values('read_uncommitted')).toEqual(['0:a', '1:b', '2:c'])
    expect((await each.log.read('t', 0, 3)).nextOffset).toBe(4)
    expect((await each.log.read('t', 0, 3, { isolation: 'read_committed' })).nextOffset).toBe(4)
  })

  it('lists an aborted transaction and hides its records from read_committed reads only', async () => {
    await each.log.createTopic('t')
    await append(txnData(7, ['x', 'y']), plainData(['p']), txnMarker(7, 'abort'), plainData(['q']))
    expect(await committedFetch()).toEqual({ offsets: [0, 2, 3, 4], lso: 5, hw: 5, aborted: [{ producerId: 7, firstOffset: 0 }] })
    expect(await values('read_committed')).toEqual(['2:p', '4:q'])
    expect(await values('read_uncommitted')).toEqual(['0:x', '1:y', '2:p', '4:q'])
    // A fetch past the aborted transaction's marker does not list it.
    expect((await committedFetch(4)).aborted).toEqual([])
    expect((await committedFetch(3)).aborted).toEqual([{ producerId: 7, firstOffset: 0 }])
  })

  it('tracks two producers interleaved: the LSO waits for the older open transaction', async () => {
    await each.log.createTopic('t')
    await append(txnData(1, ['a']), txnData(2, ['b']), plainData(['c']), txnData(1, ['d']), txnMarker(1, 'commit'))
    expect(each.log.partitionsOf('t')[0]!.lastStableOffset).toBe(1)
    expect(await values('read_committed')).toEqual(['0:a'])
    await append(txnData(2, ['e']), txnMarker(2, 'abort'), txnData(1, ['f']))
    expect(await committedFetch()).toEqual({ offsets: [0, 1, 2, 3, 4, 5, 6], lso: 7, hw: 8, aborted: [{ producerId: 2, firstOffset: 1 }] })
    expect(await values('read_committed')).toEqual(['0:a', '2:c', '3:d'])
    await append(txnMarker(1, 'abort'))
    expect((await committedFetch()).aborted).toEqual([
      { producerId: 2, firstOffset: 1 },
      { producerId: 1, firstOffset: 7 },
    ])
    expect(await values('read_committed')).toEqual(['0:a', '2:c', '3:d'])
  })

  it('takes a marker for a producer with no open transaction as a no-op', async () => {
    await each.log.createTopic('t')
    await append(plainData(['a']), txnMarker(9, 'abort'), txnMarker(9, 'commit'), plainData(['b']))
    expect(await committedFetch()).toEqual({ offsets: [0, 1, 2, 3], lso: 4, hw: 4, aborted: [] })
    expect(await values('read_committed')).toEqual(['0:a', '3:b'])
  })

  it('refuses a control batch whose marker cannot be read, and appends nothing', async () => {
    await each.log.createTopic('t')
    const bad = txnMarker(3, 'abort')
    bad.writeInt16BE(-1, bad.length - 8) // the key's version: negative is malformed
    const { crc32c } = await import('@node-rs/crc32')
    bad.writeUInt32BE(crc32c(bad.subarray(21)), 17)
    await expect(each.log.queueBatch('t', 0, bad)).rejects.toMatchObject({ code: 'TRB_LOG_INVALID_BATCH' })
    expect(each.log.partitionsOf('t')[0]!.highWatermark).toBe(0)
  })

  it('keeps a transaction open across segment rolls and restarts, then finds its abort from any fetch offset', async () => {
    await each.log.createTopic('t', { 'segment.bytes': 1024 })
    await append(plainData(['before']), txnData(5, ['t0']))
    for (let i = 1; i <= 6; i++) await append(plainData([`p${i}`]), txnData(5, [`t${i}`]))
    const partition = () => each.log.partitionsOf('t')[0]!
    expect(partition().segmentCount).toBeGreaterThan(3)
    expect([partition().lastStableOffset, [...partition().openTransactions]]).toEqual([1, [[5, 1]]])

    await each.reopen()
    expect([partition().lastStableOffset, [...partition().openTransactions]]).toEqual([1, [[5, 1]]])
    expect(await values('read_committed')).toEqual(['0:before'])

    await append(txnMarker(5, 'abort'), plainData(['after']))
    await partition().rollIfNotEmpty()
    const expected = ['0:before', ...[1, 2, 3, 4, 5, 6].map((i) => `${2 * i}:p${i}`), '15:after']
    expect(await values('read_committed')).toEqual(expected)
    for (let from = 1; from <= 14; from++)
      expect((await committedFetch(from, 1)).aborted, `from ${from}`).toEqual([{ producerId: 5, firstOffset: 1 }])
    expect((await committedFetch(15)).aborted).toEqual([])

    await each.reopen()
    expect([partition().lastStableOffset, partition().openTransactions.size]).toEqual([16, 0])
    expect(await values('read_committed')).toEqual(expected)
    expect((await committedFetch(3, 1)).aborted).toEqual([{ producerId: 5, firstOffset: 1 }])
    const files = fs.readdirSync(partitionDir())
    expect(files.filter((n) => n.endsWith('.txnindex')).length).toBe(partition().segmentCount - 1)
    expect(files.filter((n) => n.endsWith('.txnsnapshot')).length).toBe(partition().segmentCount - 1)
  })

  it('rebuilds lost transaction indexes and snapshots of closed segments by replaying the log', async () => {
    await each.log.createTopic('t')
    const partition = each.log.partitionsOf('t')[0]!
    await append(txnData(1, ['a']), txnData(2, ['b']), plainData(['c']))
    await partition.rollIfNotEmpty()
    await append(txnMarker(1, 'abort'), txnData(3, ['d']), plainData(['e']))
    await partition.rollIfNotEmpty()
    await append(txnMarker(2, 'abort'), plainData(['f']))
    await partition.rollIfNotEmpty()
    await append(txnData(1, ['g']), plainData(['h']))
    const before = await committedFetch()
    expect(partition.segmentCount).toBe(4)
    const open3 = [...partition.openTransactions]
    await each.log.close()
    for (const name of fs.readdirSync(partitionDir())) {
      if (name.endsWith('.txnindex') || name.endsWith('.txnsnapshot')) fs.rmSync(path.join(partitionDir(), name))
    }
    await each.reopen()
    expect(await committedFetch()).toEqual(before)
    expect(before.aborted).toEqual([
      { producerId: 1, firstOffset: 0 },
      { producerId: 2, firstOffset: 1 },
    ])
    expect([...each.log.partitionsOf('t')[0]!.openTransactions]).toEqual(open3)
    // The rebuilt files are stored again: the next open needs no replay beyond the active segment.
    expect(fs.readdirSync(partitionDir()).filter((n) => n.endsWith('.txnindex')).length).toBe(
      each.log.partitionsOf('t')[0]!.segmentCount - 1,
    )
  })

  it("never puts the LSO below the log start offset once DeleteRecords passes an open transaction's start", async () => {
    await each.log.createTopic('t')
    await append(plainData(['a']), txnData(4, ['b']), plainData(['c']), plainData(['d']))
    expect(each.log.partitionsOf('t')[0]!.lastStableOffset).toBe(1)
    await each.log.deleteRecords('t', 0, 3)
    // Still undecided, so readers wait, but at the start rather than before it.
    expect(await committedFetch(3)).toEqual({ offsets: [], lso: 3, hw: 4, aborted: [] })
    await each.reopen()
    expect(each.log.partitionsOf('t')[0]!.lastStableOffset).toBe(3)
    await append(txnMarker(4, 'commit'))
    expect(await committedFetch(3)).toEqual({ offsets: [3, 4], lso: 5, hw: 5, aborted: [] })
  })

  it("drops a segment's transaction files with it when retention deletes it", async () => {
    await each.log.createTopic('t', { 'segment.bytes': 1024, 'retention.bytes': 1 })
    await append(txnData(1, ['a']), txnMarker(1, 'abort'), plainData(['b']), plainData(['c']), plainData(['d']))
    const partition = each.log.partitionsOf('t')[0]!
    await partition.rollIfNotEmpty()
    const bases = () =>
      fs
        .readdirSync(partitionDir())
        .filter((n) => n.endsWith('.log'))
        .map((n) => n.slice(0, 20))
    await each.log.runMaintenance()
    const left = new Set(bases())
    for (const name of fs.readdirSync(partitionDir())) {
      if (name.endsWith('.txnindex') || name.endsWith('.txnsnapshot')) expect(left.has(name.slice(0, 20)), name).toBe(true)
    }
  })

  it('compacts only below the LSO, dropping aborted records and keeping every marker and the aborted index', async () => {
    await each.log.createTopic('t', { 'cleanup.policy': 'compact', 'segment.bytes': 1024 })
    const partition = each.log.partitionsOf('t')[0]!
    await append(plainData(['k1=a']), txnData(1, ['k1=b']), txnData(2, ['k2=c']))
    await partition.rollIfNotEmpty()
    await append(txnMarker(1, 'abort'), txnMarker(2, 'commit'), plainData(['k2=d']))
    await partition.rollIfNotEmpty()
    await append(txnData(3, ['k2=e']), plainData(['k4=f']))
    await partition.rollIfNotEmpty()
    await append(plainData(['k5=g']))
    expect(partition.lastStableOffset).toBe(6)

    const report = await each.log.runMaintenance()
    expect(report.compacted.length).toBe(1)
    const check = async () => {
      expect(await values('read_committed')).toEqual(['0:a', '5:d'])
      expect(await values('read_uncommitted')).toEqual(['0:a', '5:d', '6:e', '7:f', '8:g'])
      expect((await committedFetch()).aborted).toEqual([{ producerId: 1, firstOffset: 1 }])
      const kept = (await each.log.readBatches('t', 0, 0)).batches.map((b) => readBatchHeader(b))
      expect(kept.map((h) => [h.baseOffset, h.attributes & 0x30])).toEqual([
        [0, 0],
        [3, 0x30],
        [4, 0x30],
        [5, 0],
      ])
      expect([...each.log.partitionsOf('t')[0]!.openTransactions]).toEqual([[3, 6]])
    }
    await check()
    await each.reopen()
    await check()
  })
})
