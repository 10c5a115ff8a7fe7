/**
 * The behaviour every Log's consumer-group members must show, written against the Log seam only.
 * group-consumer.test.ts runs it on EmbeddedLog (with a ManualClock); kafka-log-groups.test.ts runs it
 * on KafkaLog against the listener in a second process (in real time).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { GroupConsumer, Log, StoredRecord, SubscribeOptions } from '../../core/log/log.ts'

export interface GroupLogUnderTest {
  readonly log: Log
  /** Closes the log (its members leave) and opens it again on the same storage. */
  reopen(): Promise<Log>
  /** Lets a heartbeat interval pass, so members hear of a rebalance or a grown topic. */
  heartbeat(): Promise<void>
  cleanup(): Promise<void>
}

export interface GroupSuiteTimings {
  readonly heartbeatIntervalMs: number
  readonly sessionTimeoutMs: number
  readonly rebalanceTimeoutMs: number
}

export const partitionsOf = (consumer: GroupConsumer): number[] =>
  consumer
    .assignment()
    .map((tp) => tp.partition)
    .sort()
export const values = (records: readonly StoredRecord[]): string[] => records.map((r) => r.value!.toString())
export const range = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => `v${from + i}`).sort()

/** Polls until a poll returns nothing. */
export async function drain(consumer: GroupConsumer): Promise<StoredRecord[]> {
  const out: StoredRecord[] = []
  for (;;) {
    const records = await consumer.poll()
    if (records.length === 0) return out
    out.push(...records)
  }
}

