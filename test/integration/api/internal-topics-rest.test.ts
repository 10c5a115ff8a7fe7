/**
 * The worker's internal topics change only through the worker (issue row 4, from the REST side):
 * REST callers may read them (secrets masked) but not create, write, delete or replay into them, and
 * connectors may not read or write them, whether the topic is named in their config, reached by a
 * sink's pattern, or named by a source at run time. Otherwise a record written into
 * _tributary-configs would plant a connector that skipped every check.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { rawRequest } from '../../support/raw-http.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.ts'

let harness: WorkerHarness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const planted = { 'connector.class': 'file-sink', topics: 'x', file: '/tmp/planted' }

describe('internal topics from the REST API and connectors', () => {
  it('REST may read them but not create, write, delete or replay into them', async () => {
    harness = await startWorkerHarness()
    const worker = harness
    const refused = [
      await worker.request('POST', `/topics/${worker.storageTopics.configs}/records`, {
        records: [{ key: 'connector-evil', value: JSON.stringify({ properties: planted }) }],
      }),
      await worker.request('DELETE', `/topics/${worker.storageTopics.status}`),
      await worker.request('POST', '/topics', { name: '_tributary-evil' }),
      await worker.request('POST', '/topics/__consumer_offsets/replay'),
    ]
    expect(refused.map((answer) => [answer.status, answer.body?.error_code])).toEqual([
      [403, 403],
      [403, 403],
      [403, 403],
      [403, 403],
    ])
    expect(refused[0]?.body?.message).toContain('internal topic of the worker')
    const read = await worker.request('GET', `/topics/${worker.storageTopics.configs}/records?partition=0&offset=earliest`)
    expect(read.status).toBe(200)
    expect(JSON.stringify(read.body)).not.toContain('connector-evil')
    expect((await worker.request('GET', '/topics')).body.map((t: { name: string }) => t.name)).toContain(worker.storageTopics.status)
  })

  it('refuses a sink that names an internal topic or a dead-letter topic that is one', async () => {
    harness = await startWorkerHarness()
    const file = path.join(harness.dataDir, 'out.jsonl')
    for (const [key, config] of [
      ['topics', { 'connector.class': 'file-sink', topics: `ok,${harness.storageTopics.configs}`, file }],
      [
        'errors.deadletterqueue.topic.name',
        {
          'connector.class': 'file-sink',
          topics: 'ok',
          file,
          'errors.tolerance': 'all',
          'errors.deadletterqueue.topic.name': harness.storageTopics.offsets,
        },
      ],
    ] as const) {
      const answer = await harness.request('POST', '/connectors', { name: `bad-${key}`, config })
      expect(answer.status).toBe(400)
      expect(answer.body.message).toContain(key)
      expect(answer.body.message).toContain('internal topic')
    }
  })

  it('a sink pattern never takes in internal topics', async () => {
    harness = await startWorkerHarness()
    const worker = harness
    const file = path.join(worker.dataDir, 'everything.jsonl')
    await worker.request('POST', '/topics', { name: 'orders' })
    await worker.request('POST', '/topics/orders/records', { records: [{ value: '{"n":1}' }] })
    const created = await worker.request('POST', '/connectors', {
      name: 'everything',
      config: { 'connector.class': 'file-sink', 'topics.regex': '.*', file },
    })
    expect(created.status).toBe(201)
    await eventually(
      () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''),
      (text) => text.includes('"n":1'),
    )
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toEqual(['{"n":1}'])
  })

  it('a source that writes to an internal topic fails at once and writes nothing there', async () => {
    harness = await startWorkerHarness()
    const worker = harness
    expect(
      (
        await worker.request('POST', '/connectors', {
          name: 'hook',
          config: { 'connector.class': 'http-source', topic: worker.storageTopics.configs },
        })
      ).status,
    ).toBe(201)
    await eventually(
      () => worker.request('GET', '/connectors/hook/status'),
      (answer) => answer.body?.tasks?.[0]?.state === 'RUNNING',
    )
    const sent = await rawRequest(
      worker.base,
      'POST',
      '/ingest/hook',
      { 'content-type': 'application/json' },
      JSON.stringify({ properties: planted }),
    )
    expect(sent.status).toBeGreaterThanOrEqual(500)
    const status = await eventually(
      () => worker.request('GET', '/connectors/hook/status'),
      (answer) => answer.body?.tasks?.[0]?.state === 'FAILED',
    )
    expect(status.body.tasks[0].trace).toContain('internal topic of the worker')
    const configs = await worker.request('GET', `/topics/${worker.storageTopics.configs}/records?partition=0&offset=earliest&limit=1000`)
    expect(JSON.stringify(configs.body)).not.toContain('/tmp/planted')
  })
})
