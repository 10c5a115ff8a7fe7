import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import type { StoredRecord } from '../../../core/log/log.ts'
import { compressionOf, readBatchHeader } from '../../../core/log/record-batch.ts'
import { ManualClock } from '../../support/clock.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

let dir: { path: string; remove: () => Promise<void> }
let clock: ManualClock
let log: EmbeddedLog

const open = () => EmbeddedLog.open({ dataDir: dir.path, clock, maintenanceIntervalMs: 0 })

beforeEach(async () => {
  dir = await makeTempDir()
  clock = new ManualClock()
  log = await open()
})
afterEach(async () => {
  await log.close()
  await dir.remove()
})

async function readAll(topic: string): Promise<StoredRecord[]> {
  const out: StoredRecord[] = []
  let offset = await log.listOffset(topic, 0, 'earliest')
  const end = await log.listOffset(topic, 0, 'latest')
  while (offset < end) {
    const read = await log.read(topic, 0, offset, { maxBytes: 4096 })
    out.push(...read.records)
    offset = read.nextOffset
  }
  return out
}

describe('retention', () => {
  it('deletes whole segments whose newest record is older than retention.ms', async () => {
    await log.createTopic('t', { 'segment.bytes': 2048, 'retention.ms': 60_000 })
    const start = clock.now()
    for (let i = 0; i < 60; i++) await log.append('t', [{ key: null, value: Buffer.alloc(100), timestamp: start + i * 1000 }])
    const before = (await log.describeTopic('t')).partitions[0]!
    expect(before.segments).toBeGreaterThan(3)
    await clock.advance(90_000)
    const report = await log.runMaintenance()
    expect(report.deletedSegments).toBeGreaterThan(0)
    const after = (await log.describeTopic('t')).partitions[0]!
    expect(after.logStartOffset).toBeGreaterThan(0)
    // Every record left is within retention or shares a segment with one that is.
    const records = await readAll('t')
    expect(records[records.length - 1]!.offset).toBe(59)
    expect(records.some((r) => r.timestamp >= clock.now() - 60_000)).toBe(true)
    await expect(log.read('t', 0, 0)).rejects.toMatchObject({ code: 'TRB_LOG_OFFSET_OUT_OF_RANGE' })
  })

  it('rolls and deletes an expired active segment, and appends carry on after it', async () => {
    await log.createTopic('t', { 'retention.ms': 1000 })
    await log.append('t', [
      { key: null, value: Buffer.from('old') },
      { key: null, value: Buffer.from('older') },
    ])
    await clock.advance(5000)
    await log.runMaintenance()
    const described = (await log.describeTopic('t')).partitions[0]!
    expect(described.logStartOffset).toBe(2)
    expect(described.highWatermark).toBe(2)
    expect(await log.append('t', [{ key: null, value: Buffer.from('new') }])).toEqual([{ partition: 0, offset: 2 }])
    expect((await readAll('t')).map((r) => r.value!.toString())).toEqual(['new'])
  })

  it('rolls for retention while appends are in flight without losing or misplacing any', async () => {
    await log.createTopic('t', { 'retention.ms': 1000 })
    for (let i = 0; i < 10; i++) await log.append('t', [{ key: null, value: Buffer.from(`old-${i}`) }])
    await clock.advance(5000)
    const appends = Array.from({ length: 200 }, (_, i) => log.append('t', [{ key: null, value: Buffer.from(`new-${i}`) }]))
    const [results] = await Promise.all([Promise.all(appends), log.runMaintenance()])
    expect(results.map((r) => r[0]!.offset)).toEqual(Array.from({ length: 200 }, (_, i) => 10 + i))
    await log.close()
    log = await open()
    const records = await readAll('t')
    records.forEach((r) => {
      expect(r.value!.toString()).toBe(r.offset < 10 ? `old-${r.offset}` : `new-${r.offset - 10}`)
    })
    expect(records[records.length - 1]!.offset).toBe(209)
    expect(records.filter((r) => r.offset >= 10)).toHaveLength(200)
  })

  it('keeps the partition under retention.bytes by deleting the oldest segments', async () => {
    await log.createTopic('t', { 'segment.bytes': 2048, 'retention.bytes': 5000, 'retention.ms': -1 })
    for (let i = 0; i < 100; i++) await log.append('t', [{ key: null, value: Buffer.alloc(100, i) }])
    await log.runMaintenance()
    const after = (await log.describeTopic('t')).partitions[0]!
    expect(after.sizeBytes).toBeLessThanOrEqual(5000 + 2048)
    expect(after.sizeBytes).toBeGreaterThan(5000 - 2048)
    const records = await readAll('t')
    expect(records[records.length - 1]!.offset).toBe(99)
    records.forEach((r) => {
      expect(r.value![0]).toBe(r.offset)
    })
  })

  it('never deletes anything with retention.ms and retention.bytes at -1', async () => {
    await log.createTopic('t', { 'segment.bytes': 2048, 'retention.bytes': -1, 'retention.ms': -1 })
    for (let i = 0; i < 50; i++) await log.append('t', [{ key: null, value: Buffer.alloc(100) }])
    await clock.advance(10 * 365 * 24 * 3600 * 1000)
    expect((await log.runMaintenance()).deletedSegments).toBe(0)
    expect(await readAll('t')).toHaveLength(50)
  })
})

