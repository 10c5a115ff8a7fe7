import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { partitionForKey } from '../../../core/log/partitioner.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

const text = (s: string) => Buffer.from(s)
let dir: { path: string; remove: () => Promise<void> }
let log: EmbeddedLog

beforeEach(async () => {
  dir = await makeTempDir()
  log = await EmbeddedLog.open({ dataDir: dir.path })
})

afterEach(async () => {
  await log.close()
  await dir.remove()
})

describe('topics', () => {
  it('creates, lists, describes and deletes topics', async () => {
    const created = await log.createTopic('orders', { partitions: 3, 'retention.ms': '3600000' })
    expect(created.partitions.map((p) => p.partition)).toEqual([0, 1, 2])
    expect(created.config['retention.ms']).toBe(3_600_000)
    expect(created.config.durability).toBe('fsync')
    await log.createTopic('audit')
    expect(await log.listTopics()).toEqual(['audit', 'orders'])
    await log.deleteTopic('orders')
    expect(await log.listTopics()).toEqual(['audit'])
    expect(fs.existsSync(path.join(dir.path, 'topics', 'orders'))).toBe(false)
    await expect(log.describeTopic('orders')).rejects.toMatchObject({ code: 'TRB_TOPIC_NOT_FOUND' })
  })

  it('refuses bad names, duplicates and bad configs with typed errors', async () => {
    await expect(log.createTopic('bad name')).rejects.toMatchObject({ code: 'TRB_TOPIC_INVALID_NAME' })
    await expect(log.createTopic('..')).rejects.toMatchObject({ code: 'TRB_TOPIC_INVALID_NAME' })
    await expect(log.createTopic('x'.repeat(250))).rejects.toMatchObject({ code: 'TRB_TOPIC_INVALID_NAME' })
    await expect(log.createTopic('t', { partitions: 0 })).rejects.toMatchObject({ code: 'TRB_CONFIG_INVALID' })
    await expect(log.createTopic('t', { durability: 'sometimes' } as never)).rejects.toMatchObject({ code: 'TRB_CONFIG_INVALID' })
    await expect(log.createTopic('t', { 'retention.mss': 5 } as never)).rejects.toMatchObject({ code: 'TRB_CONFIG_INVALID' })
    await log.createTopic('t')
    await expect(log.createTopic('t')).rejects.toMatchObject({ code: 'TRB_TOPIC_EXISTS' })
  })

  it('grows a topic and keeps it grown after a restart', async () => {
    await log.createTopic('grow', { partitions: 2 })
    await expect(log.createPartitions('grow', 2)).rejects.toMatchObject({ code: 'TRB_TOPIC_INVALID_PARTITIONS' })
    await log.createPartitions('grow', 5)
    await log.append('grow', [{ key: null, value: text('p4'), partition: 4 }])
    await log.close()
    log = await EmbeddedLog.open({ dataDir: dir.path })
    const described = await log.describeTopic('grow')
    expect(described.partitions).toHaveLength(5)
    expect(described.partitions[4]!.highWatermark).toBe(1)
  })
})

