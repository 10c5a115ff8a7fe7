import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApi, startApi } from '../../../core/api/server.ts'
import { PipelineManager } from '../../../core/worker/pipeline-manager.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.ts'

const URL_PASSWORD = 'UrlPass4721'
const HEADER_TOKEN = 'HeaderTok9034'
const PG_PASSWORD = 'PgPass5518'
const SECRETS = [URL_PASSWORD, HEADER_TOKEN, PG_PASSWORD]

// Port 1 refuses at once; the http-sink's driver (fetch) quotes the whole URL in its error.
const httpSink = {
  'connector.class': 'http-sink',
  topics: 'orders',
  url: `http://svc:${URL_PASSWORD}@127.0.0.1:1/in`,
  'headers.Authorization': `Bearer ${HEADER_TOKEN}`,
  'headers.Content-Language': 'en',
  'retry.max': '0',
  'restart.max.attempts': '0',
}
const pgSink = {
  'connector.class': 'postgres-sink',
  topics: 'orders',
  url: `postgres://u:${PG_PASSWORD}@127.0.0.1:1/db`,
  'restart.max.attempts': '0',
}

let harness: WorkerHarness

beforeEach(async () => {
  harness = await startWorkerHarness()
  await harness.request('POST', '/topics', { name: 'orders' })
  expect((await harness.request('PUT', '/connectors/hs/config', httpSink)).status).toBe(201)
  expect((await harness.request('PUT', '/connectors/pg/config', pgSink)).status).toBe(201)
})
afterEach(async () => {
  await harness.close()
})

function leaks(body: unknown): string[] {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  return SECRETS.filter((secret) => text.includes(secret))
}

async function failedTrace(name: string): Promise<string> {
  const status = await eventually(
    () => harness.request('GET', `/connectors/${name}/status`),
    (answer) => answer.body.tasks[0]?.state === 'FAILED',
  )
  return status.body.tasks[0].trace as string
}

describe('secrets over REST', () => {
  it('appear in no answer of any route, failures and traces included', async () => {
    await harness.request('POST', '/topics/orders/records', { records: [{ value: '{"id":1}' }] })
    const trace = await failedTrace('hs')
    expect(trace).toContain('http://svc:[hidden]@127.0.0.1:1/in')
    await failedTrace('pg')
    // A trace stored unmasked (by an older worker) is masked when read back.
    const oldStatus = {
      state: 'FAILED',
      trace: `Error: cannot connect to postgres://u:${PG_PASSWORD}@10.0.0.1/db`,
      worker_id: 'old',
      generation: 0,
    }
    await harness.log.append(harness.storageTopics.status, [
      { key: Buffer.from('status-task-old-0'), value: Buffer.from(JSON.stringify(oldStatus)), headers: [] },
    ])

    const answers: Array<[string, unknown]> = []
    const ask = async (method: string, path: string, body?: unknown) => {
      const answer = await harness.request(method, path, body)
      answers.push([`${method} ${path} → ${answer.status}`, answer.body])
      return answer
    }
    await ask('GET', '/')
    await ask('GET', '/connectors')
    await ask('GET', '/connectors?expand=info&expand=status&expand=pipeline')
    for (const name of ['hs', 'pg']) {
      for (const path of ['', '/config', '/status', '/tasks', '/tasks/0/status', '/offsets']) await ask('GET', `/connectors/${name}${path}`)
    }
    await ask('GET', '/connector-plugins?connectorsOnly=false')
    await ask('GET', '/connector-plugins/http-sink/config')
    const validated = await ask('PUT', '/connector-plugins/http-sink/config/validate', {
      ...httpSink,
      'retry.max': `postgres://u:${PG_PASSWORD}@h/db`,
    })
    expect(validated.body.error_count).toBeGreaterThan(0)
    expect(validated.body.configs.find((c: { value: { name: string; value: string } }) => c.value.name === 'url').value.value).toBe(
      'http://svc:[hidden]@127.0.0.1:1/in',
    )
    await ask('PUT', '/connector-plugins/postgres-sink/config/validate', { ...pgSink, 'tasks.max': `postgres://u:${PG_PASSWORD}@h/db` })
    const refused = await ask('POST', '/connectors', {
      name: 'bad',
      config: { ...pgSink, 'tasks.max': `postgres://u:${PG_PASSWORD}@h/db` },
    })
    expect(refused.status).toBe(400)
    await ask('POST', '/connectors', `{"name": "postgres://u:${PG_PASSWORD}@h/db`)
    await ask('GET', '/topics')
    for (const topic of [harness.storageTopics.configs, harness.storageTopics.status, 'orders'])
      await ask('GET', `/topics/${topic}/records?limit=1000`)
    await ask('GET', '/groups')
    await ask('GET', '/metrics')
    await ask('GET', '/metrics/connectors')
    await ask('GET', '/health')

    const configs = answers.find(([what]) => what.startsWith(`GET /topics/${harness.storageTopics.configs}`))?.[1] as { records: unknown[] }
    expect(configs?.records?.length ?? 0, JSON.stringify(answers.filter(([what]) => what.startsWith('GET /topics/')))).toBeGreaterThan(0)
    const leaked = answers.filter(([, body]) => leaks(body).length > 0).map(([what, body]) => `${what}: ${leaks(body).join(', ')}`)
    expect(leaked).toEqual([])
  })

  it('shows URL passwords and credential headers masked in place, and keeps them on a GET-edit-PUT round trip', async () => {
    const shown = (await harness.request('GET', '/connectors/hs/config')).body
    expect(shown).toEqual({ ...httpSink, url: 'http://svc:[hidden]@127.0.0.1:1/in', 'headers.Authorization': '[hidden]' })
    const put = await harness.request('PUT', '/connectors/hs/config', { ...shown, 'retry.max': '1' })
    expect(put.status).toBe(200)
    expect(harness.worker.config('hs')).toEqual({ ...httpSink, 'retry.max': '1' })
    const pgShown = (await harness.request('GET', '/connectors/pg/config')).body
    expect(pgShown.url).toBe('postgres://u:[hidden]@127.0.0.1:1/db')
    expect(
      (await harness.request('PUT', '/connectors/pg/config', { ...pgShown, url: 'postgres://u:[hidden]@127.0.0.1:1/otherdb' })).status,
    ).toBe(200)
    expect(harness.worker.config('pg').url).toBe(`postgres://u:${PG_PASSWORD}@127.0.0.1:1/otherdb`)
  })

  it('refuses a change of target that would reuse the stored secrets, and takes it with them sent again', async () => {
    const shown = (await harness.request('GET', '/connectors/hs/config')).body
    const moved = await harness.request('PUT', '/connectors/hs/config', { ...shown, url: 'http://svc:[hidden]@127.0.0.2:1/in' })
    expect(moved.status).toBe(400)
    expect(moved.body).toEqual({ error_code: 400, message: expect.stringContaining('send headers.Authorization, url again') })
    const patched = await harness.request('PATCH', '/connectors/hs/config', { url: 'http://127.0.0.2:1/in' })
    expect(patched.status).toBe(400)
    expect(patched.body.message).toContain('send headers.Authorization again')
    const pgMoved = await harness.request('PATCH', '/connectors/pg/config', { url: 'postgres://u:[hidden]@127.0.0.2:1/db' })
    expect(pgMoved.status).toBe(400)
    expect(pgMoved.body.message).toContain('send url again')
    expect(harness.worker.config('hs')).toEqual(httpSink)
    expect(harness.worker.config('pg')).toEqual(pgSink)

    // A config copied from GET into a new connector: the placeholders stand for nothing.
    const copied = await harness.request('POST', '/connectors', { name: 'copy', config: shown })
    expect(copied.status).toBe(400)
    expect(copied.body.message).toContain('headers.Authorization, url: [hidden] stands for a secret that is not stored')
    expect(harness.worker.has('copy')).toBe(false)

    const resent = await harness.request('PATCH', '/connectors/hs/config', {
      url: 'http://svc:new@127.0.0.2:1/in',
      'headers.Authorization': 'Bearer new',
    })
    expect(resent.status).toBe(200)
    expect(harness.worker.config('hs')).toMatchObject({ url: 'http://svc:new@127.0.0.2:1/in', 'headers.Authorization': 'Bearer new' })
  })
})

