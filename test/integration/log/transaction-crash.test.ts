/**
 * Transactions through a real crash: a child appends an interleaved stream of transactional batches,
 * markers and plain batches in fsync mode and is killed with SIGKILL mid-stream; on reopen the open
 * transactions, the LSO, every segment's aborted-transaction index and what read_committed readers
 * see must be exactly what the durable batches say, worked out independently of the log.
 */
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { killAfterAcks } from '../../support/kill-after-acks.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { expectedAfter } from '../../support/txn-script.ts'

const writer = path.resolve(import.meta.dirname, '../../support/txn-crash-writer.ts')
let dir: { path: string; remove: () => Promise<void> }

beforeEach(async () => {
  dir = await makeTempDir('tributary-txn-crash-')
})
afterEach(async () => {
  await dir.remove()
})

async function committedOffsets(log: EmbeddedLog): Promise<{ offsets: number[]; aborted: string[] }> {
  const offsets: number[] = []
  const aborted = new Set<string>()
  for (let offset = 0; ; ) {
    const read = await log.readBatches('txn', 0, offset, { isolation: 'read_committed', maxBytes: 4096 })
    for (const txn of read.abortedTransactions!) aborted.add(`${txn.producerId}@${txn.firstOffset}`)
    const records = await log.read('txn', 0, offset, { isolation: 'read_committed', maxBytes: 4096 })
    offsets.push(...records.records.map((r) => r.offset))
    if (records.nextOffset === offset) return { offsets, aborted: [...aborted] }
    offset = records.nextOffset
  }
}

describe('transactions after a crash', () => {
  it('recovers open transactions, the LSO and the aborted index exactly, across repeated SIGKILLs', async () => {
    let expectedStart = 0
    for (const acks of [700, 400, 900]) {
      const { start, lastAcked } = await killAfterAcks(writer, [dir.path], acks)
      expect(start).toBe(expectedStart)
      const log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
      const partition = log.partitionsOf('txn')[0]!
      const n = partition.highWatermark
      expect(n).toBeGreaterThan(lastAcked)
      const expected = expectedAfter(n)
      expect(partition.segmentCount).toBeGreaterThan(3)
      expect([...partition.openTransactions].sort((a, b) => a[1] - b[1])).toEqual(expected.open)
      expect(partition.lastStableOffset).toBe(expected.lastStableOffset)
      const index = log
        .partitionsOf('txn')[0]!
        .closedSegments.concat(partition.activeSegment)
        .flatMap((s) => s.transactionIndex.all)
      expect(index).toEqual(expected.aborted)
      const seen = await committedOffsets(log)
      expect(seen.offsets).toEqual(expected.committed)
      expect(seen.aborted.sort()).toEqual(
        expected.aborted
          .filter((t) => t.firstOffset < expected.lastStableOffset)
          .map((t) => `${t.producerId}@${t.firstOffset}`)
          .sort(),
      )
      await log.close()
      expectedStart = n
    }
  })
})