describe('append and read', () => {
  it('assigns consecutive offsets and reads records back with keys, values, headers and timestamps', async () => {
    await log.createTopic('t')
    const results = await log.append('t', [
      { key: text('a'), value: text('1'), timestamp: 1000, headers: [{ key: 'h', value: text('x') }] },
      { key: null, value: null, timestamp: 2000 },
    ])
    expect(results).toEqual([{ partition: 0, offset: 0 }, { partition: 0, offset: 1 }])
    expect(await log.append('t', [{ key: text('b'), value: text('2') }])).toEqual([{ partition: 0, offset: 2 }])
    const read = await log.read('t', 0, 0)
    expect(read.records.map((r) => [r.offset, r.key?.toString() ?? null, r.value?.toString() ?? null])).toEqual([
      [0, 'a', '1'], [1, null, null], [2, 'b', '2'],
    ])
    expect(read.records[0]!.headers).toEqual([{ key: 'h', value: text('x') }])
    expect(read.records[0]!.timestamp).toBe(1000)
    expect(read.nextOffset).toBe(3)
    expect(read.highWatermark).toBe(3)
    const fromMiddle = await log.read('t', 0, 1)
    expect(fromMiddle.records.map((r) => r.offset)).toEqual([1, 2])
  })

  it('puts keyed records where Kafka\'s default partitioner would', async () => {
    await log.createTopic('keyed', { partitions: 6 })
    const keys = Array.from({ length: 50 }, (_, i) => text(`customer-${i}`))
    const results = await log.append('keyed', keys.map((key) => ({ key, value: key })))
    results.forEach((result, i) => expect(result.partition).toBe(partitionForKey(keys[i]!, 6)))
    for (let p = 0; p < 6; p++) {
      const read = await log.read('keyed', p, 0)
      for (const record of read.records) expect(partitionForKey(record.key!, 6)).toBe(p)
    }
  })

  it('spreads keyless appends over partitions, one partition per append', async () => {
    await log.createTopic('spread', { partitions: 3 })
    const used = new Set<number>()
    for (let i = 0; i < 6; i++) {
      const results = await log.append('spread', [{ key: null, value: text('a') }, { key: null, value: text('b') }])
      expect(results[0]!.partition).toBe(results[1]!.partition)
      used.add(results[0]!.partition)
    }
    expect(used.size).toBe(3)
  })

  it('refuses unknown topics and partitions, and batches over max.message.bytes', async () => {
    await log.createTopic('small', { 'max.message.bytes': 200 })
    await expect(log.append('nope', [{ key: null, value: text('x') }])).rejects.toMatchObject({ code: 'TRB_TOPIC_NOT_FOUND' })
    await expect(log.append('small', [{ key: null, value: text('x'), partition: 1 }])).rejects.toMatchObject({ code: 'TRB_TOPIC_NOT_FOUND' })
    await expect(log.append('small', [{ key: null, value: Buffer.alloc(500) }])).rejects.toMatchObject({ code: 'TRB_LOG_RECORD_TOO_LARGE' })
    expect(await log.append('small', [{ key: null, value: Buffer.alloc(10) }])).toEqual([{ partition: 0, offset: 0 }])
  })

  it('gives a typed error for offsets outside the log', async () => {
    await log.createTopic('t')
    await log.append('t', [{ key: null, value: text('x') }])
    await expect(log.read('t', 0, 2)).rejects.toMatchObject({ code: 'TRB_LOG_OFFSET_OUT_OF_RANGE' })
    await expect(log.read('t', 0, -1)).rejects.toMatchObject({ code: 'TRB_LOG_OFFSET_OUT_OF_RANGE' })
    expect((await log.read('t', 0, 1)).records).toEqual([])
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
})

describe('reading at the end of the log', () => {
  it('waits for the next append instead of answering empty', async () => {
    await log.createTopic('t')
    const pending = log.read('t', 0, 0, { maxWaitMs: 30_000 })
    let settled = false
    void pending.then(() => (settled = true))
    await new Promise((resolve) => setImmediate(resolve))
    expect(settled).toBe(false)
    await log.append('t', [{ key: null, value: text('late') }])
    const read = await pending
    expect(read.records.map((r) => r.value?.toString())).toEqual(['late'])
  })

  it('answers empty once maxWaitMs passes with nothing appended', async () => {
    await log.createTopic('t')
    const read = await log.read('t', 0, 0, { maxWaitMs: 20 })
    expect(read.records).toEqual([])
    expect(read.nextOffset).toBe(0)
  })

  it('stops waiting when the caller aborts', async () => {
    await log.createTopic('t')
    const controller = new AbortController()
    const pending = log.read('t', 0, 0, { maxWaitMs: 60_000, signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toMatchObject({ code: 'TRB_ABORTED' })
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
      read.records.forEach((r) => expect(r.value![0]).toBe(r.offset % 256))
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
    const batch = encodeRecordBatch([{ key: text('k'), value: text('v1') }, { key: text('k'), value: text('v2') }], 0, undefined, undefined, 5000)
    expect(await log.appendBatch('raw', 1, Buffer.from(batch))).toBe(1)
    const read = await log.read('raw', 1, 1)
    expect(read.records.map((r) => [r.offset, r.value!.toString(), r.timestamp])).toEqual([[1, 'v1', 5000], [2, 'v2', 5000]])
    const damaged = Buffer.from(batch)
    damaged[damaged.length - 1]! ^= 1
    await expect(log.appendBatch('raw', 1, damaged)).rejects.toMatchObject({ code: 'TRB_LOG_INVALID_BATCH' })
    await expect(log.appendBatch('raw', 1, Buffer.concat([batch, Buffer.alloc(3)]))).rejects.toMatchObject({ code: 'TRB_LOG_INVALID_BATCH' })
    await log.createTopic('compacted', { 'cleanup.policy': 'compact' })
    const keyless = encodeRecordBatch([{ key: null, value: text('v') }], 0)
    await expect(log.appendBatch('compacted', 0, keyless)).rejects.toMatchObject({ code: 'TRB_LOG_INVALID_BATCH' })
    expect((await log.describeTopic('raw')).partitions[1]!.highWatermark).toBe(3)
  })
})
