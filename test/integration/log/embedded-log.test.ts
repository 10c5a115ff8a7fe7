import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { runLogSuite, type LogUnderTest } from '../../support/log-suite.ts'
import { runTransactionSuite } from '../../support/transaction-suite.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

const text = (s: string) => Buffer.from(s)
let dir: { path: string; remove: () => Promise<void> }
let log: EmbeddedLog

async function embeddedLogUnderTest(): Promise<LogUnderTest> {
  const storage = await makeTempDir()
  let current = await EmbeddedLog.open({ dataDir: storage.path })
  return {
    log: current,
    async reopen() {
      await current.close()
      current = await EmbeddedLog.open({ dataDir: storage.path })
      return current
    },
    cleanup: storage.remove,
  }
}

runLogSuite('EmbeddedLog', embeddedLogUnderTest)
runTransactionSuite('EmbeddedLog', embeddedLogUnderTest)

beforeEach(async () => {
  dir = await makeTempDir()
  log = await EmbeddedLog.open({ dataDir: dir.path })
})

afterEach(async () => {
  await log.close()
  await dir.remove()
})

describe('topics on disk', () => {
  it("takes config values as strings, defaults to fsync, and removes a deleted topic's files", async () => {
    const created = await log.createTopic('orders', { partitions: 3, 'retention.ms': '3600000' })
    expect(created.config['retention.ms']).toBe(3_600_000)
    expect(created.config.durability).toBe('fsync')
    expect(fs.existsSync(path.join(dir.path, 'topics', 'orders', 'topic.json'))).toBe(true)
    await log.deleteTopic('orders')
    expect(fs.existsSync(path.join(dir.path, 'topics', 'orders'))).toBe(false)
  })

  it('refuses unknown and out-of-range config keys', async () => {
    await expect(log.createTopic('t', { durability: 'sometimes' } as never)).rejects.toMatchObject({ code: 'TRB_CONFIG_INVALID' })
    await expect(log.createTopic('t', { 'retention.mss': 5 } as never)).rejects.toMatchObject({ code: 'TRB_CONFIG_INVALID' })
    await expect(log.createTopic('t', { 'segment.bytes': 10 })).rejects.toMatchObject({
      code: 'TRB_CONFIG_INVALID',
      details: { problems: [expect.stringMatching(/^segment\.bytes/)] },
    })
  })
})

describe('append and read', () => {
  it('refuses unknown topics and partitions, and batches over max.message.bytes', async () => {
    await log.createTopic('small', { 'max.message.bytes': 200 })
    await expect(log.append('nope', [{ key: null, value: text('x') }])).rejects.toMatchObject({ code: 'TRB_TOPIC_NOT_FOUND' })
    await expect(log.append('small', [{ key: null, value: text('x'), partition: 1 }])).rejects.toMatchObject({
      code: 'TRB_TOPIC_NOT_FOUND',
    })
    await expect(log.append('small', [{ key: null, value: Buffer.alloc(500) }])).rejects.toMatchObject({ code: 'TRB_LOG_RECORD_TOO_LARGE' })
    expect(await log.append('small', [{ key: null, value: Buffer.alloc(10) }])).toEqual([{ partition: 0, offset: 0 }])
  })

  it('honours maxBytes but always returns at least one batch', async () => {
    await log.createTopic('t')
    for (let i = 0; i < 10; i++) await log.append('t', [{ key: null, value: Buffer.alloc(1000, i) }])
    const small = await log.read('t', 0, 0, { maxBytes: 10 })
    expect(small.records.map((r) => r.offset)).toEqual([0])
    const some = await log.read('t', 0, 3, { maxBytes: 3500 })
    expect(some.records.map((r) => r.offset)).toEqual([3, 4, 5])
    expect(some.nextOffset).toBe(6)
  })

  it('returns whole batches, as appended, from reads larger than the file is read in at once', async () => {
    await log.createTopic('big', { 'max.message.bytes': 4 * 1024 * 1024 })
    // Batches of 300 kB, 1.5 MB (larger than a piece of the file read at once), 700 kB and 1 MB.
    const sizes = [300_000, 300_000, 1_500_000, 700_000, 300_000, 1_000_000, 300_000]
    for (const [i, size] of sizes.entries()) await log.append('big', [{ key: null, value: Buffer.alloc(size, i) }])
    const all = await log.readBatches('big', 0, 0, { maxBytes: 10 * 1024 * 1024 })
    expect(all.batches.map((batch) => Number(batch.readBigInt64BE(0)))).toEqual(sizes.map((_, i) => i))
    const read = await log.read('big', 0, 0, { maxBytes: 10 * 1024 * 1024 })
    expect(read.records.map((r) => [r.offset, r.value!.length, r.value![0]])).toEqual(sizes.map((size, i) => [i, size, i]))
    // The budget still ends the read at a whole batch: 300 kB + 300 kB, then 1.5 MB would pass 2 MB.
    const some = await log.readBatches('big', 0, 0, { maxBytes: 2_000_000 })
    expect(some.batches.map((batch) => Number(batch.readBigInt64BE(0)))).toEqual([0, 1])
    const fromLarge = await log.readBatches('big', 0, 2, { maxBytes: 2_000_000 })
    expect(fromLarge.batches.map((batch) => Number(batch.readBigInt64BE(0)))).toEqual([2])
  })
})

