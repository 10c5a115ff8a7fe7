import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.ts'

let harness: WorkerHarness
let input: string
let output: string

beforeEach(async () => {
  harness = await startWorkerHarness()
  input = path.join(harness.dataDir, 'in.txt')
  output = path.join(harness.dataDir, 'out.jsonl')
  fs.writeFileSync(input, 'one\ntwo\n')
})
afterEach(async () => {
  await harness.close()
})

const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [])

async function createPair(): Promise<void> {
  const source = await harness.request('POST', '/connectors', {
    name: 'src',
    config: { 'connector.class': 'FileStreamSource', file: input, topic: 'lines', 'tasks.max': '1' },
  })
  expect(source.status).toBe(201)
  const sink = await harness.request('POST', '/connectors', {
    name: 'dst',
    config: { 'connector.class': 'file-sink', file: output, topics: 'lines' },
  })
  expect(sink.status).toBe(201)
}

describe('connectors over REST', () => {
  it('creates a source and a sink that move lines from file to file, in Kafka Connect shapes', async () => {
    const created = await harness.request('POST', '/connectors', {
      name: 'src',
      config: { 'connector.class': 'FileStreamSource', file: input, topic: 'lines' },
    })
    expect(created.status).toBe(201)
    expect(created.headers.get('location')).toBe('/connectors/src')
    expect(created.body).toEqual({
      name: 'src',
      config: { 'connector.class': 'FileStreamSource', file: input, topic: 'lines' },
      tasks: [{ connector: 'src', task: 0 }],
      type: 'source',
    })
    await harness.request('POST', '/connectors', { name: 'dst', config: { 'connector.class': 'file-sink', file: output, topics: 'lines' } })
    await eventually(
      () => lines(output),
      (found) => found.length === 2,
    )
    expect(lines(output)).toEqual(['"one"', '"two"'])
    fs.appendFileSync(input, 'three\n')
    await eventually(
      () => lines(output),
      (found) => found.length === 3,
    )

    expect((await harness.request('GET', '/connectors')).body).toEqual(['dst', 'src'])
    const expanded = await harness.request('GET', '/connectors?expand=status&expand=info')
    expect(expanded.body.src.info.type).toBe('source')
    expect(expanded.body.dst.status).toEqual({
      name: 'dst',
      connector: { state: 'RUNNING', worker_id: 'test-worker' },
      tasks: [{ id: 0, state: 'RUNNING', worker_id: 'test-worker' }],
      type: 'sink',
    })
    expect((await harness.request('GET', '/connectors/src/config')).body).toEqual({
      'connector.class': 'FileStreamSource',
      file: input,
      topic: 'lines',
    })
    expect((await harness.request('GET', '/connectors/src/tasks')).body).toEqual([
      { id: { connector: 'src', task: 0 }, config: { 'connector.class': 'FileStreamSource', file: input, topic: 'lines', 'task.id': '0' } },
    ])
    expect((await harness.request('GET', '/connectors/src/tasks/0/status')).body).toEqual({
      id: 0,
      state: 'RUNNING',
      worker_id: 'test-worker',
    })
  })

  it('answers bad requests with 4xx and Kafka Connect error bodies', async () => {
    const noName = await harness.request('POST', '/connectors', { config: { 'connector.class': 'file-sink' } })
    expect(noName.status).toBe(400)
    expect(noName.body).toMatchObject({ error_code: 400, message: expect.stringContaining('name') })
    const badJson = await harness.request('POST', '/connectors', '{"name": ')
    expect(badJson.status).toBe(400)
    expect(badJson.body.error_code).toBe(400)
    const unknown = await harness.request('POST', '/connectors', { name: 'x', config: { 'connector.class': 'nope' } })
    expect(unknown.status).toBe(400)
    expect(unknown.body.message).toContain('connector.class: no plugin named "nope"')
    const invalid = await harness.request('POST', '/connectors', {
      name: 'x',
      config: { 'connector.class': 'file-sink', 'tasks.max': 'many', 'errors.tolerance': 'some' },
    })
    expect(invalid.status).toBe(400)
    expect(invalid.body.message).toMatch(/contains the following 4 error\(s\)/)
    for (const key of ['tasks.max', 'errors.tolerance', 'file', 'topics']) expect(invalid.body.message).toContain(`${key}:`)
    const numberValue = await harness.request('PUT', '/connectors/x/config', { 'connector.class': 'file-sink', 'tasks.max': 1 })
    expect(numberValue.status).toBe(400)
    const mismatch = await harness.request('PUT', '/connectors/x/config', { name: 'y', 'connector.class': 'file-sink' })
    expect(mismatch.status).toBe(400)
    await createPair()
    const duplicate = await harness.request('POST', '/connectors', {
      name: 'src',
      config: { 'connector.class': 'file-sink', file: output, topics: 'lines' },
    })
    expect(duplicate.status).toBe(409)
    expect(duplicate.body).toEqual({ error_code: 409, message: 'Connector src already exists' })
    for (const [method, route] of [
      ['GET', '/connectors/ghost'],
      ['GET', '/connectors/ghost/status'],
      ['GET', '/connectors/ghost/config'],
      ['DELETE', '/connectors/ghost'],
      ['PUT', '/connectors/ghost/pause'],
      ['PUT', '/connectors/ghost/resume'],
      ['PUT', '/connectors/ghost/stop'],
      ['POST', '/connectors/ghost/restart'],
      ['GET', '/connectors/ghost/tasks'],
      ['GET', '/connectors/ghost/offsets'],
    ] as const) {
      const response = await harness.request(method, route)
      expect(response.status, `${method} ${route}`).toBe(404)
      expect(response.body).toEqual({ error_code: 404, message: 'Connector ghost not found' })
    }
    expect((await harness.request('GET', '/connectors/src/tasks/7/status')).status).toBe(404)
    expect((await harness.request('POST', '/connectors/src/tasks/7/restart')).status).toBe(404)
    expect((await harness.request('POST', '/connectors/src/restart?includeTasks=maybe')).status).toBe(400)
  })

  it('pauses, resumes, stops and restarts, with the status to match', async () => {
    await createPair()
    await eventually(
      () => lines(output),
      (found) => found.length === 2,
    )
    expect((await harness.request('PUT', '/connectors/src/pause')).status).toBe(202)
    expect((await harness.request('GET', '/connectors/src/status')).body).toMatchObject({
      connector: { state: 'PAUSED' },
      tasks: [{ state: 'PAUSED' }],
    })
    fs.appendFileSync(input, 'while-paused\n')
    expect((await harness.request('PUT', '/connectors/src/resume')).status).toBe(202)
    await eventually(
      () => lines(output),
      (found) => found.length === 3,
    )
    expect((await harness.request('PUT', '/connectors/dst/stop')).status).toBe(204)
    expect((await harness.request('GET', '/connectors/dst/status')).body).toEqual({
      name: 'dst',
      connector: { state: 'STOPPED', worker_id: 'test-worker' },
      tasks: [],
      type: 'sink',
    })
    fs.appendFileSync(input, 'while-stopped\n')
    await harness.request('PUT', '/connectors/dst/resume')
    await eventually(
      () => lines(output),
      (found) => found.length === 4,
    )
    const restarted = await harness.request('POST', '/connectors/src/restart?includeTasks=true&onlyFailed=false')
    expect(restarted.status).toBe(202)
    expect(restarted.body.name).toBe('src')
    expect((await harness.request('POST', '/connectors/src/restart')).status).toBe(204)
    expect((await harness.request('POST', '/connectors/src/tasks/0/restart')).status).toBe(204)
    await eventually(
      async () => (await harness.request('GET', '/connectors/src/status')).body.tasks[0].state,
      (state) => state === 'RUNNING',
    )
    fs.appendFileSync(input, 'after-restart\n')
    await eventually(
      () => lines(output),
      (found) => found.length === 5,
    )
    expect(lines(output)).toEqual(['"one"', '"two"', '"while-paused"', '"while-stopped"', '"after-restart"'])
    expect((await harness.request('DELETE', '/connectors/src')).status).toBe(204)
    expect((await harness.request('GET', '/connectors')).body).toEqual(['dst'])
  })

  it('reads offsets any time and alters or resets them only when stopped', async () => {
    await createPair()
    await eventually(
      () => lines(output),
      (found) => found.length === 2,
    )
    const source = await eventually(
      async () => (await harness.request('GET', '/connectors/src/offsets')).body,
      (body) => body.offsets.length === 1,
    )
    expect(source.offsets[0]).toMatchObject({ partition: { file: input }, offset: { position: 8 } })
    const sink = await eventually(
      async () => (await harness.request('GET', '/connectors/dst/offsets')).body,
      (body) => body.offsets.length === 1,
    )
    expect(sink).toEqual({ offsets: [{ partition: { kafka_topic: 'lines', kafka_partition: 0 }, offset: { kafka_offset: 2 } }] })
    const running = await harness.request('DELETE', '/connectors/dst/offsets')
    expect(running.status).toBe(400)
    expect(running.body.message).toContain('STOPPED')
    await harness.request('PUT', '/connectors/dst/stop')
    const altered = await harness.request('PATCH', '/connectors/dst/offsets', {
      offsets: [{ partition: { kafka_topic: 'lines', kafka_partition: 0 }, offset: { kafka_offset: 1 } }],
    })
    expect(altered.body).toEqual({ message: 'The offsets for this connector have been altered successfully' })
    expect(
      (
        await harness.request('PATCH', '/connectors/dst/offsets', {
          offsets: [{ partition: { kafka_topic: 'lines' }, offset: { kafka_offset: 1 } }],
        })
      ).status,
    ).toBe(400)
    await harness.request('PUT', '/connectors/dst/resume')
    await eventually(
      () => lines(output),
      (found) => found.length === 3,
    )
    expect(lines(output)).toEqual(['"one"', '"two"', '"two"'])
    await harness.request('PUT', '/connectors/src/stop')
    expect((await harness.request('DELETE', '/connectors/src/offsets')).body).toEqual({
      message: 'The offsets for this connector have been reset successfully',
    })
    expect((await harness.request('GET', '/connectors/src/offsets')).body).toEqual({ offsets: [] })
    await harness.request('PUT', '/connectors/src/resume')
    await eventually(
      () => lines(output),
      (found) => found.length === 5,
    )
  })

  it('creates or replaces with PUT config, patches, and never shows a secret', async () => {
    const created = await harness.request('PUT', '/connectors/hook/config', {
      'connector.class': 'http-source',
      topic: 'hooks',
      'auth.token': 's3cret',
    })
    expect(created.status).toBe(201)
    expect(created.body.config['auth.token']).toBe('[hidden]')
    const shown = (await harness.request('GET', '/connectors/hook/config')).body
    expect(shown).toEqual({ 'connector.class': 'http-source', topic: 'hooks', 'auth.token': '[hidden]' })
    const updated = await harness.request('PUT', '/connectors/hook/config', { ...shown, 'max.body.bytes': '100' })
    expect(updated.status).toBe(200)
    expect(harness.worker.config('hook')['auth.token']).toBe('s3cret')
    const patched = await harness.request('PATCH', '/connectors/hook/config', { 'max.body.bytes': null, 'key.field': 'id' })
    expect(patched.body.config).toEqual({ 'connector.class': 'http-source', topic: 'hooks', 'auth.token': '[hidden]', 'key.field': 'id' })
    const ingest = await fetch(`${harness.base}/ingest/hook`, {
      method: 'POST',
      headers: { authorization: 'Bearer s3cret', 'content-type': 'application/json' },
      body: '{"id":"k1","n":1}',
    })
    expect(await ingest.json()).toEqual({ accepted: 1 })
    const records = (await harness.request('GET', '/topics/hooks/records?partition=0&offset=0')).body
    expect(records.records).toEqual([expect.objectContaining({ offset: 0, key: '"k1"', value: '{"id":"k1","n":1}' })])
  })

  it('lists plugins and validates configs in Kafka Connect shapes', async () => {
    const plugins = (await harness.request('GET', '/connector-plugins')).body as Array<{ class: string; type: string }>
    expect(plugins.map((p) => p.class)).toEqual(
      expect.arrayContaining(['file-source', 'file-sink', 'http-source', 'http-sink', 'topic-sink']),
    )
    expect(plugins.every((p) => p.type === 'source' || p.type === 'sink')).toBe(true)
    const all = (await harness.request('GET', '/connector-plugins?connectorsOnly=false')).body as Array<{ type: string }>
    expect(new Set(all.map((p) => p.type))).toEqual(new Set(['source', 'sink', 'transformation', 'predicate', 'converter']))
    const keys = (await harness.request('GET', '/connector-plugins/file-sink/config')).body as Array<{ name: string; required: boolean }>
    expect(keys).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'file', required: true, type: 'STRING' }),
        expect.objectContaining({ name: 'tasks.max', required: false }),
      ]),
    )
    const validated = await harness.request('PUT', '/connector-plugins/FileStreamSink/config/validate', {
      'connector.class': 'FileStreamSink',
      topics: 'x',
      transforms: 'r',
      'transforms.r.type': 'RegexRouter',
    })
    expect(validated.status).toBe(200)
    expect(validated.body.name).toBe('file-sink')
    expect(validated.body.error_count).toBe(3)
    const errorsOf = (name: string) =>
      validated.body.configs.find((c: { definition: { name: string } }) => c.definition.name === name)?.value.errors
    expect(errorsOf('file')).toEqual(['is required'])
    expect(errorsOf('transforms.r.regex')).toHaveLength(1)
    expect((await harness.request('PUT', '/connector-plugins/nope/config/validate', {})).status).toBe(404)
  })

  it('rebuilds connectors, target states and offsets from the internal topics after a restart', async () => {
    await createPair()
    await eventually(
      () => lines(output),
      (found) => found.length === 2,
    )
    await harness.request('PUT', '/connectors/dst/pause')
    await harness.restart()
    expect((await harness.request('GET', '/connectors')).body).toEqual(['dst', 'src'])
    expect((await harness.request('GET', '/connectors/dst/status')).body.connector.state).toBe('PAUSED')
    fs.appendFileSync(input, 'three\n')
    await eventually(
      async () => (await harness.request('GET', '/topics/lines')).body.partitions[0].highWatermark,
      (end) => end === 3,
    )
    expect(lines(output)).toHaveLength(2)
    await harness.request('PUT', '/connectors/dst/resume')
    await eventually(
      () => lines(output),
      (found) => found.length === 3,
    )
    expect(lines(output)).toEqual(['"one"', '"two"', '"three"'])
  })

  it('serves metrics and groups, and requires the bearer token when one is set', async () => {
    await createPair()
    await eventually(
      () => lines(output),
      (found) => found.length === 2,
    )
    // The source counts a batch once its transaction's commit has returned, which on a cluster may be
    // a moment after a read_committed sink has already read it.
    const written = /tributary_source_records_written_total\{connector="src",task="0"\} 2/
    const metrics = await eventually(
      () => harness.request('GET', '/metrics'),
      (answer) => written.test(answer.body),
    )
    expect(metrics.body).toMatch(written)
    expect(metrics.body).toMatch(/tributary_task_state\{connector="dst",task="0",state="RUNNING"\} 1/)
    // The source's batches are transactions: the sink commits its position past the last commit
    // marker once a poll finds nothing more, and the group's lag is then 0.
    const groups = await eventually(
      async () => (await harness.request('GET', '/groups')).body,
      (listed) => listed[0]?.lag === 0,
    )
    expect(groups).toEqual([expect.objectContaining({ groupId: 'tributary-dst', members: 1, lag: 0 })])
    const secured = await startWorkerHarness({ authToken: 'tok' })
    try {
      expect((await fetch(`${secured.base}/connectors`)).status).toBe(401)
      expect((await fetch(`${secured.base}/health`)).status).toBe(200)
      expect((await secured.request('GET', '/connectors')).status).toBe(200)
    } finally {
      await secured.close()
    }
  })
})
