import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { httpSource } from '../../../../connectors/http/source.ts'
import type { SourceOffset } from '../../../../core/runtime/plugin.ts'
import { partitionKey, pollRecords, sourceContext, testIngress } from '../../../support/task-context.ts'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

function start(config: Record<string, string>, options: { offsets?: Map<string, SourceOffset> } = {}) {
  const ingress = testIngress()
  const task = httpSource.createTask(sourceContext(httpSource.config.parse({ topic: 'hooks', 'poll.max.ms': '200', ...config }), { ingress, ...options }))
  cleanups.push(() => task.stop())
  return { task, ingress }
}


describe('http-source webhook', () => {
  it('answers only after commit reports the records durable', async () => {
    const { task, ingress } = start({ 'key.field': 'id' })
    await task.start()
    let answered = false
    const reply = ingress.send('[{"id":"a"},{"id":"b"}]', { 'content-type': 'application/json' }).then((r) => {
      answered = true
      return r
    })
    const records = await pollRecords(task, 2)
    expect(records.map((r) => [r.key, r.value])).toEqual([['a', { id: 'a' }], ['b', { id: 'b' }]])
    await new Promise((resolve) => setImmediate(resolve))
    expect(answered).toBe(false)
    await task.commit?.(records.slice(0, 1))
    await new Promise((resolve) => setImmediate(resolve))
    expect(answered).toBe(false)
    await task.commit?.(records.slice(1))
    expect(await reply).toEqual({ status: 200, body: { accepted: 2 } })
  })

  it('takes NDJSON and text bodies, and refuses bad JSON, a wrong token and a full queue', async () => {
    const { task, ingress } = start({ 'auth.token': 't0k', 'max.pending.records': '2', 'headers.include': 'x-source' })
    await task.start()
    const auth = { authorization: 'Bearer t0k' }
    expect((await ingress.send('{}', { 'content-type': 'application/json' })).status).toBe(401)
    expect(await ingress.send('{oops', { ...auth, 'content-type': 'application/json' })).toMatchObject({ status: 400, body: { error_code: 400 } })
    const ndjson = ingress.send('{"n":1}\n{"n":2}\n', { ...auth, 'content-type': 'application/x-ndjson', 'x-source': 'edge' })
    expect((await ingress.send('"third"', { ...auth, 'content-type': 'application/json' })).status).toBe(429)
    const records = await pollRecords(task, 2)
    expect(records.map((r) => r.value)).toEqual([{ n: 1 }, { n: 2 }])
    expect(records[0]?.headers).toEqual({ 'x-source': 'edge' })
    await task.commit?.(records)
    expect((await ndjson).status).toBe(200)
    const text = ingress.send('hello', { ...auth, 'content-type': 'text/plain' })
    const [line] = await pollRecords(task, 1)
    expect(line?.value).toBe('hello')
    await task.stop()
    expect((await text).status).toBe(503)
  })

  it('serves its own port when listen.port is set, with a body limit', async () => {
    const probe = http.createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as AddressInfo).port
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    const { task } = start({ 'listen.port': String(port), 'max.body.bytes': '64' })
    await task.start()
    const url = `http://127.0.0.1:${port}/`
    expect((await fetch(url, { method: 'POST', body: JSON.stringify({ big: 'x'.repeat(100) }) })).status).toBe(413)
    const pending = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ok":true}' })
    const records = await pollRecords(task, 1)
    await task.commit?.(records)
    const response = await pending
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ accepted: 1 })
  })
})

describe('http-source poll', () => {
  it('emits only items beyond the stored cursor, on its interval', async () => {
    let items = [{ id: 1 }, { id: 2 }]
    const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { items } })))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/items`
    const config = { mode: 'poll', url, interval: '50ms', 'items.path': 'data.items', 'cursor.field': 'id' }
    const first = start(config)
    await first.task.start()
    const records = await pollRecords(first.task, 2)
    expect(records.map((r) => r.value)).toEqual([{ id: 1 }, { id: 2 }])
    expect(records[1]?.sourceOffset).toEqual({ cursor: 2 })
    await first.task.stop()
    items = [{ id: 1 }, { id: 2 }, { id: 3 }]
    const second = start(config, { offsets: new Map([[partitionKey({ url }), { cursor: 2 }]]) })
    await second.task.start()
    expect((await pollRecords(second.task, 1)).map((r) => r.value)).toEqual([{ id: 3 }])
  })

  it('refuses a poll config without a schedule, and a bad cron expression', () => {
    const problems = httpSource.config.safeParse({ topic: 't', mode: 'poll', url: 'http://127.0.0.1/', schedule: 'every minute' })
    expect(problems.success).toBe(false)
    expect(httpSource.config.safeParse({ topic: 't', mode: 'poll', url: 'http://127.0.0.1/' }).success).toBe(false)
    expect(httpSource.config.safeParse({ topic: 't', mode: 'poll', url: 'http://127.0.0.1/', schedule: '*/5 * * * *' }).success).toBe(true)
  })
})
