/**
 * Durability for real: a child process appends in fsync mode and is killed with SIGKILL mid-stream;
 * the log is reopened and must hold every acknowledged record exactly once, in order, intact, and
 * (when the child also deletes records) keep every acknowledged log start offset.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import type { RecoveryEvent } from '../../../core/log/partition.ts'
import { killAfterAcks } from '../../support/kill-after-acks.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

const writer = path.resolve(import.meta.dirname, '../../support/crash-writer.ts')
let dir: { path: string; remove: () => Promise<void> }

beforeEach(async () => {
  dir = await makeTempDir('tributary-crash-')
})
afterEach(async () => {
  await dir.remove()
})

/**
 * Runs the writer until it has acknowledged `acks` more records, then SIGKILLs it. Returns the last
 * acked seq and, in `delete` mode, the highest log start offset a resolved deletion reported.
 */
async function runAndKill(
  acks: number,
  mode = 'append',
  inFlight = 16,
): Promise<{ start: number; lastAcked: number; lastDeletedBefore: number }> {
  let lastDeletedBefore = 0
  const killed = await killAfterAcks(writer, [dir.path, String(inFlight), mode], acks, (kind, value) => {
    if (kind === 'deleted') lastDeletedBefore = Math.max(lastDeletedBefore, Number(value))
  })
  return { ...killed, lastDeletedBefore }
}

function expectedValue(seq: number, padBytes = 0): Buffer {
  const body = Buffer.from(`record-${seq}-`.padEnd(120, 'x'))
  return Buffer.concat([body, createHash('sha256').update(body).digest(), Buffer.alloc(padBytes, seq % 251)])
}

async function readAll(log: EmbeddedLog, from = 0, padBytes = 0): Promise<number[]> {
  const seqs: number[] = []
  let offset = from
  for (;;) {
    const read = await log.read('crash', 0, offset, { maxBytes: 256 * 1024 })
    for (const record of read.records) {
      const seq = Number(record.key!.toString())
      expect(record.offset).toBe(seq)
      expect(record.value!.equals(expectedValue(seq, padBytes))).toBe(true)
      seqs.push(seq)
    }
    if (read.nextOffset >= read.highWatermark) return seqs
    offset = read.nextOffset
  }
}

