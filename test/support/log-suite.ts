/**
 * The behaviour every implementation of the Log seam must show, written against the interface only.
 * embedded-log.test.ts runs it on the embedded engine; kafka-log.test.ts runs it on KafkaLog against
 * Tributary's own Kafka listener, and real-kafka-log.test.ts on KafkaLog against a real Apache Kafka
 * cluster.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Log } from '../../core/log/log.ts'
import { partitionForKey } from '../../core/log/partitioner.ts'

export interface LogUnderTest {
  readonly log: Log
  /** Closes the log and opens it again on the same storage. */
  reopen(): Promise<Log>
  cleanup(): Promise<void>
}

const text = (s: string) => Buffer.from(s)

export function runLogSuite(name: string, makeLog: () => Promise<LogUnderTest>): void {
  describe(`${name}: the Log seam`, () => {
    let subject: LogUnderTest
    let log: Log

    beforeEach(async () => {
      subject = await makeLog()
      log = subject.log
    })
    afterEach(async () => {
      await log.close()
      await subject.cleanup()
    })

    it('creates, lists, describes and deletes topics', async () => {
      const created = await log.createTopic('orders', { partitions: 3, 'retention.ms': 3_600_000 })
      expect(created.partitions.map((p) => p.partition)).toEqual([0, 1, 2])
      expect(created.config['retention.ms']).toBe(3_600_000)
      await log.createTopic('audit')
      expect(await log.listTopics()).toEqual(expect.arrayContaining(['audit', 'orders']))
      await log.deleteTopic('orders')
      expect(await log.listTopics()).not.toContain('orders')
      await expect(log.describeTopic('orders')).rejects.toMatchObject({ code: 'TRB_TOPIC_NOT_FOUND' })
    })

    it('refuses bad names and duplicates with typed errors', async () => {
      await expect(log.createTopic('bad name')).rejects.toMatchObject({ code: 'TRB_TOPIC_INVALID_NAME' })
      await expect(log.createTopic('..')).rejects.toMatchObject({ code: 'TRB_TOPIC_INVALID_NAME' })
      await expect(log.createTopic('x'.repeat(250))).rejects.toMatchObject({ code: 'TRB_TOPIC_INVALID_NAME' })
      await expect(log.createTopic('t', { partitions: 0 })).rejects.toMatchObject({ code: 'TRB_CONFIG_INVALID' })
      await log.createTopic('t')
      await expect(log.createTopic('t')).rejects.toMatchObject({ code: 'TRB_TOPIC_EXISTS' })
    })

    it('grows a topic and keeps it grown after a restart', async () => {
      await log.createTopic('grow', { partitions: 2 })
      await expect(log.createPartitions('grow', 2)).rejects.toMatchObject({ code: 'TRB_TOPIC_INVALID_PARTITIONS' })
      await log.createPartitions('grow', 5)
      await log.append('grow', [{ key: null, value: text('p4'), partition: 4 }])
      log = await subject.reopen()
      const described = await log.describeTopic('grow')
      expect(described.partitions).toHaveLength(5)
      expect(described.partitions[4]!.highWatermark).toBe(1)
    })

    it('assigns consecutive offsets and reads records back with keys, values, headers and timestamps', async () => {
      await log.createTopic('t')
      const results = await log.append('t', [
        { key: text('a'), value: text('1'), timestamp: 1000, headers: [{ key: 'h', value: text('x') }] },
        { key: null, value: null, timestamp: 2000 },
      ])
      expect(results).toEqual([
        { partition: 0, offset: 0 },
        { partition: 0, offset: 1 },
      ])
      expect(await log.append('t', [{ key: text('b'), value: text('2') }])).toEqual([{ partition: 0, offset: 2 }])
      const read = await log.read('t', 0, 0)
      expect(read.records.map((r) => [r.offset, r.key?.toString() ?? null, r.value?.toString() ?? null])).toEqual([
        [0, 'a', '1'],
        [1, null, null],
        [2, 'b', '2'],
      ])
      expect(read.records[0]!.headers).toEqual([{ key: 'h', value: text('x') }])
      expect(read.records[0]!.timestamp).toBe(1000)
      expect(read.nextOffset).toBe(3)
      expect(read.highWatermark).toBe(3)
      expect((await log.read('t', 0, 1)).records.map((r) => r.offset)).toEqual([1, 2])
    })

    it('reads records outside transactions alike at either isolation level, the last stable offset at the high watermark', async () => {
      await log.createTopic('t')
      await log.append('t', [
        { key: text('a'), value: text('1') },
        { key: text('b'), value: text('2') },
      ])
      for (const isolation of ['read_uncommitted', 'read_committed'] as const) {
        const read = await log.read('t', 0, 0, { isolation })
        expect(read.records.map((r) => [r.offset, r.value?.toString()])).toEqual([
          [0, '1'],
          [1, '2'],
        ])
        expect([read.nextOffset, read.highWatermark, read.lastStableOffset]).toEqual([2, 2, 2])
      }
    })

    it('keeps headers whose key repeats, in order, and goes on appending after them', async () => {
      await log.createTopic('repeated-headers')
      const headers = [
        { key: 'h', value: text('x') },
        { key: 'h', value: text('y') },
        { key: 'g', value: text('z') },
      ]
      expect(await log.append('repeated-headers', [{ key: null, value: text('1'), headers }])).toEqual([{ partition: 0, offset: 0 }])
      expect(await log.append('repeated-headers', [{ key: null, value: text('2') }])).toEqual([{ partition: 0, offset: 1 }])
      const read = await log.read('repeated-headers', 0, 0)
      expect(read.records.map((r) => r.value!.toString())).toEqual(['1', '2'])
      expect(read.records[0]!.headers.filter((h) => h.key === 'h').map((h) => h.value!.toString())).toEqual(['x', 'y'])
    })

    it('lands appends made together in the order they were called, each one whole', async () => {
      await log.createTopic('together', { partitions: 2 })
      // Not awaited one by one: the source runtime keeps several appends in flight.
      const appends = Array.from({ length: 40 }, (_, i) =>
        log.append('together', [
          { key: null, value: text(`${i}.a`), partition: i % 2 },
          { key: null, value: text(`${i}.b`), partition: i % 2 },
        ]),
      )
      const results = await Promise.all(appends)
      for (const partition of [0, 1]) {
        const expected = Array.from({ length: 20 }, (_, k) => 2 * k + partition).flatMap((i) => [`${i}.a`, `${i}.b`])
        expect((await log.read('together', partition, 0)).records.map((r) => r.value!.toString())).toEqual(expected)
      }
      expect(results.map(([a, b]) => [a!.partition, b!.offset - a!.offset])).toEqual(Array.from({ length: 40 }, (_, i) => [i % 2, 1]))
      expect(results.filter((_, i) => i % 2 === 0).map(([a]) => a!.offset)).toEqual(Array.from({ length: 20 }, (_, k) => 2 * k))
    })

    it('takes appends made together that each fit max.message.bytes, though together they would not', async () => {
      await log.createTopic('small-batches', { 'max.message.bytes': 4096 })
      const appends = Array.from({ length: 8 }, (_, i) =>
        log.append('small-batches', [{ key: null, value: Buffer.alloc(1500, 97 + i), partition: 0 }]),
      )
      expect((await Promise.all(appends)).map(([result]) => result!.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
      await expect(log.append('small-batches', [{ key: null, value: Buffer.alloc(5000), partition: 0 }])).rejects.toMatchObject({
        code: 'TRB_LOG_RECORD_TOO_LARGE',
      })
      expect((await log.read('small-batches', 0, 0)).records.map((r) => r.value![0])).toEqual([97, 98, 99, 100, 101, 102, 103, 104])
    })

    it('fails only the append a refusal belongs to, not appends to other topics made with it', async () => {
      await log.createTopic('strict', { 'max.message.bytes': 1024 })
      await log.createTopic('lenient')
      const refused = log.append('strict', [{ key: null, value: Buffer.alloc(4000), partition: 0 }])
      const taken = log.append('lenient', [{ key: null, value: text('fine'), partition: 0 }])
      await expect(refused).rejects.toMatchObject({ code: 'TRB_LOG_RECORD_TOO_LARGE' })
      expect(await taken).toEqual([{ partition: 0, offset: 0 }])
      expect(await log.append('strict', [{ key: null, value: text('small'), partition: 0 }])).toEqual([{ partition: 0, offset: 0 }])
    })

    it("puts keyed records where Kafka's default partitioner would", async () => {
      await log.createTopic('keyed', { partitions: 6 })
      const keys = Array.from({ length: 50 }, (_, i) => text(`customer-${i}`))
      const results = await log.append(
        'keyed',
        keys.map((key) => ({ key, value: key })),
      )
      results.forEach((result, i) => {
        expect(result.partition).toBe(partitionForKey(keys[i]!, 6))
      })
      for (let p = 0; p < 6; p++) {
        for (const record of (await log.read('keyed', p, 0)).records) expect(partitionForKey(record.key!, 6)).toBe(p)
      }
    })

    it('spreads keyless appends over partitions, one partition per append', async () => {
      await log.createTopic('spread', { partitions: 3 })
      const used = new Set<number>()
      for (let i = 0; i < 6; i++) {
        const results = await log.append('spread', [
          { key: null, value: text('a') },
          { key: null, value: text('b') },
        ])
        expect(results[0]!.partition).toBe(results[1]!.partition)
        used.add(results[0]!.partition)
      }
      expect(used.size).toBe(3)
    })

    it('refuses unknown topics and partitions', async () => {
      await log.createTopic('t')
      await expect(log.append('nope', [{ key: null, value: text('x') }])).rejects.toMatchObject({ code: 'TRB_TOPIC_NOT_FOUND' })
      await expect(log.append('t', [{ key: null, value: text('x'), partition: 1 }])).rejects.toMatchObject({ code: 'TRB_TOPIC_NOT_FOUND' })
      await expect(log.read('t', 3, 0)).rejects.toMatchObject({ code: 'TRB_TOPIC_NOT_FOUND' })
    })

    it('gives a typed error for offsets outside the log', async () => {
      await log.createTopic('t')
      await log.append('t', [{ key: null, value: text('x') }])
      await expect(log.read('t', 0, 2)).rejects.toMatchObject({ code: 'TRB_LOG_OFFSET_OUT_OF_RANGE' })
      await expect(log.read('t', 0, -1)).rejects.toMatchObject({ code: 'TRB_LOG_OFFSET_OUT_OF_RANGE' })
      expect((await log.read('t', 0, 1)).records).toEqual([])
    })

    it('waits at the end of the log for the next append instead of answering empty', async () => {
      await log.createTopic('t')
      const pending = log.read('t', 0, 0, { maxWaitMs: 30_000 })
      let settled = false
      void pending.then(() => (settled = true))
      await new Promise((resolve) => setImmediate(resolve))
      expect(settled).toBe(false)
      await log.append('t', [{ key: null, value: text('late') }])
      expect((await pending).records.map((r) => r.value?.toString())).toEqual(['late'])
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

    it('finds the earliest, the latest and the first offset at a timestamp', async () => {
      await log.createTopic('t')
      for (let i = 0; i < 40; i++) await log.append('t', [{ key: null, value: Buffer.alloc(100), timestamp: 10_000 + i * 10 }])
      expect(await log.listOffset('t', 0, 'earliest')).toBe(0)
      expect(await log.listOffset('t', 0, 'latest')).toBe(40)
      expect(await log.listOffset('t', 0, { timestamp: 0 })).toBe(0)
      expect(await log.listOffset('t', 0, { timestamp: 10_001 })).toBe(1)
      expect(await log.listOffset('t', 0, { timestamp: 10_250 })).toBe(25)
      expect(await log.listOffset('t', 0, { timestamp: 99_999 })).toBe(40)
    })

    it('deletes records before an offset: reads, earliest and describe start there, never back, and after a restart', async () => {
      await log.createTopic('t', { partitions: 2 })
      // One append to one partition is one batch: the new start falls inside it.
      await log.append(
        't',
        Array.from({ length: 10 }, (_, i) => ({ key: null, value: text(`v${i}`), partition: 0 })),
      )
      expect(await log.deleteRecords('t', 0, 4)).toBe(4)
      expect(await log.listOffset('t', 0, 'earliest')).toBe(4)
      expect((await log.describeTopic('t')).partitions.map((p) => [p.logStartOffset, p.highWatermark])).toEqual([
        [4, 10],
        [0, 0],
      ])
      await expect(log.read('t', 0, 3)).rejects.toMatchObject({ code: 'TRB_LOG_OFFSET_OUT_OF_RANGE' })
      const read = await log.read('t', 0, 4)
      expect(read.records.map((r) => r.value!.toString())).toEqual(['v4', 'v5', 'v6', 'v7', 'v8', 'v9'])
      expect(read.logStartOffset).toBe(4)
      expect(await log.deleteRecords('t', 0, 2)).toBe(4)
      await expect(log.deleteRecords('t', 0, 11)).rejects.toMatchObject({ code: 'TRB_LOG_OFFSET_OUT_OF_RANGE' })
      await expect(log.deleteRecords('t', 2, 0)).rejects.toMatchObject({ code: 'TRB_TOPIC_NOT_FOUND' })
      expect(await log.deleteRecords('t', 0, -1)).toBe(10)
      log = await subject.reopen()
      expect(await log.listOffset('t', 0, 'earliest')).toBe(10)
      expect(await log.append('t', [{ key: null, value: text('after'), partition: 0 }])).toEqual([{ partition: 0, offset: 10 }])
      expect((await log.read('t', 0, 10)).records.map((r) => r.value!.toString())).toEqual(['after'])
    })

    it('refuses to delete records of a topic that only compacts', async () => {
      await log.createTopic('c', { 'cleanup.policy': 'compact' })
      await log.append('c', [{ key: text('k'), value: text('v') }])
      await expect(log.deleteRecords('c', 0, 1)).rejects.toMatchObject({ code: 'TRB_LOG_POLICY_VIOLATION' })
      expect(await log.listOffset('c', 0, 'earliest')).toBe(0)
    })

    it('keeps every record across a restart', async () => {
      await log.createTopic('t', { partitions: 2 })
      for (let i = 0; i < 20; i++) await log.append('t', [{ key: text(`k${i}`), value: text(`v${i}`) }])
      log = await subject.reopen()
      let total = 0
      for (const p of [0, 1]) {
        const read = await log.read('t', p, 0)
        read.records.forEach((r) => {
          expect(r.value!.toString()).toBe(`v${r.key!.toString().slice(1)}`)
        })
        total += read.records.length
      }
      expect(total).toBe(20)
      expect((await log.append('t', [{ key: null, value: text('more'), partition: 0 }]))[0]!.offset).toBeGreaterThan(0)
    })
  })
}
