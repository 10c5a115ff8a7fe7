import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../../core/log/embedded-log.ts'
import type { GroupConsumer, StoredRecord, SubscribeOptions } from '../../../../core/log/log.ts'
import { ManualClock } from '../../../support/clock.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

let dir: { path: string; remove: () => Promise<void> }
let clock: ManualClock
let log: EmbeddedLog

const open = () => EmbeddedLog.open({ dataDir: dir.path, clock, maintenanceIntervalMs: 0 })
const subscribe = (overrides: Partial<SubscribeOptions> = {}) =>
  log.subscribe({ groupId: 'g', topics: ['t'], heartbeatIntervalMs: 1000, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 20_000, ...overrides })
const partitionsOf = (consumer: GroupConsumer) => consumer.assignment().map((tp) => tp.partition).sort()
const values = (records: readonly StoredRecord[]) => records.map((r) => r.value!.toString())

async function produce(from: number, count: number): Promise<void> {
  await log.append('t', Array.from({ length: count }, (_, i) => ({ key: Buffer.from(`k${from + i}`), value: Buffer.from(`v${from + i}`) })))
}

/** Polls until `expected` records arrived or a poll returns nothing. */
async function drain(consumer: GroupConsumer): Promise<StoredRecord[]> {
  const out: StoredRecord[] = []
  for (;;) {
    const records = await consumer.poll()
    if (records.length === 0) return out
    out.push(...records)
  }
}

beforeEach(async () => {
  dir = await makeTempDir()
  clock = new ManualClock()
  log = await open()
  await log.createTopic('t', { partitions: 4 })
})
afterEach(async () => {
  await log.close()
  await dir.remove()
})

describe('a consumer group in process', () => {
  it.each(['range', 'roundrobin'] as const)('shares partitions between members without overlap (%s)', async (assignor) => {
    await produce(0, 200)
    const a = await subscribe({ assignor })
    expect(partitionsOf(a)).toEqual([0, 1, 2, 3])
    const bJoining = subscribe({ assignor })
    await clock.advance(1000) // a's heartbeat hears of the rebalance
    const [b, rejoinPoll] = await Promise.all([bJoining, a.poll()])
    expect([...partitionsOf(a), ...partitionsOf(b)].sort()).toEqual([0, 1, 2, 3])
    expect(partitionsOf(a)).toHaveLength(2)
    const seen = [...rejoinPoll, ...(await drain(a)), ...(await drain(b))]
    for (const record of seen) expect(partitionsOf(a).includes(record.partition) !== partitionsOf(b).includes(record.partition)).toBe(true)
    expect(values(seen).sort()).toEqual(Array.from({ length: 200 }, (_, i) => `v${i}`).sort())
  })

  it('moves a leaving member\'s partitions to the others, resuming from its commits', async () => {
    await produce(0, 100)
    const a = await subscribe()
    const bJoining = subscribe()
    await clock.advance(1000)
    const [b, rejoinPoll] = await Promise.all([bJoining, a.poll()])
    const first = [...rejoinPoll, ...(await drain(a)), ...(await drain(b))]
    expect(first).toHaveLength(100)
    await a.commit()
    await b.commit()
    await b.close()
    await produce(100, 50)
    await clock.advance(1000)
    const rest = await drain(a)
    expect(partitionsOf(a)).toEqual([0, 1, 2, 3])
    expect(values(rest).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `v${100 + i}`).sort())
  })

  it('resumes from committed offsets after a restart, and redelivers only what was not committed', async () => {
    await produce(0, 40)
    const a = await subscribe()
    expect(await drain(a)).toHaveLength(40)
    await a.commit()
    await produce(40, 10)
    expect(await drain(a)).toHaveLength(10)
    await log.close()
    log = await open()
    const again = await subscribe()
    expect(values(await drain(again)).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `v${40 + i}`).sort())
  })

  it('takes in new partitions when the topic grows', async () => {
    const a = await subscribe()
    expect(partitionsOf(a)).toEqual([0, 1, 2, 3])
    await log.createPartitions('t', 6)
    await log.append('t', [{ key: null, value: Buffer.from('in p5'), partition: 5 }])
    await clock.advance(1000)
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
    expect(values(await drain(late)).sort()).toEqual(['v20', 'v21', 'v22', 'v23', 'v24'])
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
    expect(values(all).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `v${i}`).sort())
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
})
