/**
 * Request bodies against a real worker on loopback (issue rows 3 and 8): JSON endpoints refuse other
 * body types with 415 and JSON nested past 1,000 levels with 400, before anything parses it; writes
 * without a body need no Content-Type; a webhook reads its body as it declares (415 for a form) and
 * refuses a 50,000-deep body with 400 while its task keeps RUNNING and its topic stays empty.
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

const JSON_TYPE = { 'content-type': 'application/json' }
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' }
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`

async function webhookWorker(): Promise<WorkerHarness> {
  harness = await startWorkerHarness()
  const worker = harness
  expect(
    (await worker.request('POST', '/connectors', { name: 'hook', config: { 'connector.class': 'http-source', topic: 'hooks' } })).status,
  ).toBe(201)
  await eventually(
    () => rawRequest(worker.base, 'POST', '/ingest/hook', JSON_TYPE, '[]'),
    (answer) => answer.status === 200,
  )
  return worker
}

describe('JSON endpoints', () => {
  it('refuse a body that is not declared JSON with 415, and take +json types and body-less writes', async () => {
    const worker = await webhookWorker()
    const connector = JSON.stringify({
      name: 'sink',
      config: { 'connector.class': 'file-sink', topics: 'hooks', file: `${worker.dataDir}/out.jsonl` },
    })
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const refused = await rawRequest(worker.base, 'POST', '/connectors', { 'content-type': type }, connector)
      expect(refused).toMatchObject({
        status: 415,
        body: { error_code: 415, message: expect.stringContaining('Content-Type: application/json') },
      })
    }
    expect((await rawRequest(worker.base, 'POST', '/connectors', {}, connector)).status).toBe(415)
    expect(
      (await rawRequest(worker.base, 'PUT', '/connectors/hook/config', FORM_TYPE, '{"connector.class":"http-source","topic":"x"}')).status,
    ).toBe(415)
    expect((await rawRequest(worker.base, 'POST', '/topics/hooks/replay', { 'content-type': 'text/plain' }, '{}')).status).toBe(415)
    expect((await worker.request('GET', '/connectors')).body).toEqual(['hook'])

    expect(
      (await rawRequest(worker.base, 'POST', '/connectors', { 'content-type': 'application/vnd.tributary+json; charset=utf-8' }, connector))
        .status,
    ).toBe(201)
    expect((await rawRequest(worker.base, 'POST', '/connectors/hook/restart')).status).toBe(204)
    expect((await rawRequest(worker.base, 'POST', '/connectors/hook/restart', { 'content-type': 'text/plain' }, '')).status).toBe(204)
    expect((await rawRequest(worker.base, 'PUT', '/connectors/sink/pause', FORM_TYPE)).status).toBe(202)
  })

  it('refuse JSON nested past 1,000 levels with 400 and take 1,000', async () => {
    harness = await startWorkerHarness()
    const worker = harness
    for (const depth of [1_001, 50_000]) {
      const body = `{"name":"deep","config":{"connector.class":"file-sink","topics":"t","file":"x","deep":${nested(depth - 2)}}}`
      const refused = await rawRequest(worker.base, 'POST', '/connectors', JSON_TYPE, body)
      expect(refused).toMatchObject({ status: 400, body: { error_code: 400, message: expect.stringContaining('deeper than 1000') } })
      expect(
        (await rawRequest(worker.base, 'PUT', '/connector-plugins/file-sink/config/validate', JSON_TYPE, `{"a":${nested(depth - 1)}}`))
          .status,
      ).toBe(400)
      expect((await rawRequest(worker.base, 'POST', '/topics', JSON_TYPE, `{"name":"t","x":${nested(depth - 1)}}`)).status).toBe(400)
    }
    expect((await worker.request('GET', '/topics')).body.map((topic: { name: string }) => topic.name)).not.toContain('t')
    expect((await worker.request('GET', '/connectors')).body).toEqual([])
    // 1,000 levels parse; the body is then judged on its content (a validation error names the field).
    const deepest = await rawRequest(worker.base, 'POST', '/topics', JSON_TYPE, `{"name":"t","partitions":${nested(999)}}`)
    expect(deepest).toMatchObject({ status: 400, body: { message: expect.stringContaining('partitions') } })
  })
})

describe('webhooks on the REST port', () => {
  it('refuse a form-encoded body with 415 instead of reading it as JSON', async () => {
    const worker = await webhookWorker()
    const refused = await rawRequest(worker.base, 'POST', '/ingest/hook', FORM_TYPE, '{"as":"json"}')
    expect(refused).toMatchObject({ status: 415, body: { error_code: 415 } })
    expect(
      (await rawRequest(worker.base, 'POST', '/ingest/hook', { 'content-type': 'application/json; charset=utf-8' }, '{"as":"json"}'))
        .status,
    ).toBe(200)
    expect(await topicRecords(worker, 'hooks')).toEqual([{ key: null, value: { as: 'json' } }])
  })

  it('refuse 10,000- and 50,000-deep JSON with 400, keep the task RUNNING and write nothing', async () => {
    const worker = await webhookWorker()
    for (const depth of [10_000, 50_000]) {
      const refused = await rawRequest(worker.base, 'POST', '/ingest/hook', JSON_TYPE, nested(depth))
      expect(refused).toMatchObject({ status: 400, body: { error_code: 400, message: expect.stringContaining('deeper than 1000') } })
      const lines = await rawRequest(
        worker.base,
        'POST',
        '/ingest/hook',
        { 'content-type': 'application/x-ndjson' },
        `{"n":0}\n${nested(depth)}\n`,
      )
      expect(lines.status).toBe(400)
    }
    expect((await worker.request('GET', '/connectors/hook/status')).body).toMatchObject({
      connector: { state: 'RUNNING' },
      tasks: [{ state: 'RUNNING' }],
    })
    expect((await rawRequest(worker.base, 'POST', '/ingest/hook', JSON_TYPE, '{"n":1}')).status).toBe(200)
    expect(await topicRecords(worker, 'hooks')).toEqual([{ key: null, value: { n: 1 } }])
  })
})
