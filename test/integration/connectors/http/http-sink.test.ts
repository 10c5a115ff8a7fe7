import { afterEach, describe, expect, it } from 'vitest'
import { httpSink } from '../../../../connectors/http/sink.ts'
import { isTributaryError, type TributaryError } from '../../../../core/errors.ts'
import type { SinkRecord } from '../../../../core/runtime/plugin.ts'
import { sinkContext, sinkRecord, type SinkContextOptions } from '../../../support/task-context.ts'
import { json, startEndpoint, type Answer, type Endpoint } from './http-endpoint.ts'
import { recordingClock, sleepSignallingClock } from './test-clocks.ts'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function endpoint(answer: Answer): Promise<Endpoint> {
  const started = await startEndpoint(answer)
  cleanups.push(() => started.close())
  return started
}

function sink(config: Record<string, string>, options: SinkContextOptions = {}) {
  const task = httpSink.createTask(sinkContext(httpSink.config.parse(config), options))
  cleanups.push(() => task.stop())
  return task
}

const numbered = (n: number) => Array.from({ length: n }, (_, i) => sinkRecord({ offset: i, value: { i } }))
const numbersIn = (batch: unknown) => (batch as Array<{ i: number }>).map((v) => v.i)

describe('http-sink', () => {
  it('posts JSON array batches with the token and headers, and only on flush', async () => {
    const target = await endpoint((_req, res) => res.writeHead(204).end())
    const task = sink({ url: target.url, 'batch.size': '2', 'auth.token': 'abc', 'headers.X-Team': 'data' })
    await task.start()
    await task.put(numbered(3))
    expect(target.requests).toHaveLength(0)
    await task.flush()
    expect(target.requests.map((r) => r.json)).toEqual([[{ i: 0 }, { i: 1 }], [{ i: 2 }]])
    expect(target.requests[0]?.headers).toMatchObject({ authorization: 'Bearer abc', 'x-team': 'data', 'content-type': 'application/json' })
    await task.flush()
    expect(target.requests).toHaveLength(2)
  })

  it('sends each record alone as its bare value with batch.size=1, Buffers as base64, envelopes on request', async () => {
    const target = await endpoint((_req, res) => res.writeHead(200).end())
    const task = sink({ url: target.url, 'batch.size': '1' })
    await task.put([
      sinkRecord({ value: { n: 1, raw: Buffer.from('hi') } }),
      sinkRecord({ value: Buffer.from([0xff, 0x00]) }),
      sinkRecord({ value: 'text' }),
    ])
    await task.flush()
    expect(target.requests.map((r) => r.json)).toEqual([{ n: 1, raw: 'aGk=' }, '/wA=', 'text'])
    const enveloped = sink({ url: target.url, envelope: 'true' })
    await enveloped.put([sinkRecord({ topic: 'orders', partition: 2, offset: 7, timestamp: 5, key: Buffer.from('k'), value: { a: 1 } })])
    await enveloped.flush()
    expect(target.requests[3]?.json).toEqual([{ topic: 'orders', partition: 2, offset: 7, timestamp: 5, key: 'aw==', value: { a: 1 } }])
  })

  it('retries 5xx until the endpoint accepts, backing off exponentially', async () => {
    const target = await endpoint((_req, res) => res.writeHead(target.requests.length <= 3 ? 503 : 200).end())
    const clock = recordingClock()
    const task = sink({ url: target.url, 'retry.backoff.ms': '100', 'retry.backoff.max.ms': '250' }, { clock })
    await task.put(numbered(2))
    await task.flush()
    expect(target.requests.map((r) => numbersIn(r.json))).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
    ])
    expect(clock.sleeps).toEqual([100, 200, 250])
  })

  it('waits what Retry-After says on 429 and 503, in seconds or as an HTTP date', async () => {
    const clock = recordingClock()
    const answers = [
      (res: Parameters<Answer>[1]) => res.writeHead(429, { 'retry-after': '2' }).end(),
      (res: Parameters<Answer>[1]) => res.writeHead(503, { 'retry-after': new Date(clock.now() + 7000).toUTCString() }).end(),
      (res: Parameters<Answer>[1]) => res.writeHead(500, { 'retry-after': '60' }).end(),
      (res: Parameters<Answer>[1]) => res.writeHead(200).end(),
    ]
    const target = await endpoint((_req, res) => answers[target.requests.length - 1]?.(res))
    const task = sink({ url: target.url, 'retry.backoff.ms': '10' }, { clock })
    await task.put(numbered(1))
    await task.flush()
    expect(target.requests).toHaveLength(4)
    // The 500's Retry-After is not a promise the server made: plain backoff (10 doubled twice).
    expect(clock.sleeps).toEqual([2000, 7000, 40])
  })

  it('really sleeps a Retry-After on the system clock', async () => {
    const target = await endpoint((_req, res) =>
      target.requests.length === 1 ? res.writeHead(429, { 'retry-after': '1' }).end() : res.writeHead(200).end(),
    )
    const task = sink({ url: target.url })
    await task.put(numbered(1))
    const started = Date.now()
    await task.flush()
    expect(target.requests).toHaveLength(2)
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
  })

  it('fails the flush with a retriable TRB_SINK_WRITE when retries run out, and keeps the records', async () => {
    let healthy = false
    const target = await endpoint((_req, res) => res.writeHead(healthy ? 200 : 500).end())
    const task = sink({ url: target.url, 'retry.max': '2' }, { clock: recordingClock() })
    await task.put(numbered(2))
    const error = await task.flush().catch((e: unknown) => e)
    expect(isTributaryError(error, 'TRB_SINK_WRITE')).toBe(true)
    expect((error as TributaryError).retriable).toBe(true)
    expect((error as TributaryError).details).toMatchObject({ status: 500 })
    expect(target.requests).toHaveLength(3)
    healthy = true
    await task.flush()
    expect(target.requests.map((r) => numbersIn(r.json))[3]).toEqual([0, 1])
  })

  it('retries a request that times out', async () => {
    const target = await endpoint((_req, res) => {
      if (target.requests.length > 1) res.writeHead(200).end()
    })
    const task = sink({ url: target.url, 'request.timeout.ms': '100' }, { clock: recordingClock() })
    await task.put(numbered(1))
    await task.flush()
    expect(target.requests).toHaveLength(2)
  })

  it('isolates the records a 4xx refuses, reports them, and delivers the rest once', async () => {
    const target = await endpoint((req, res) =>
      numbersIn(req.json).some((i) => i === 5 || i === 2) ? json(res, 422, { error: 'bad item' }) : res.writeHead(200).end(),
    )
    const bad: Array<{ record: SinkRecord; error: Error }> = []
    const task = sink({ url: target.url }, { badRecords: bad })
    await task.put(numbered(8))
    await task.flush()
    expect(bad.map((b) => b.record.offset)).toEqual([2, 5])
    expect(isTributaryError(bad[0]?.error, 'TRB_SINK_WRITE')).toBe(true)
    expect((bad[0]!.error as TributaryError).retriable).toBe(false)
    expect(bad[0]?.error.message).toContain('422')
    expect((bad[0]!.error as TributaryError).details).toMatchObject({ status: 422, response: '{"error":"bad item"}' })
    const accepted = target.requests.filter((r) => !numbersIn(r.json).some((i) => i === 5 || i === 2)).flatMap((r) => numbersIn(r.json))
    expect(accepted.sort((a, b) => a - b)).toEqual([0, 1, 3, 4, 6, 7])
  })

  it('never sends accepted records again when a later part of the batch fails', async () => {
    let healthy = false
    // Record 3 is refused in company and cannot be stored alone until the endpoint recovers.
    const target = await endpoint((req, res) => {
      const batch = numbersIn(req.json)
      if (!batch.includes(3)) return res.writeHead(200).end()
      res.writeHead(batch.length > 1 ? 400 : healthy ? 200 : 503).end()
    })
    const task = sink({ url: target.url, 'retry.max': '1' }, { clock: recordingClock() })
    await task.put(numbered(4))
    expect(isTributaryError(await task.flush().catch((e: unknown) => e), 'TRB_SINK_WRITE')).toBe(true)
    healthy = true
    const before = target.requests.length
    await task.flush()
    expect(target.requests.slice(before).map((r) => numbersIn(r.json))).toEqual([[3]])
    const accepted = target.requests.filter((r) => !numbersIn(r.json).includes(3)).flatMap((r) => numbersIn(r.json))
    expect(accepted.sort()).toEqual([0, 1, 2])
  })

  it('fails the flush when the error handling refuses a bad record (errors.tolerance none)', async () => {
    const target = await endpoint((_req, res) => res.writeHead(400).end())
    const task = sink({ url: target.url })
    await task.put(numbered(1))
    const error = await task.flush().catch((e: unknown) => e)
    expect(isTributaryError(error, 'TRB_SINK_WRITE')).toBe(true)
    expect((error as TributaryError).retriable).toBe(false)
  })

  it('stops waiting for a retry when the task stops', async () => {
    const target = await endpoint((_req, res) => res.writeHead(503, { 'retry-after': '3600' }).end())
    const clock = sleepSignallingClock()
    const task = sink({ url: target.url }, { clock })
    await task.put(numbered(1))
    const flushing = task.flush().catch((e: unknown) => e)
    expect(await clock.sleeping).toBe(3_600_000)
    await task.stop()
    expect(isTributaryError(await flushing, 'TRB_ABORTED')).toBe(true)
  })
})
