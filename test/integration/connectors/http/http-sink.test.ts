import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { httpSink } from '../../../../connectors/http/sink.ts'
import { isTributaryError } from '../../../../core/errors.ts'
import type { SinkRecord } from '../../../../core/runtime/plugin.ts'
import { sinkContext, sinkRecord } from '../../../support/task-context.ts'

let server: http.Server | undefined
afterEach(async () => {
  if (server) await new Promise<void>((resolve) => server?.close(() => resolve()))
  server = undefined
})

async function endpoint(answer: (batch: unknown[], res: http.ServerResponse) => void): Promise<{ url: string; requests: Array<{ at: number; batch: unknown[]; auth: string | undefined }> }> {
  const requests: Array<{ at: number; batch: unknown[]; auth: string | undefined }> = []
  server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const batch = JSON.parse(body) as unknown[]
      requests.push({ at: Date.now(), batch, auth: req.headers.authorization })
      answer(batch, res)
    })
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests }
}

const values = (n: number) => Array.from({ length: n }, (_, i) => sinkRecord({ offset: i, value: { i } }))

describe('http-sink', () => {
  it('posts batches with the token and headers, only on flush', async () => {
    const target = await endpoint((_batch, res) => res.writeHead(204).end())
    const sink = httpSink.createTask(sinkContext(httpSink.config.parse({ url: target.url, 'batch.size': '2', 'auth.token': 'abc', 'headers.X-Team': 'data' })))
    await sink.put(values(3))
    expect(target.requests).toHaveLength(0)
    await sink.flush()
    expect(target.requests.map((r) => r.batch)).toEqual([[{ i: 0 }, { i: 1 }], [{ i: 2 }]])
    expect(target.requests[0]?.auth).toBe('Bearer abc')
  })

  it('retries 5xx and honours Retry-After, then gives up with a retriable error', async () => {
    let calls = 0
    const target = await endpoint((_batch, res) => {
      calls++
      if (calls === 1) res.writeHead(429, { 'retry-after': '1' }).end()
      else if (calls === 2) res.writeHead(503).end()
      else res.writeHead(200).end()
    })
    const sink = httpSink.createTask(sinkContext(httpSink.config.parse({ url: target.url, 'retry.backoff.ms': '10' })))
    await sink.put(values(1))
    await sink.flush()
    expect(target.requests).toHaveLength(3)
    expect((target.requests[1]?.at ?? 0) - (target.requests[0]?.at ?? 0)).toBeGreaterThanOrEqual(950)
    const failing = await (async () => {
      await new Promise<void>((resolve) => server?.close(() => resolve()))
      return endpoint((_batch, res) => res.writeHead(500).end())
    })()
    const doomed = httpSink.createTask(sinkContext(httpSink.config.parse({ url: failing.url, 'retry.max': '2', 'retry.backoff.ms': '5' })))
    await doomed.put(values(1))
    const error = await doomed.flush().catch((e: unknown) => e)
    expect(isTributaryError(error, 'TRB_SINK_WRITE')).toBe(true)
    expect((error as { retriable: boolean }).retriable).toBe(true)
    expect(failing.requests).toHaveLength(3)
  })

  it('splits a refused batch to report only the records the endpoint rejects', async () => {
    const target = await endpoint((batch, res) => res.writeHead(batch.some((v) => (v as { i: number }).i === 5) ? 400 : 200).end())
    const bad: Array<{ record: SinkRecord; error: Error }> = []
    const sink = httpSink.createTask(sinkContext(httpSink.config.parse({ url: target.url }), { badRecords: bad }))
    await sink.put(values(8))
    await sink.flush()
    expect(bad.map((b) => b.record.offset)).toEqual([5])
    const delivered = target.requests.filter((r) => !r.batch.some((v) => (v as { i: number }).i === 5)).flatMap((r) => r.batch)
    expect(delivered.map((v) => (v as { i: number }).i).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 6, 7])
  })
})
