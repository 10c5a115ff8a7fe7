/**
 * Commit-to-record latency at a steady 5,000 rows/s: `write(from, 50)` commits 50 rows every 10 ms
 * while a reader hands back the ids of the rows whose records have arrived; each row's latency runs
 * from its COMMIT returning to the reader handing its record over here (0 for a record handed over
 * before its COMMIT returned). Tributary's reader is the topic, read through the worker's REST API,
 * rows told apart by the `after.id` of their change event; a peer's is its own (bench/peers/debezium-engine.ts).
 * An untimed round of the same length and rate comes first (ids from WARM_UP_FIRST_ID on), its
 * records all read before the timed round starts: the JIT's warm-up (a JVM's above all), which a
 * service that has been running a while is past, stays out of the numbers on either side.
 */
import type { WorkerProcess } from '../../test/support/worker-process.ts'
import { latencySummary, median, round } from './stats.ts'
import { request } from './worker-api.ts'

const ROWS_PER_TICK = 50
const TICK_MS = 10
const RETRY_MS = 5
/** Above any id of a timed round (5,000 rows/s for at most 10 s). */
const WARM_UP_FIRST_ID = 1_000_001

/**
 * Reads the next `expected` records (a reader is called once for the warm-up, then for the timed
 * round), calling `arrived` with the ids of each lot and when it came (performance.now()).
 */
export type RecordReader = (expected: number, arrived: (ids: readonly number[], at: number) => void) => Promise<void>

export interface LatencySummary {
  readonly p50: number
  readonly p99: number
  readonly max: number
}

export async function measureCommitLatency(
  seconds: number,
  write: (from: number, count: number) => Promise<unknown>,
  read: RecordReader,
): Promise<LatencySummary> {
  await steadyRound(seconds, write, read, WARM_UP_FIRST_ID)
  return steadyRound(seconds, write, read, 1)
}

async function steadyRound(
  seconds: number,
  write: (from: number, count: number) => Promise<unknown>,
  read: RecordReader,
  firstId: number,
): Promise<LatencySummary> {
  const committedAt = new Map<number, number>()
  const latencies: number[] = []
  const ticks = Math.round((seconds * 1000) / TICK_MS)
  const reading = read(ticks * ROWS_PER_TICK, (ids, now) => {
    for (const id of ids) {
      const at = committedAt.get(id)
      latencies.push(at === undefined ? 0 : now - at)
    }
  })
  const tickStart = performance.now()
  let next = firstId
  for (let tick = 0; tick < ticks; tick++) {
    await write(next, ROWS_PER_TICK)
    const at = performance.now()
    for (let id = next; id < next + ROWS_PER_TICK; id++) committedAt.set(id, at)
    next += ROWS_PER_TICK
    const wait = tickStart + (tick + 1) * TICK_MS - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  }
  await reading
  return latencySummary(latencies)
}

/**
 * Several rounds of each side, taken in turns (ours, then the peer's, round after round), summed up
 * as each side's median round (p50, p99 and max each the median of the rounds'). A database on the
 * same disk flushes its own log at every commit, and one round's p99 moves by a factor of two or
 * more between runs of the same code with how those flushes and ours fall together; rounds in turns
 * expose both sides to the same stretches of it, and the median leaves out a round that met a stall.
 */
export async function latencyInTurns<T extends LatencySummary>(
  rounds: number,
  ours: (round: number) => Promise<LatencySummary>,
  peer: ((round: number) => Promise<T>) | undefined,
): Promise<{ ours: readonly LatencySummary[]; peer: readonly T[] }> {
  const mine: LatencySummary[] = []
  const theirs: T[] = []
  for (let round = 0; round < rounds; round++) {
    mine.push(await ours(round))
    if (peer !== undefined) theirs.push(await peer(round))
  }
  return { ours: mine, peer: theirs }
}

/** The median round of several (see latencyInTurns). */
export function medianRound(rounds: readonly LatencySummary[]): LatencySummary {
  return {
    p50: round(median(rounds.map((r) => r.p50)), 3),
    p99: round(median(rounds.map((r) => r.p99)), 3),
    max: round(median(rounds.map((r) => r.max)), 3),
  }
}

/** Tributary's side: the record readable from partition 0 of `topic`. */
export function measureCommitToLog(
  worker: WorkerProcess,
  topic: string,
  seconds: number,
  write: (from: number, count: number) => Promise<unknown>,
): Promise<LatencySummary> {
  let offset = 0
  return measureCommitLatency(seconds, write, async (expected, arrived) => {
    // Counted in records, not offsets: with exactly-once sources each transaction's commit marker takes an offset too.
    let seen = 0
    while (seen < expected) {
      const page = await request(worker, 'GET', `/topics/${topic}/records?partition=0&offset=${offset}&limit=1000&wait_ms=1000`).catch(
        () => undefined,
      )
      if (page === undefined) {
        // No topic until the first record: ask again shortly, without taking the CPU the worker needs.
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS))
        continue
      }
      const now = performance.now()
      const records = page.records as Array<{ value: string }>
      arrived(
        records.map((record) => (JSON.parse(record.value) as { after: { id: number } }).after.id),
        now,
      )
      seen += records.length
      offset = page.next_offset
    }
  })
}