describe('offset look-ups', () => {
  it('finds earliest, latest and by timestamp', async () => {
    await log.createTopic('t', { 'segment.bytes': 2048, 'index.interval.bytes': 0 })
    for (let i = 0; i < 40; i++) await log.append('t', [{ key: null, value: Buffer.alloc(100), timestamp: 10_000 + i * 10 }])
    expect((await log.describeTopic('t')).partitions[0]!.segments).toBeGreaterThan(2)
    expect(await log.listOffset('t', 0, 'earliest')).toBe(0)
    expect(await log.listOffset('t', 0, 'latest')).toBe(40)
    expect(await log.listOffset('t', 0, { timestamp: 0 })).toBe(0)
    expect(await log.listOffset('t', 0, { timestamp: 10_000 })).toBe(0)
    expect(await log.listOffset('t', 0, { timestamp: 10_001 })).toBe(1)
    expect(await log.listOffset('t', 0, { timestamp: 10_250 })).toBe(25)
    expect(await log.listOffset('t', 0, { timestamp: 10_390 })).toBe(39)
    expect(await log.listOffset('t', 0, { timestamp: 99_999 })).toBe(40)
  })
})

describe('segments and group commit', () => {
  it('rolls segments by size and reads across them, also after a restart', async () => {
    await log.createTopic('roll', { 'segment.bytes': 4096 })
    for (let i = 0; i < 100; i++) await log.append('roll', [{ key: null, value: Buffer.alloc(200, i % 256) }])
    const segments = (await log.describeTopic('roll')).partitions[0]!.segments
    expect(segments).toBeGreaterThan(4)
    const files = fs.readdirSync(path.join(dir.path, 'topics', 'roll', '0'))
    expect(files.filter((f) => f.endsWith('.log'))).toHaveLength(segments)
    expect(files.filter((f) => f.endsWith('.index'))).toHaveLength(segments - 1)
    await log.close()
    log = await EmbeddedLog.open({ dataDir: dir.path })
    const offsets: number[] = []
    let next = 0
    while (next < 100) {
      const read = await log.read('roll', 0, next, { maxBytes: 1500 })
      offsets.push(...read.records.map((r) => r.offset))
      read.records.forEach((r) => {
        expect(r.value![0]).toBe(r.offset % 256)
      })
      next = read.nextOffset
    }
    expect(offsets).toEqual(Array.from({ length: 100 }, (_, i) => i))
    expect(await log.append('roll', [{ key: null, value: text('after') }])).toEqual([{ partition: 0, offset: 100 }])
  })

  it('shares one write and one fsync among concurrent appends', async () => {
    await log.createTopic('gc', { durability: 'fsync' })
    const appends = Array.from({ length: 64 }, (_, i) => log.append('gc', [{ key: null, value: text(`r${i}`) }]))
    const results = await Promise.all(appends)
    expect(results.map((r) => r[0]!.offset)).toEqual(Array.from({ length: 64 }, (_, i) => i))
    const partition = log.partitionsOf('gc')[0]!
    expect(partition.stats.batches).toBe(64)
    expect(partition.stats.syncs).toBeLessThan(8)
    expect(partition.stats.writes).toBe(partition.stats.syncs)
  })

  it('in async mode acknowledges after the write and fsyncs on flush.messages', async () => {
    await log.createTopic('async', { durability: 'async', 'flush.messages': 10, 'flush.ms': 3_600_000 })
    const partition = log.partitionsOf('async')[0]!
    for (let i = 0; i < 9; i++) await log.append('async', [{ key: null, value: text('x') }])
    expect(partition.stats.syncs).toBe(0)
    expect((await log.read('async', 0, 0)).records).toHaveLength(9)
    await log.append('async', [{ key: null, value: text('x') }])
    expect(partition.stats.syncs).toBe(1)
  })
})

describe('appending encoded batches', () => {
  it('stores a client batch as it came, assigning offsets, and refuses damaged ones', async () => {
    const { encodeRecordBatch } = await import('../../../core/log/record-batch.ts')
    await log.createTopic('raw', { partitions: 2 })
    await log.append('raw', [{ key: null, value: text('first'), partition: 1 }])
    const batch = encodeRecordBatch(
      [
        { key: text('k'), value: text('v1') },
        { key: text('k'), value: text('v2') },
      ],
      0,
      undefined,
      undefined,
      5000,
    )
    expect(await log.appendBatch('raw', 1, Buffer.from(batch))).toBe(1)
    const read = await log.read('raw', 1, 1)
    expect(read.records.map((r) => [r.offset, r.value!.toString(), r.timestamp])).toEqual([
      [1, 'v1', 5000],
      [2, 'v2', 5000],
    ])
    const damaged = Buffer.from(batch)
    damaged[damaged.length - 1]! ^= 1
    await expect(log.appendBatch('raw', 1, damaged)).rejects.toMatchObject({ code: 'TRB_LOG_INVALID_BATCH' })
    await expect(log.appendBatch('raw', 1, Buffer.concat([batch, Buffer.alloc(3)]))).rejects.toMatchObject({
      code: 'TRB_LOG_INVALID_BATCH',
    })
    await log.createTopic('compacted', { 'cleanup.policy': 'compact' })
    const keyless = encodeRecordBatch([{ key: null, value: text('v') }], 0)
    await expect(log.appendBatch('compacted', 0, keyless)).rejects.toMatchObject({ code: 'TRB_LOG_INVALID_BATCH' })
    expect((await log.describeTopic('raw')).partitions[1]!.highWatermark).toBe(3)
  })
})
