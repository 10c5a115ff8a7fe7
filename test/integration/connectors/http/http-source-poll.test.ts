import { afterEach, describe, expect, it } from 'vitest'
import { httpSource } from '../../../../connectors/http/source.ts'
import { isTributaryError, type TributaryError } from '../../../../core/errors.ts'
import type { Clock } from '../../../../core/clock.ts'
import type { SourceOffset, SourceRecord, SourceTask } from '../../../../core/runtime/plugin.ts'
import { partitionKey, pollRecords, sourceContext } from '../../../support/task-context.ts'
import { json, startEndpoint, type Answer, type Endpoint } from './http-endpoint.ts'
import { recordingClock, sleepSignallingClock } from './test-clocks.ts'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function endpoint(answer: Answer): Promise<Endpoint> {
  const started = await startEndpoint(answer)
  cleanups.push(() => started.close())
  return started
}

function poller(config: Record<string, string>, options: { offsets?: Map<string, SourceOffset>; clock?: Clock } = {}): SourceTask {
  const trigger = config.schedule === undefined ? { interval: '1h' } : {}
  const parsed = httpSource.config.parse({ topic: 'polled', mode: 'poll', 'poll.max.ms': '100', ...trigger, ...config })
  const task = httpSource.createTask(sourceContext(parsed, options))
  cleanups.push(() => task.stop())
  return task
}

/** Polls as the runtime would until `done()` holds, returning whatever came meanwhile. */
async function pollUntil(task: SourceTask, done: () => boolean, timeoutMs = 5000): Promise<SourceRecord[]> {
  const records: SourceRecord[] = []
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) throw new Error('condition not reached while polling')
    records.push(...(await task.poll(AbortSignal.timeout(timeoutMs))))
  }
  return records
}

const values = (records: readonly SourceRecord[]) => records.map((r) => r.value)

