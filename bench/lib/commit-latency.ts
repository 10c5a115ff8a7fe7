/**
 * Commit-to-log latency at a steady 5,000 rows/s: `write(from, 50)` commits 50 rows every 10 ms
 * while the topic is read back; each row's latency runs from its COMMIT returning to the worker
 * handing out the record (0 for a record handed out before its COMMIT returned). Rows are told apart
 * by the `after.id` of their change event.
 */
import type { WorkerProcess } from '../../test/support/worker-process.ts'
import { latencySummary } from './stats.ts'
import { request } from './worker-api.ts'

const ROWS_PER_TICK = 50
const TICK_MS = 10
const RETRY_MS = 5

export async function measureCommitToLog(worker: WorkerProcess, topic: string, seconds: number, write: (from: number, count: number) => Promise<unknown>): Promise<{ p50: number; p99: number; max: number }> {
  const committedAt = new Map<number, number>()
  const latencies: number[] = []
  const ticks = Math.round((seconds * 1000) / TICK_MS)
  const reading = (async () => {
    let offset = 0
    while (offset < ticks * ROWS_PER_TICK) {
      const page = await request(worker, 'GET', `/topics/${topic}/records?partition=0&offset=${offset}&limit=1000&wait_ms=1000`).catch(() => undefined)
      if (page === undefined) {
        // No topic until the first record: ask again shortly, without taking the CPU the worker needs.
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS))
        continue
      }
      const now = performance.now()
      for (const record of page.records as Array<{ value: string }>) {
        const id = (JSON.parse(record.value) as { after: { id: number } }).after.id
        const at = committedAt.get(id)
        latencies.push(at === undefined ? 0 : now - at)
      }
      offset = page.next_offset
    }
  })()
  const tickStart = performance.now()
  let next = 1
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