describe('pipeline plan', () => {
  it('answers alike whether a sent secret is right or wrong, and reload still applies a changed one', async () => {
    const configDir = path.join(harness.dataDir, 'pipelines')
    fs.mkdirSync(configDir)
    const file = path.join(configDir, 's.yaml')
    const write = (token: string) =>
      fs.writeFileSync(
        file,
        [
          'version: 1',
          'pipeline: s',
          'topic: { name: s.events }',
          'sources:',
          `  - { id: in, type: http-source, with: { mode: webhook, auth.token: ${token} } }`,
          '',
        ].join('\n'),
      )
    write('tok1')
    const manager = new PipelineManager(harness.worker, configDir)
    const api = await startApi(
      createApi({
        log: harness.log,
        herder: harness.worker,
        health: { version: 'test', isReady: () => true },
        extraRoutes: manager.routes(),
      }),
      0,
      '127.0.0.1',
    )
    try {
      expect(await manager.apply()).toMatchObject({ added: ['s.in'] })
      const [loaded] = (await manager.load()).connectors
      const plan = async (token: string, pgUrl: string) => {
        const connectors = [
          { name: 's.in', file, config: { ...loaded!.config, 'auth.token': token } },
          { name: 'pg', file, config: { ...pgSink, url: pgUrl } },
        ]
        const answer = await fetch(`http://127.0.0.1:${api.port}/pipelines/plan`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ connectors }),
        })
        expect(answer.status).toBe(200)
        return answer.json()
      }
      const right = await plan('tok1', pgSink.url)
      const wrong = await plan('guess', `postgres://u:guess@127.0.0.1:1/db`)
      expect(wrong).toEqual(right)
      expect(right).toMatchObject({
        unchanged: ['s.in'],
        changed: [{ name: 'pg', keys: [] }],
        uncompared: [
          { name: 's.in', keys: ['auth.token'] },
          { name: 'pg', keys: ['url'] },
        ],
      })
      // What is not secret still shows: another host, a password taken away.
      expect(await plan('tok1', 'postgres://u:guess@127.0.0.2:1/db')).toMatchObject({ changed: [{ name: 'pg', keys: ['url'] }] })
      expect(await plan('tok1', 'postgres://u@127.0.0.1:1/db')).toMatchObject({ changed: [{ name: 'pg', keys: ['url'] }] })

      write('tok2')
      expect(await manager.apply()).toMatchObject({ unchanged: ['s.in'], uncompared: [{ name: 's.in', keys: ['auth.token'] }] })
      expect(harness.worker.config('s.in')['auth.token']).toBe('tok2')
    } finally {
      await api.close()
    }
  })
})
