import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
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

describe('segment age and async flushing', () => {
  it('rolls the active segment once it is older than segment.ms', async () => {
    await log.createTopic('t', { 'segment.ms': 60_000 })
    await log.append('t', [{ key: null, value: Buffer.from('a') }])
    await clock.advance(30_000)
    await log.append('t', [{ key: null, value: Buffer.from('b') }])
    expect((await log.describeTopic('t')).partitions[0]!.segments).toBe(1)
    await clock.advance(31_000)
    await log.append('t', [{ key: null, value: Buffer.from('c') }])
    const described = (await log.describeTopic('t')).partitions[0]!
    expect(described.segments).toBe(2)
    expect(log.partitionsOf('t')[0]!.activeSegment.baseOffset).toBe(2)
  })

  it('fsyncs async-mode writes flush.ms after the first unsynced one', async () => {
    await log.createTopic('t', { durability: 'async', 'flush.ms': 500 })
    const partition = log.partitionsOf('t')[0]!
    await log.append('t', [{ key: null, value: Buffer.from('a') }])
    await log.append('t', [{ key: null, value: Buffer.from('b') }])
    expect(partition.stats.syncs).toBe(0)
    await clock.advance(499)
    await partition.drain()
    expect(partition.stats.syncs).toBe(0)
    await clock.advance(1)
    await partition.drain()
    expect(partition.stats.syncs).toBe(1)
  })
})

describe('indexes', () => {
  it('rebuilds missing or stale indexes of closed segments and serves the same records', async () => {
    await log.createTopic('t', { 'segment.bytes': 2048, 'index.interval.bytes': 256 })
    for (let i = 0; i < 80; i++) await log.append('t', [{ key: null, value: Buffer.alloc(100, i), timestamp: 5000 + i }])
    await log.close()
    const partitionDir = path.join(dir.path, 'topics', 't', '0')
    const indexes = fs.readdirSync(partitionDir).filter((n) => n.endsWith('.index'))
    expect(indexes.length).toBeGreaterThan(2)
    fs.rmSync(path.join(partitionDir, indexes[0]!))
    fs.writeFileSync(path.join(partitionDir, indexes[1]!), Buffer.from([1, 2, 3]))
    // An index that points past the end of its log file cannot be trusted either.
    const third = Buffer.alloc(8)
    third.writeUInt32BE(1, 0)
    third.writeUInt32BE(10_000_000, 4)
    fs.writeFileSync(path.join(partitionDir, indexes[2]!), third)
    log = await open()
    for (const offset of [0, 17, 25, 41, 79]) {
      const read = await log.read('t', 0, offset, { maxBytes: 1 })
      expect(read.records[0]!.offset).toBe(offset)
      expect(read.records[0]!.value![0]).toBe(offset)
    }
    expect(await log.listOffset('t', 0, { timestamp: 5033 })).toBe(33)
  })
})
