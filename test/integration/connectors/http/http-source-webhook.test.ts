import { setImmediate as nextTurn } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { httpSource } from '../../../../connectors/http/source.ts'
import type { IngressResponse, SourceOffset, SourceTask } from '../../../../core/runtime/plugin.ts'
import { freePort } from '../../../support/free-port.ts'
import { partitionKey, pollRecords, sourceContext, testIngress } from '../../../support/task-context.ts'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

function webhook(config: Record<string, string>, offsets?: Map<string, SourceOffset>) {
  const ingress = testIngress()
  const task = httpSource.createTask(
    sourceContext(httpSource.config.parse({ topic: 'hooks', 'poll.max.ms': '100', ...config }), {
      ingress,
      connector: 'hook',
      ...(offsets && { offsets }),
    }),
  )
  cleanups.push(() => task.stop())
  return { task, ingress }
}

/** 'pending' unless the reply has already come. */
async function state(reply: Promise<unknown>): Promise<'answered' | 'pending'> {
  return Promise.race([reply.then(() => 'answered' as const), nextTurn().then(() => 'pending' as const)])
}

const JSON_TYPE = { 'content-type': 'application/json' }

async function commitAll(task: SourceTask, count: number) {
  const records = await pollRecords(task, count)
  await task.commit?.(records)
  return records
}