describe('crash recovery', () => {
  it('keeps every acknowledged record after SIGKILL, across repeated crashes', async () => {
    let expectedStart = 0
    for (const acks of [1500, 800, 2500]) {
      const { start, lastAcked } = await runAndKill(acks)
      expect(start).toBe(expectedStart)
      const recoveries: RecoveryEvent[] = []
      const log = await EmbeddedLog.open({ dataDir: dir.path, onRecovery: (event) => recoveries.push(event) })
      const seqs = await readAll(log)
      await log.close()
      // Exactly 0..n-1 with no gap or repeat, and n covers every acknowledged record.
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i))
      expect(seqs.length).toBeGreaterThan(lastAcked)
      expectedStart = seqs.length
    }
  })

  it('keeps every acknowledged record when many MiB are in flight, written in groups while earlier ones are fsynced', async () => {
    let expectedStart = 0
    for (const acks of [400, 250, 600]) {
      const { start, lastAcked } = await runAndKill(acks, 'large', 64)
      expect(start).toBe(expectedStart)
      const log = await EmbeddedLog.open({ dataDir: dir.path })
      const seqs = await readAll(log, 0, 32 * 1024)
      await log.close()
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i))
      expect(seqs.length).toBeGreaterThan(lastAcked)
      expectedStart = seqs.length
    }
  })

  it('keeps the log start offset of every acknowledged DeleteRecords after SIGKILL, and every record after it', async () => {
    for (const acks of [1500, 2500]) {
      const { lastAcked, lastDeletedBefore } = await runAndKill(acks, 'delete')
      expect(lastDeletedBefore).toBeGreaterThan(0)
      const log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
      const start = await log.listOffset('crash', 0, 'earliest')
      // Never behind an acknowledged deletion, and never past a record that was not deleted.
      expect(start).toBeGreaterThanOrEqual(lastDeletedBefore)
      await expect(log.read('crash', 0, start - 1)).rejects.toMatchObject({ code: 'TRB_LOG_OFFSET_OUT_OF_RANGE' })
      const seqs = await readAll(log, start)
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => start + i))
      expect(start + seqs.length).toBeGreaterThan(lastAcked)
      // A crash between the stored start and the removal of the segments below it leaves them to retention.
      await log.runMaintenance()
      const files = fs
        .readdirSync(path.join(dir.path, 'topics', 'crash', '0'))
        .filter((name) => name.endsWith('.log'))
        .sort()
      expect(Number(files[0]!.slice(0, 20))).toBeLessThanOrEqual(start)
      expect(files.length === 1 || Number(files[1]!.slice(0, 20)) > start).toBe(true)
      await log.close()
    }
  })

  it('cuts a torn tail off the active segment and keeps appending after it', async () => {
    const first = await EmbeddedLog.open({ dataDir: dir.path })
    await first.createTopic('crash', { durability: 'fsync' })
    for (let seq = 0; seq < 20; seq++) await first.append('crash', [{ key: Buffer.from(String(seq)), value: expectedValue(seq) }])
    await first.close()
    const segmentFile = path.join(dir.path, 'topics', 'crash', '0', `${'0'.padStart(20, '0')}.log`)
    const intact = fs.statSync(segmentFile).size
    // A torn write: the first 40 bytes of a copy of the last batch, as a crash mid-write leaves them.
    const bytes = fs.readFileSync(segmentFile)
    fs.appendFileSync(segmentFile, bytes.subarray(bytes.length - 200, bytes.length - 160))
    const recoveries: RecoveryEvent[] = []
    const log = await EmbeddedLog.open({ dataDir: dir.path, onRecovery: (event) => recoveries.push(event) })
    expect(recoveries).toHaveLength(1)
    expect(recoveries[0]).toMatchObject({ topic: 'crash', partition: 0, fromBytes: intact + 40, toBytes: intact })
    expect(fs.statSync(segmentFile).size).toBe(intact)
    expect(await log.append('crash', [{ key: Buffer.from('20'), value: expectedValue(20) }])).toEqual([{ partition: 0, offset: 20 }])
    expect(await readAll(log)).toEqual(Array.from({ length: 21 }, (_, i) => i))
    await log.close()
  })

  it('truncates at a batch whose CRC fails in the active segment, dropping what follows', async () => {
    const first = await EmbeddedLog.open({ dataDir: dir.path })
    await first.createTopic('crash', { durability: 'fsync' })
    for (let seq = 0; seq < 10; seq++) await first.append('crash', [{ key: Buffer.from(String(seq)), value: expectedValue(seq) }])
    await first.close()
    const segmentFile = path.join(dir.path, 'topics', 'crash', '0', `${'0'.padStart(20, '0')}.log`)
    const bytes = fs.readFileSync(segmentFile)
    const batchSize = bytes.length / 10
    bytes[batchSize * 7 + 100]! ^= 0xff
    fs.writeFileSync(segmentFile, bytes)
    const recoveries: RecoveryEvent[] = []
    const log = await EmbeddedLog.open({ dataDir: dir.path, onRecovery: (event) => recoveries.push(event) })
    expect(recoveries[0]!.problem).toMatch(/CRC mismatch/)
    expect(await readAll(log)).toEqual([0, 1, 2, 3, 4, 5, 6])
    await log.close()
  })

  /** 100 records in segments of 4 KB, one bit of the first segment's last batch flipped while the log was closed. */
  async function openWithDamagedClosedSegment(): Promise<EmbeddedLog> {
    const first = await EmbeddedLog.open({ dataDir: dir.path })
    await first.createTopic('crash', { durability: 'fsync', 'segment.bytes': 4096 })
    for (let seq = 0; seq < 100; seq++) await first.append('crash', [{ key: Buffer.from(String(seq)), value: expectedValue(seq) }])
    await first.close()
    const segmentFile = path.join(dir.path, 'topics', 'crash', '0', `${'0'.padStart(20, '0')}.log`)
    const bytes = fs.readFileSync(segmentFile)
    bytes[bytes.length - 30]! ^= 0x01
    fs.writeFileSync(segmentFile, bytes)
    return EmbeddedLog.open({ dataDir: dir.path })
  }

  it('refuses to serve a batch whose bytes were flipped in a closed segment', async () => {
    const log = await openWithDamagedClosedSegment()
    const firstSegmentRecords = (await log.read('crash', 0, 0, { maxBytes: 1 })).records.length
    expect(firstSegmentRecords).toBe(1)
    let failure: unknown
    let offset = 0
    try {
      for (;;) {
        const read = await log.read('crash', 0, offset, { maxBytes: 512 })
        if (read.records.length === 0) break
        offset = read.nextOffset
      }
    } catch (error) {
      failure = error
    }
    expect(failure).toMatchObject({ code: 'TRB_LOG_CORRUPT' })
    expect(String((failure as Error).message)).toMatch(/CRC mismatch/)
    // Records beyond the damaged batch, in later segments, are still served.
    const later = await log.read('crash', 0, 99)
    expect(later.records.map((r) => r.offset)).toEqual([99])
    await log.close()
  })

  it('keeps refusing a damaged batch however often it is read, while the batches before it are served again', async () => {
    const log = await openWithDamagedClosedSegment()
    const readFrom = async (offset: number): Promise<{ offsets: number[]; failure?: unknown }> => {
      const offsets: number[] = []
      try {
        for (let at = offset; ; ) {
          const read = await log.readBatches('crash', 0, at, { maxBytes: 512 })
          if (read.batches.length === 0) return { offsets }
          // One record per batch: a batch's base offset is its record's.
          for (const batch of read.batches) offsets.push(Number(batch.readBigInt64BE(0)))
          at = offsets[offsets.length - 1]! + 1
        }
      } catch (failure) {
        return { offsets, failure }
      }
    }
    const firstPass = await readFrom(0)
    expect(firstPass.failure).toMatchObject({ code: 'TRB_LOG_CORRUPT' })
    const damaged = firstPass.offsets.length
    for (let pass = 0; pass < 3; pass++) {
      const again = await readFrom(0)
      expect(again.offsets).toEqual(firstPass.offsets)
      expect(again.failure).toMatchObject({ code: 'TRB_LOG_CORRUPT' })
      expect(await readFrom(damaged)).toMatchObject({ offsets: [], failure: { code: 'TRB_LOG_CORRUPT' } })
    }
    await log.close()
  })
})