export function runGroupConsumerSuite(name: string, makeLog: () => Promise<GroupLogUnderTest>, timings: GroupSuiteTimings): void {
  describe(`${name}: consumer group members`, () => {
    let subject: GroupLogUnderTest
    let log: Log

    const subscribe = (overrides: Partial<SubscribeOptions> = {}) =>
      log.subscribe({ groupId: 'g', topics: ['t'], ...timings, ...overrides })
    const produce = async (from: number, count: number): Promise<void> => {
      await log.append(
        't',
        Array.from({ length: count }, (_, i) => ({ key: Buffer.from(`k${from + i}`), value: Buffer.from(`v${from + i}`) })),
      )
    }
    /** A second member joins; the first hears of it by heartbeat and rejoins with its next poll. */
    const joinSecond = async (a: GroupConsumer, overrides: Partial<SubscribeOptions> = {}) => {
      const bJoining = subscribe(overrides)
      await subject.heartbeat()
      const [b, rejoinPoll] = await Promise.all([bJoining, a.poll()])
      return { b, rejoinPoll }
    }

    beforeEach(async () => {
      subject = await makeLog()
      log = subject.log
      await log.createTopic('t', { partitions: 4 })
    })
    afterEach(async () => {
      await log.close()
      await subject.cleanup()
    })

    it.each(['range', 'roundrobin'] as const)('shares partitions between members without overlap (%s)', async (assignor) => {
      await produce(0, 200)
      const a = await subscribe({ assignor })
      expect(partitionsOf(a)).toEqual([0, 1, 2, 3])
      const { b, rejoinPoll } = await joinSecond(a, { assignor })
      expect([...partitionsOf(a), ...partitionsOf(b)].sort()).toEqual([0, 1, 2, 3])
      expect(partitionsOf(a)).toHaveLength(2)
      const seen = [...rejoinPoll, ...(await drain(a)), ...(await drain(b))]
      for (const record of seen)
        expect(partitionsOf(a).includes(record.partition) !== partitionsOf(b).includes(record.partition)).toBe(true)
      expect(values(seen).sort()).toEqual(range(0, 200))
    })

    it("moves a leaving member's partitions to the others, resuming from its commits", async () => {
      await produce(0, 100)
      const a = await subscribe()
      const { b, rejoinPoll } = await joinSecond(a)
      const first = [...rejoinPoll, ...(await drain(a)), ...(await drain(b))]
      expect(first).toHaveLength(100)
      await a.commit()
      await b.commit()
      await b.close()
      await produce(100, 50)
      await subject.heartbeat()
      const rest = await drain(a)
      expect(partitionsOf(a)).toEqual([0, 1, 2, 3])
      expect(values(rest).sort()).toEqual(range(100, 50))
    })

    it('resumes from committed offsets after a restart, and redelivers only what was not committed', async () => {
      await produce(0, 40)
      const a = await subscribe()
      expect(await drain(a)).toHaveLength(40)
      await a.commit()
      await produce(40, 10)
      expect(await drain(a)).toHaveLength(10)
      log = await subject.reopen()
      const again = await subscribe()
      expect(values(await drain(again)).sort()).toEqual(range(40, 10))
    })

    it('takes in new partitions when the topic grows', async () => {
      const a = await subscribe()
      expect(partitionsOf(a)).toEqual([0, 1, 2, 3])
      await log.createPartitions('t', 6)
      await log.append('t', [{ key: null, value: Buffer.from('in p5'), partition: 5 }])
      await subject.heartbeat()
      expect(values(await a.poll())).toEqual(['in p5'])
      expect(partitionsOf(a)).toEqual([0, 1, 2, 3, 4, 5])
    })

    it('starts at the end with autoOffsetReset latest, at the start with earliest', async () => {
      await produce(0, 20)
      const late = await subscribe({ groupId: 'late', autoOffsetReset: 'latest' })
      const early = await subscribe({ groupId: 'early', autoOffsetReset: 'earliest' })
      expect(await late.poll()).toEqual([])
      expect(await drain(early)).toHaveLength(20)
      await produce(20, 5)
      expect(values(await drain(late)).sort()).toEqual(range(20, 5))
    })

    it('goes on from the new log start when the records at its position are deleted', async () => {
      const toPartition0 = (from: number, count: number) =>
        log.append(
          't',
          Array.from({ length: count }, (_, i) => ({ key: null, value: Buffer.from(`v${from + i}`), partition: 0 })),
        )
      await toPartition0(0, 10)
      const a = await subscribe()
      expect(values(await drain(a))).toEqual(range(0, 10))
      await a.commit()
      await toPartition0(10, 10)
      expect(await log.deleteRecords('t', 0, 15)).toBe(15)
      // Its position, 10, is below the start now: the read that finds so resets it to the earliest
      // offset, 15, and it reads on from there (the poll that resets may hand out nothing).
      const resetting = await a.poll()
      expect(values([...resetting, ...(await drain(a))])).toEqual(range(15, 5))
    })

    it('hands out at most maxRecords a poll and the rest, in order, with the next polls', async () => {
      const a = await subscribe()
      await produce(0, 40)
      const polls: StoredRecord[][] = []
      for (;;) {
        const records = await a.poll({ maxRecords: 7 })
        if (records.length === 0) break
        polls.push(records)
      }
      expect(polls.every((records) => records.length <= 7)).toBe(true)
      const all = polls.flat()
      expect(values(all).sort()).toEqual(range(0, 40))
      for (const partition of [0, 1, 2, 3]) {
        const offsets = all.filter((r) => r.partition === partition).map((r) => r.offset)
        expect(offsets).toEqual(offsets.map((_, i) => i))
      }
      await a.close()
    })

    it('long-polls across all its partitions and wakes on the first append', async () => {
      const a = await subscribe()
      const polling = a.poll({ maxWaitMs: 60_000 })
      await log.append('t', [{ key: null, value: Buffer.from('wake'), partition: 2 }])
      expect(values(await polling)).toEqual(['wake'])
    })

    it("refuses work once closed, and a closed member's commit", async () => {
      const a = await subscribe()
      await a.close()
      await a.close()
      await expect(a.poll()).rejects.toMatchObject({ code: 'TRB_LOG_CLOSED' })
      await expect(a.commit()).rejects.toMatchObject({ code: 'TRB_LOG_CLOSED' })
    })
  })
}