describe('http-source webhook', () => {
  it('answers only once commit reports every record of the request durable', async () => {
    const { task, ingress } = webhook({ 'key.field': 'id' })
    await task.start()
    expect(ingress.options).toEqual({ maxBodyBytes: 1024 * 1024 })
    const reply = ingress.send('[{"id":"a"},{"id":7}]', JSON_TYPE)
    const records = await pollRecords(task, 2)
    expect(records.map((r) => [r.topic, r.key, r.value])).toEqual([
      ['hooks', 'a', { id: 'a' }],
      ['hooks', 7, { id: 7 }],
    ])
    expect(records[0]?.sourcePartition).toEqual({ connector: 'hook' })
    expect(Number(records[1]?.sourceOffset.received)).toBeGreaterThan(Number(records[0]?.sourceOffset.received))
    expect(await state(reply)).toBe('pending')
    await task.commit?.(records.slice(0, 1))
    expect(await state(reply)).toBe('pending')
    await task.commit?.(records.slice(1))
    expect(await reply).toEqual({ status: 200, body: { accepted: 2 } })
  })

  it('reads a JSON object, NDJSON lines and plain text; keys from a header; copies chosen headers', async () => {
    const { task, ingress } = webhook({ 'key.header': 'X-Key', 'headers.include': 'x-source, X-Trace' })
    await task.start()
    const headers = { 'x-key': 'k1', 'x-source': 'edge', 'x-other': 'no' }
    const object = ingress.send('{"n":0}', { ...JSON_TYPE, ...headers })
    const ndjson = ingress.send('{"n":1}\n\n{"n":2}\n', { 'content-type': 'application/x-ndjson; charset=utf-8' })
    const text = ingress.send('hello\nworld', { 'content-type': 'text/plain' })
    const records = await commitAll(task, 4)
    expect(records.map((r) => r.value)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }, 'hello\nworld'])
    expect(records[0]?.key).toBe('k1')
    expect(records[0]?.headers).toEqual({ 'x-source': 'edge' })
    expect(records[1]?.key).toBeNull()
    expect((await Promise.all([object, ndjson, text])).map((r) => r.body)).toEqual([{ accepted: 1 }, { accepted: 2 }, { accepted: 1 }])
    expect(await ingress.send('[]', JSON_TYPE)).toEqual({ status: 200, body: { accepted: 0 } })
  })

  it('declares its token to the server, and refuses malformed bodies (400), deep JSON (400) and other body types (415) as a whole', async () => {
    const { task, ingress } = webhook({ 'auth.token': 't0k' })
    await task.start()
    // The server that takes the request (the REST API) checks the token before the handler runs.
    expect(ingress.options).toEqual({ maxBodyBytes: 1024 * 1024, token: 't0k' })
    const bad: IngressResponse = await ingress.send('[{"ok":1},{oops', JSON_TYPE)
    expect(bad).toMatchObject({ status: 400, body: { error_code: 400, message: expect.stringContaining('not valid JSON') } })
    expect(await ingress.send('{"a":1}\nnope\n', { 'content-type': 'application/x-ndjson' })).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('line 2') },
    })
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`
    expect(await ingress.send(deep, JSON_TYPE)).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('deeper than 1000') },
    })
    expect(await ingress.send(`{"a":1}\n${deep}\n`, { 'content-type': 'application/x-ndjson' })).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('line 2 nests deeper') },
    })
    expect(await ingress.send('a=1&b=2', { 'content-type': 'application/x-www-form-urlencoded' })).toMatchObject({
      status: 415,
      body: { error_code: 415 },
    })
    expect(await ingress.send('{"a":1}', { 'content-type': 'multipart/form-data; boundary=x' })).toMatchObject({ status: 415 })
    expect(await task.poll(AbortSignal.timeout(1000))).toEqual([])
    const good = ingress.send(`${'['.repeat(1000)}${']'.repeat(1000)}`, { 'content-type': 'application/cloudevents+json' })
    const bare = ingress.send('{"a":1}')
    await commitAll(task, 2)
    expect([(await good).status, (await bare).status]).toEqual([200, 200])
  })

  it('answers 429 with Retry-After while max.pending.records wait, and takes requests again once they are durable', async () => {
    const { task, ingress } = webhook({ 'max.pending.records': '3' })
    await task.start()
    const first = ingress.send('[1,2]', JSON_TYPE)
    const full = await ingress.send('[3,4]', JSON_TYPE)
    expect(full).toMatchObject({ status: 429, body: { error_code: 429 }, headers: { 'retry-after': '1' } })
    const fits = ingress.send('3', JSON_TYPE)
    await commitAll(task, 3)
    expect((await Promise.all([first, fits])).map((r) => r.status)).toEqual([200, 200])
    const again = ingress.send('[3,4]', JSON_TYPE)
    await commitAll(task, 2)
    expect((await again).status).toBe(200)
  })

  it('tells every unanswered client to retry (503) when the task stops', async () => {
    const { task, ingress } = webhook({ 'batch.size': '1' })
    await task.start()
    const polled = ingress.send('{"n":1}', JSON_TYPE)
    const queued = ingress.send('{"n":2}', JSON_TYPE)
    expect(await pollRecords(task, 1)).toHaveLength(1)
    await task.stop()
    expect((await Promise.all([polled, queued])).map((r) => r.status)).toEqual([503, 503])
    expect((await ingress.send('{"n":3}', JSON_TYPE)).status).toBe(503)
  })

  it('takes back the records of a client that leaves before they are handed out', async () => {
    const { task, ingress } = webhook({})
    await task.start()
    const leaving = new AbortController()
    const reply = ingress.send('{"n":1}', JSON_TYPE, leaving.signal)
    leaving.abort()
    expect((await reply).status).toBe(503)
    const stays = ingress.send('{"n":2}', JSON_TYPE)
    const records = await commitAll(task, 1)
    expect(records.map((r) => r.value)).toEqual([{ n: 2 }])
    expect((await stays).status).toBe(200)
  })

  it('keeps offsets increasing past the stored one after a restart', async () => {
    const stored = Date.now() * 1000 + 1e9
    const { task, ingress } = webhook({}, new Map([[partitionKey({ connector: 'hook' }), { received: stored }]]))
    await task.start()
    void ingress.send('{}', JSON_TYPE)
    const [record] = await pollRecords(task, 1)
    expect(record?.sourceOffset.received).toBe(stored + 1)
  })
})

describe('http-source webhook on its own port', () => {
  it('serves POST on listen.path, answers after commit, and applies the token and body limit', async () => {
    const port = await freePort()
    const { task, ingress } = webhook({
      'listen.port': String(port),
      'listen.path': '/in',
      'max.body.bytes': '64',
      'auth.token': 's3cret',
      'max.pending.records': '1',
    })
    await task.start()
    expect(ingress.options).toBeUndefined()
    const url = `http://127.0.0.1:${port}/in`
    const auth = { authorization: 'Bearer s3cret', 'content-type': 'application/json' }
    expect((await fetch(`http://127.0.0.1:${port}/elsewhere`, { method: 'POST', headers: auth, body: '{}' })).status).toBe(404)
    expect((await fetch(url)).status).toBe(405)
    const unauthorized = await fetch(url, { method: 'POST', body: '{}' })
    expect([unauthorized.status, unauthorized.headers.get('www-authenticate')]).toEqual([401, 'Bearer'])
    const large = await fetch(url, { method: 'POST', headers: auth, body: JSON.stringify({ big: 'x'.repeat(100) }) })
    expect([large.status, await large.json()]).toEqual([413, { error_code: 413, message: 'body larger than 64 bytes' }])
    const malformed = await fetch(url, { method: 'POST', headers: auth, body: '{"a":' })
    expect([malformed.status, ((await malformed.json()) as { error_code: number }).error_code]).toEqual([400, 400])

    const pending = fetch(url, { method: 'POST', headers: auth, body: '{"ok":true}' })
    const records = await pollRecords(task, 1)
    expect(records.map((r) => r.value)).toEqual([{ ok: true }])
    const full = await fetch(url, { method: 'POST', headers: auth, body: '{"ok":false}' })
    expect([full.status, full.headers.get('retry-after')]).toEqual([429, '1'])
    expect(await state(pending)).toBe('pending')
    await task.commit?.(records)
    const response = await pending
    expect([response.status, await response.json()]).toEqual([200, { accepted: 1 }])
  })

  it('answers 503 to requests in hand when it stops, then frees the port', async () => {
    const port = await freePort()
    const { task } = webhook({ 'listen.port': String(port) })
    await task.start()
    const url = `http://127.0.0.1:${port}/`
    const pending = fetch(url, { method: 'POST', body: '{"n":1}' })
    await pollRecords(task, 1)
    await task.stop()
    const response = await pending
    expect([response.status, response.headers.get('retry-after')]).toEqual([503, '1'])
    await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow()
    const again = webhook({ 'listen.port': String(port) })
    await again.task.start()
  })
})
