/**
 * DNS rebinding and cross-site writes against a real worker on loopback (issue rows 2 and 3): a
 * request whose Host is not one of the worker's names gets 421 and changes nothing; a write from
 * another origin gets 403 and changes nothing; curl-like clients (no Origin), the worker's own
 * origin, its own names and the names an operator allows keep working; /health answers any Host.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { rawRequest } from '../../support/raw-http.ts'
import { topicRecords } from '../../support/topic-records.ts'
import { eventually, startWorkerHarness, type WorkerHarness, type WorkerHarnessOptions } from '../../support/worker-harness.ts'

let harness: WorkerHarness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

async function start(options: WorkerHarnessOptions = {}): Promise<WorkerHarness> {
  harness = await startWorkerHarness(options)
  return harness
}

const JSON_TYPE = { 'content-type': 'application/json' }
const sinkConfig = (name: string) => JSON.stringify({ name, config: { 'connector.class': 'file-sink', topics: 'x', file: 'out.jsonl' } })

async function webhook(worker: WorkerHarness, name = 'hook'): Promise<void> {
  expect((await worker.request('POST', '/connectors', { name, config: { 'connector.class': 'http-source', topic: 'hooks' } })).status).toBe(
    201,
  )
  await eventually(
    () => rawRequest(worker.base, 'POST', `/ingest/${name}`, JSON_TYPE, '[]'),
    (answer) => answer.status === 200,
  )
}

describe("the REST API's Host check", () => {
  it('refuses a rebinding name with 421 for reads, writes and the dashboard, and creates nothing', async () => {
    const worker = await start()
    const port = new URL(worker.base).port
    const rebind = { host: `rebind.attacker.example:${port}` }
    const read = await rawRequest(worker.base, 'GET', '/connectors', rebind)
    expect(read).toMatchObject({ status: 421, body: { error_code: 421, message: expect.stringContaining('--rest-allowed-hosts') } })
    expect((await rawRequest(worker.base, 'POST', '/connectors', { ...rebind, ...JSON_TYPE }, sinkConfig('evil'))).status).toBe(421)
    expect((await rawRequest(worker.base, 'GET', '/ui/', rebind)).status).toBe(421)
    expect((await rawRequest(worker.base, 'GET', '/connectors', { host: 'localhost.attacker.example' })).status).toBe(421)
    expect((await rawRequest(worker.base, 'GET', '/connectors', { host: '127.0.0.1.nip.io' })).status).toBe(421)
    expect((await worker.request('GET', '/connectors')).body).toEqual([])
    // The health probe tells only readiness, to any name a load balancer uses.
    expect((await rawRequest(worker.base, 'GET', '/health', rebind)).status).toBe(200)
  })

  it('answers to loopback names, its bound and advertised names and the allowed ones', async () => {
    const worker = await start({
      names: { bindHost: '127.0.0.1', advertisedHost: 'worker-7.internal', allowedHosts: ['tributary.example.com'] },
    })
    const port = new URL(worker.base).port
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LOCALHOST.:${port}`,
      `app.localhost:${port}`,
      `127.8.9.10:${port}`,
      `[::1]:${port}`,
      `worker-7.internal:${port}`,
      `tributary.example.com:${port}`,
      'tributary.example.com',
    ]) {
      expect([host, (await rawRequest(worker.base, 'GET', '/connectors', { host })).status]).toEqual([host, 200])
    }
    for (const host of ['example.com', `10.1.2.3:${port}`, 'a b', 'user@localhost']) {
      expect([host, (await rawRequest(worker.base, 'GET', '/connectors', { host })).status]).toEqual([host, 421])
    }
  })

  it('answers to any name with --rest-allowed-hosts *', async () => {
    const worker = await start({ names: { allowedHosts: ['*'] } })
    expect((await rawRequest(worker.base, 'GET', '/connectors', { host: 'rebind.attacker.example' })).status).toBe(200)
  })
})

describe("the REST API's cross-origin write check", () => {
  it('refuses writes from another origin with 403 and acts on none of them', async () => {
    const worker = await start()
    await webhook(worker)
    const port = new URL(worker.base).port
    const evil = { origin: 'http://evil.example', host: `127.0.0.1:${port}` }
    const otherPort = { origin: `http://127.0.0.1:${Number(port) + 1}` }
    const form = { 'content-type': 'application/x-www-form-urlencoded' }
    const refused = [
      await rawRequest(worker.base, 'POST', '/ingest/hook', { ...evil, ...form }, '{"stolen":1}'),
      await rawRequest(worker.base, 'POST', '/ingest/hook', { ...otherPort, 'content-type': 'text/plain' }, 'stolen'),
      await rawRequest(worker.base, 'POST', '/ingest/hook', { 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' }, 'stolen'),
      await rawRequest(
        worker.base,
        'POST',
        '/ingest/hook',
        { 'sec-fetch-site': 'same-site', origin: worker.base, 'content-type': 'text/plain' },
        'stolen',
      ),
      await rawRequest(worker.base, 'POST', '/ingest/hook', { origin: 'null', 'content-type': 'text/plain' }, 'stolen'),
      await rawRequest(worker.base, 'POST', '/connectors', { ...evil, ...JSON_TYPE }, sinkConfig('evil')),
      await rawRequest(worker.base, 'POST', '/connectors/hook/restart', evil),
      await rawRequest(worker.base, 'PUT', '/connectors/hook/pause', evil),
      await rawRequest(worker.base, 'DELETE', '/connectors/hook', evil),
      await rawRequest(worker.base, 'POST', '/topics/hooks/replay', { ...evil, ...JSON_TYPE }, '{}'),
    ]
    for (const answer of refused) expect(answer).toMatchObject({ status: 403, body: { error_code: 403 } })
    expect((await worker.request('GET', '/connectors')).body).toEqual(['hook'])
    expect((await worker.request('GET', '/connectors/hook/status')).body.connector.state).toBe('RUNNING')
    expect(await topicRecords(worker, 'hooks')).toEqual([])
    // Reading is no write: a cross-origin GET is answered (the browser keeps the answer from the page: no CORS headers).
    expect((await rawRequest(worker.base, 'GET', '/connectors', evil)).status).toBe(200)
  })

  it('takes writes from its own origin and from clients that send no Origin', async () => {
    const worker = await start()
    await webhook(worker)
    const port = new URL(worker.base).port
    const sameOrigin: Array<Record<string, string>> = [
      { origin: worker.base },
      { origin: `http://localhost:${port}`, host: `localhost:${port}` },
      { 'sec-fetch-site': 'same-origin', origin: worker.base },
      { 'sec-fetch-site': 'none' },
      {},
    ]
    for (const headers of sameOrigin) {
      expect((await rawRequest(worker.base, 'POST', '/ingest/hook', { ...headers, ...JSON_TYPE }, '{"n":1}')).status).toBe(200)
    }
    expect((await rawRequest(worker.base, 'POST', '/connectors/hook/restart', { origin: worker.base })).status).toBe(204)
    // Each 200 came once its record's transaction committed; on Kafka the commit markers that make it
    // visible to a read_committed reader follow a moment after EndTxn's answer.
    await eventually(
      async () => (await topicRecords(worker, 'hooks')).length,
      (n) => n === sameOrigin.length,
    )
  })
})

describe('security headers', () => {
  it('come with every answer: data, errors, refusals and the dashboard', async () => {
    const worker = await start()
    const answers = [
      await rawRequest(worker.base, 'GET', '/connectors'),
      await rawRequest(worker.base, 'GET', '/nowhere'),
      await rawRequest(worker.base, 'GET', '/ui/'),
      await rawRequest(worker.base, 'GET', '/connectors', { host: 'rebind.attacker.example' }),
      await rawRequest(worker.base, 'POST', '/connectors', { origin: 'http://evil.example' }),
    ]
    for (const answer of answers) {
      expect(answer.headers).toMatchObject({
        'content-security-policy': expect.stringMatching(/default-src 'self'.*frame-ancestors 'none'/),
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      })
      expect(answer.headers['access-control-allow-origin']).toBeUndefined()
    }
  })
})