describe('compaction', () => {
  const compacted = { 'cleanup.policy': 'compact', 'segment.bytes': 1024, 'delete.retention.ms': 10_000 } as const

  it('keeps the newest record per key and the offsets of what it keeps', async () => {
    await log.createTopic('c', compacted)
    for (let round = 0; round < 20; round++) {
      for (let k = 0; k < 10; k++) await log.append('c', [{ key: Buffer.from(`k${k}`), value: Buffer.from(`k${k}-v${round}`) }])
    }
    const beforeBytes = (await log.describeTopic('c')).partitions[0]!.sizeBytes
    const report = await log.runMaintenance()
    expect(report.compacted).toHaveLength(1)
    expect(report.compacted[0]!.recordsAfter).toBeLessThan(report.compacted[0]!.recordsBefore)
    expect((await log.describeTopic('c')).partitions[0]!.sizeBytes).toBeLessThan(beforeBytes)
    const records = await readAll('c')
    const offsets = records.map((r) => r.offset)
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b))
    expect(new Set(offsets).size).toBe(offsets.length)
    // The final value of every key is still the newest one, at its original offset.
    const latest = new Map<string, StoredRecord>()
    for (const record of records) latest.set(record.key!.toString(), record)
    for (let k = 0; k < 10; k++) {
      expect(latest.get(`k${k}`)!.value!.toString()).toBe(`k${k}-v19`)
      expect(latest.get(`k${k}`)!.offset).toBe(190 + k)
    }
    // Each key appears at most once in the closed, compacted part of the log.
    const activeBase = log.partitionsOf('c')[0]!.activeSegment.baseOffset
    const closedKeys = records.filter((r) => r.offset < activeBase).map((r) => r.key!.toString())
    expect(new Set(closedKeys).size).toBe(closedKeys.length)
    expect(await log.listOffset('c', 0, 'earliest')).toBe(0)
  })

  it('keeps each cleaned batch in its codec', async () => {
    await log.createTopic('z', { ...compacted, 'compression.type': 'zstd' })
    for (let round = 0; round < 20; round++) {
      await log.append(
        'z',
        Array.from({ length: 5 }, (_, k) => ({ key: Buffer.from(`k${k}`), value: Buffer.from(`k${k}-v${round} `.repeat(8)) })),
      )
    }
    const [cleaned] = (await log.runMaintenance()).compacted
    expect(cleaned!.recordsAfter).toBeGreaterThan(0)
    expect(cleaned!.recordsAfter).toBeLessThan(cleaned!.recordsBefore)
    const batches: Buffer[] = []
    for (let offset = 0, end = await log.listOffset('z', 0, 'latest'); offset < end; ) {
      const read = await log.readBatches('z', 0, offset, { maxBytes: 1 << 20 })
      batches.push(...read.batches)
      offset = readBatchHeader(read.batches.at(-1)!).lastOffset + 1
    }
    expect(batches.every((batch) => compressionOf(readBatchHeader(batch).attributes) === 'zstd')).toBe(true)
    const latest = new Map((await readAll('z')).map((r) => [r.key!.toString(), r.value!.toString()]))
    expect([...latest.values()]).toEqual(Array.from({ length: 5 }, (_, k) => `k${k}-v19 `.repeat(8)))
  })

  it('cleans in several passes when the keys do not fit its map, each up to where the map filled', async () => {
    await log.close()
    // Room for about 20 keys: 100 distinct keys take five passes or so.
    log = await EmbeddedLog.open({ dataDir: dir.path, clock, maintenanceIntervalMs: 0, compactionMapBytes: 20 * 70 })
    await log.createTopic('many', { ...compacted, 'min.cleanable.dirty.ratio': 0 })
    for (let round = 0; round < 2; round++) {
      for (let k = 0; k < 100; k++) await log.append('many', [{ key: Buffer.from(`key-${k}`), value: Buffer.from(`v${round}`) }])
    }
    const passes: number[] = []
    for (let pass = 0; pass < 50; pass++) {
      const report = await log.runMaintenance()
      if (report.compacted.length === 0) break
      passes.push(report.compacted[0]!.recordsBefore - report.compacted[0]!.recordsAfter)
    }
    expect(passes.length).toBeGreaterThan(2)
    const records = await readAll('many')
    const activeBase = log.partitionsOf('many')[0]!.activeSegment.baseOffset
    const closedKeys = records.filter((r) => r.offset < activeBase).map((r) => r.key!.toString())
    expect(new Set(closedKeys).size).toBe(closedKeys.length)
    // Every key's newest value survives, at its offset.
    const newest = new Map(records.map((r) => [r.key!.toString(), r]))
    for (let k = 0; k < 100; k++) {
      expect(newest.get(`key-${k}`)?.value?.toString()).toBe('v1')
      expect(newest.get(`key-${k}`)?.offset).toBe(100 + k)
    }
  })

  it('drops tombstones after delete.retention.ms, and keeps them before', async () => {
    await log.createTopic('c', compacted)
    await log.append('c', [{ key: Buffer.from('gone'), value: Buffer.from('v1') }])
    await log.append('c', [{ key: Buffer.from('gone'), value: null }])
    for (let i = 0; i < 40; i++) await log.append('c', [{ key: Buffer.from(`filler-${i}`), value: Buffer.alloc(50) }])
    await log.runMaintenance()
    let gone = (await readAll('c')).filter((r) => r.key!.toString() === 'gone')
    expect(gone.map((r) => r.value)).toEqual([null])
    for (let i = 0; i < 40; i++) await log.append('c', [{ key: Buffer.from(`filler-${i}`), value: Buffer.alloc(50) }])
    await clock.advance(11_000)
    await log.runMaintenance()
    gone = (await readAll('c')).filter((r) => r.key!.toString() === 'gone')
    expect(gone).toEqual([])
  })

  it('refuses keyless records on a compacted topic', async () => {
    await log.createTopic('c', compacted)
    await expect(log.append('c', [{ key: null, value: Buffer.from('x') }])).rejects.toMatchObject({ code: 'TRB_LOG_INVALID_BATCH' })
  })

  it('does not block appends and survives a restart', async () => {
    await log.createTopic('c', compacted)
    for (let i = 0; i < 300; i++) await log.append('c', [{ key: Buffer.from(`k${i % 7}`), value: Buffer.from(`v${i}`) }])
    const maintenance = log.runMaintenance()
    const concurrent = await Promise.all(
      Array.from({ length: 50 }, (_, i) => log.append('c', [{ key: Buffer.from(`k${i % 7}`), value: Buffer.from(`w${i}`) }])),
    )
    expect(concurrent.map((r) => r[0]!.offset)).toEqual(Array.from({ length: 50 }, (_, i) => 300 + i))
    expect((await maintenance).compacted).toHaveLength(1)
    const expected = new Map((await readAll('c')).map((r) => [r.key!.toString(), r.value!.toString()]))
    await log.close()
    log = await open()
    const reopened = new Map((await readAll('c')).map((r) => [r.key!.toString(), r.value!.toString()]))
    expect(reopened).toEqual(expected)
    for (let k = 0; k < 7; k++) expect(reopened.get(`k${k}`)).toBe(`w${lastIndexFor(k)}`)
  })

  it('finishes a swap interrupted after its commit point when the partition reopens', async () => {
    await log.createTopic('c', compacted)
    for (let i = 0; i < 40; i++) await log.append('c', [{ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`) }])
    await log.close()
    const partitionDir = path.join(dir.path, 'topics', 'c', '0')
    const first = `${'0'.padStart(20, '0')}.log`
    // A cleaned copy of the first segment plus a manifest: exactly what a crash after the commit point leaves.
    fs.copyFileSync(path.join(partitionDir, first), path.join(partitionDir, `${first}.cleaned`))
    fs.writeFileSync(path.join(partitionDir, 'compaction.swap'), JSON.stringify({ oldBases: [0], newBases: [0] }))
    fs.writeFileSync(path.join(partitionDir, `${'7'.padStart(20, '0')}.log.cleaned`), 'half-written')
    log = await open()
    expect(fs.existsSync(path.join(partitionDir, 'compaction.swap'))).toBe(false)
    expect(fs.readdirSync(partitionDir).filter((n) => n.endsWith('.cleaned'))).toEqual([])
    expect((await readAll('c')).map((r) => r.value!.toString())).toEqual(Array.from({ length: 40 }, (_, i) => `v${i}`))
  })
})

/** The index of the last of the 50 concurrent appends (i = 0..49) that wrote key k (i % 7 === k). */
function lastIndexFor(k: number): number {
  let last = -1
  for (let i = 0; i < 50; i++) if (i % 7 === k) last = i
  return last
}