describe('http-source poll', () => {
  it('emits only items beyond the stored cursor, so a new task resumes where the last one stopped', async () => {
    let items: unknown[] = [{ id: 2, n: 'b' }, { id: 1, n: 'a' }, { n: 'no cursor' }]
    const target = await endpoint((_req, res) => json(res, 200, { data: { items } }))
    const config = {
      url: target.url,
      'items.path': 'data.items',
      'cursor.field': 'id',
      'key.field': 'n',
      'headers.X-Api-Version': '3',
      'auth.token': 'tk',
    }
    const first = poller(config)
    await first.start()
    const records = await pollRecords(first, 2)
    expect(records.map((r) => [r.key, r.value, r.sourceOffset, r.sourcePartition])).toEqual([
      ['a', { id: 1, n: 'a' }, { cursor: 1 }, { url: target.url }],
      ['b', { id: 2, n: 'b' }, { cursor: 2 }, { url: target.url }],
    ])
    expect(target.requests[0]?.headers).toMatchObject({ 'x-api-version': '3', authorization: 'Bearer tk', accept: 'application/json' })
    await first.stop()

    items = [{ id: 1 }, { id: 2 }, { id: 10 }, { id: 3 }]
    const offsets = new Map([[partitionKey({ url: target.url }), records[1]?.sourceOffset ?? {}]])
    const second = poller(config, { offsets })
    await second.start()
    expect(values(await pollRecords(second, 2))).toEqual([{ id: 3 }, { id: 10 }])
  })

  it('polls again on its interval and emits what is new', async () => {
    const items = [{ id: 'a', updated_at: '2024-05-01T10:00:00Z' }]
    const target = await endpoint((_req, res) => json(res, 200, items))
    const task = poller({ url: target.url, interval: '50ms', 'cursor.field': 'updated_at' })
    await task.start()
    expect(values(await pollRecords(task, 1))).toEqual([items[0]])
    items.push({ id: 'b', updated_at: '2024-05-01T10:00:05Z' })
    const next = await pollRecords(task, 1)
    expect(next.map((r) => r.sourceOffset)).toEqual([{ cursor: '2024-05-01T10:00:05Z' }])
    const fetched = target.requests.length
    expect(fetched).toBeGreaterThanOrEqual(2)
    expect(await pollUntil(task, () => target.requests.length >= fetched + 2)).toEqual([])
  })

  it('waits for the first cron tick, then polls on the schedule', async () => {
    const target = await endpoint((_req, res) => json(res, 200, { only: 'object' }))
    const task = poller({ url: target.url, schedule: '* * * * * *' }) // every second
    await task.start()
    expect(target.requests).toHaveLength(0)
    expect(values(await pollRecords(task, 1, 2500))).toEqual([{ only: 'object' }])
    expect(target.requests).toHaveLength(1)
  })

  it('skips items whose id was already emitted; with a cursor too, reads items sharing the cursor value', async () => {
    let items = [
      { id: 'a', ts: 1 },
      { id: 'b', ts: 1 },
    ]
    const target = await endpoint((_req, res) => json(res, 200, items))
    const task = poller({ url: target.url, interval: '30ms', 'id.field': 'id', 'cursor.field': 'ts' })
    await task.start()
    expect(values(await pollRecords(task, 2))).toEqual(items)
    items = [
      { id: 'a', ts: 1 },
      { id: 'b', ts: 1 },
      { id: 'c', ts: 1 },
      { id: 'old', ts: 0 },
    ]
    expect(values(await pollRecords(task, 1))).toEqual([{ id: 'c', ts: 1 }])
    const fetched = target.requests.length
    expect(await pollUntil(task, () => target.requests.length >= fetched + 2)).toEqual([])
  })

  it('hands a large response over in batch.size slices without fetching again', async () => {
    const target = await endpoint((_req, res) => json(res, 200, [1, 2, 3, 4, 5]))
    const task = poller({ url: target.url, 'batch.size': '2' })
    await task.start()
    const signal = AbortSignal.timeout(1000)
    expect([values(await task.poll(signal)), values(await task.poll(signal)), values(await task.poll(signal))]).toEqual([
      [1, 2],
      [3, 4],
      [5],
    ])
    expect(target.requests).toHaveLength(1)
  })

  it('retries failed GETs with backoff and carries on when they recover', async () => {
    const target = await endpoint((_req, res) => {
      const n = target.requests.length
      if (n === 1) res.writeHead(500).end()
      else if (n === 2) res.writeHead(200, { 'content-type': 'application/json' }).end('not json')
      else json(res, 200, [{ ok: true }])
    })
    const clock = recordingClock()
    const task = poller({ url: target.url, 'retry.backoff.ms': '40' }, { clock })
    await task.start()
    expect(values(await pollRecords(task, 1))).toEqual([{ ok: true }])
    expect(clock.sleeps).toEqual([40, 80])
  })

  it('throws a retriable TRB_SOURCE_READ when the GET keeps failing, and fetches again on the next poll', async () => {
    let up = false
    const target = await endpoint((_req, res) => (up ? json(res, 200, [1]) : res.writeHead(404).end('gone')))
    const task = poller({ url: target.url, 'retry.max': '2' }, { clock: recordingClock() })
    await task.start()
    const error = await task.poll(AbortSignal.timeout(1000)).catch((e: unknown) => e)
    expect(isTributaryError(error, 'TRB_SOURCE_READ')).toBe(true)
    expect((error as TributaryError).retriable).toBe(true)
    expect((error as TributaryError).details).toMatchObject({ url: target.url, status: 404 })
    expect(target.requests).toHaveLength(3)
    up = true
    expect(values(await task.poll(AbortSignal.timeout(1000)))).toEqual([1])
  })

  it('ends a poll waiting out a backoff when the task stops', async () => {
    const target = await endpoint((_req, res) => res.writeHead(503, { 'retry-after': '3600' }).end())
    const clock = sleepSignallingClock()
    const task = poller({ url: target.url }, { clock })
    await task.start()
    const polling = task.poll(new AbortController().signal)
    expect(await clock.sleeping).toBe(3_600_000)
    await task.stop()
    expect(await polling).toEqual([])
  })
})

describe('http-source config', () => {
  const base = { topic: 't', mode: 'poll', url: 'http://127.0.0.1/' }
  it('needs a url and exactly one of a valid cron schedule or an interval in poll mode', () => {
    expect(httpSource.config.safeParse({ ...base, schedule: 'every minute' }).success).toBe(false)
    expect(httpSource.config.safeParse(base).success).toBe(false)
    expect(httpSource.config.safeParse({ ...base, schedule: '*/5 * * * *', interval: '5m' }).success).toBe(false)
    expect(httpSource.config.safeParse({ topic: 't', mode: 'poll', interval: '5m' }).success).toBe(false)
    expect(httpSource.config.safeParse({ ...base, schedule: '*/5 * * * *' }).success).toBe(true)
    expect(httpSource.config.safeParse({ ...base, interval: 'soon' }).success).toBe(false)
    expect(httpSource.config.safeParse({ topic: 't' }).success).toBe(true)
  })

  it('coerces the flat string map and keeps runtime keys', () => {
    const parsed = httpSource.config.parse({
      ...base,
      interval: '1.5m',
      'max.pending.records': '20',
      'headers.include': 'a, b,,c',
      'tasks.max': '3',
    })
    expect(parsed).toMatchObject({ interval: 90_000, 'max.pending.records': 20, 'headers.include': ['a', 'b', 'c'], 'tasks.max': '3' })
    expect(['250ms', '30s', '2h'].map((interval) => httpSource.config.parse({ ...base, interval }).interval)).toEqual([
      250, 30_000, 7_200_000,
    ])
  })
})
