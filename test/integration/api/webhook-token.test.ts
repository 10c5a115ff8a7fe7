/**
 * Webhook tokens beside the REST token, against a real worker on loopback (issue row 9): with
 * --rest-auth-token set, a webhook's own auth.token is enough for its own /ingest route and the REST
 * token works there too; a webhook with no token of its own needs the REST token; a webhook's token
 * opens nothing else.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { rawRequest } from '../../support/raw-http.ts'
import { topicRecords } from '../../support/topic-records.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.ts'

let harness: WorkerHarness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const REST_TOKEN = 'rest-secret'
const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' })

async function webhook(worker: WorkerHarness, name: string, config: Record<string, string> = {}): Promise<void> {
  expect(
    (await worker.request('POST', '/connectors', { name, config: { 'connector.class': 'http-source', topic: name, ...config } })).status,
  ).toBe(201)
  await eventually(
    () => worker.request('GET', `/connectors/${name}/status`),
    (answer) => answer.body?.tasks?.[0]?.state === 'RUNNING',
  )
}

const send = (worker: WorkerHarness, name: string, headers: Record<string, string>, n: number) =>
  rawRequest(worker.base, 'POST', `/ingest/${name}`, headers, JSON.stringify({ n }))

describe('webhook tokens with a REST token set', () => {
  it("let a webhook's own token or the REST token in, and nothing else", async () => {
    harness = await startWorkerHarness({ authToken: REST_TOKEN })
    const worker = harness
    await webhook(worker, 'own', { 'auth.token': 'hook-secret' })
    await webhook(worker, 'plain')

    expect((await send(worker, 'own', bearer('hook-secret'), 1)).status).toBe(200)
    expect((await send(worker, 'own', bearer(REST_TOKEN), 2)).status).toBe(200)
    for (const headers of [bearer('wrong'), bearer('hook-secre'), bearer('hook-secret-and-more'), { 'content-type': 'application/json' }]) {
      const refused = await send(worker, 'own', headers, 99)
      expect([refused.status, refused.headers['www-authenticate']]).toEqual([401, 'Bearer'])
    }
    expect((await topicRecords(worker, 'own')).map((record) => record.value)).toEqual([{ n: 1 }, { n: 2 }])

    expect((await send(worker, 'plain', bearer(REST_TOKEN), 3)).status).toBe(200)
    expect((await send(worker, 'plain', bearer('hook-secret'), 99)).status).toBe(401)
    expect((await send(worker, 'plain', { 'content-type': 'application/json' }, 99)).status).toBe(401)
    expect((await topicRecords(worker, 'plain')).map((record) => record.value)).toEqual([{ n: 3 }])

    // A webhook's token is for its own route only, and does not tell who else exists.
    expect((await rawRequest(worker.base, 'GET', '/connectors', bearer('hook-secret'))).status).toBe(401)
    expect((await send(worker, 'ghost', bearer('hook-secret'), 99)).status).toBe(401)
    expect((await send(worker, 'ghost', bearer(REST_TOKEN), 99)).status).toBe(404)
  })

  it('without a REST token: a webhook with its own token needs it, one without is open', async () => {
    harness = await startWorkerHarness()
    const worker = harness
    await webhook(worker, 'own', { 'auth.token': 'hook-secret' })
    await webhook(worker, 'plain')
    expect((await send(worker, 'own', { 'content-type': 'application/json' }, 1)).status).toBe(401)
    expect((await send(worker, 'own', bearer('hook-secret'), 2)).status).toBe(200)
    expect((await send(worker, 'plain', { 'content-type': 'application/json' }, 3)).status).toBe(200)
  })
})
