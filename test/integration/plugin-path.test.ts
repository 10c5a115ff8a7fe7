/**
 * A third-party connector plugin loaded with --plugin-path into a real worker process: a plain
 * JavaScript module outside the checkout, as a plugin author's build leaves it. It is listed beside
 * the built-in plugins, described and validated from its own schema, runs from a pipeline file and
 * from REST, and its offsets are stored; `tributary validate` finds it the same way. A plugin that
 * takes a built-in's name stops the worker at start, naming its file.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { counterSourceModule, writeModule } from '../support/plugin-module.ts'
import { makeTempDir } from '../support/temp-dir.ts'
import { tributaryCli } from '../support/tributary-cli.ts'
import { eventually } from '../support/worker-harness.ts'
import { spawnWorker, type WorkerProcess } from '../support/worker-process.ts'
import type { RestJson } from '../support/rest-json.ts'

let dir: Awaited<ReturnType<typeof makeTempDir>>
let worker: WorkerProcess | undefined

beforeEach(async () => {
  dir = await makeTempDir('tributary-plugin-path-')
  writeModule(
    dir.path,
    'config/counting.yaml',
    [
      'version: 1',
      'pipeline: counting',
      'topic: { name: counted.numbers }',
      'sources:',
      '  - id: counter',
      '    type: counter-source',
      '    with: { count: 3 }',
      '',
    ].join('\n'),
  )
})
afterEach(async () => {
  worker?.child.kill('SIGTERM')
  await worker?.exited
  worker = undefined
  await dir.remove()
})

async function request(method: string, route: string, body?: unknown): Promise<{ status: number; body: RestJson }> {
  const response = await fetch(`${worker?.url}${route}`, {
    method,
    ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  })
  const text = await response.text()
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) }
}

async function numbers(topic: string, count: number): Promise<unknown[]> {
  const read = await eventually(
    () => request('GET', `/topics/${topic}/records?partition=0&offset=earliest&limit=100`),
    (answer) => answer.body?.records?.length >= count,
  )
  return (read.body.records as Array<{ value: string }>).map((record) => JSON.parse(record.value))
}

describe('--plugin-path', () => {
  it('loads a plugin that runs from pipeline files and REST beside the built-in ones', async () => {
    const plugins = path.join(dir.path, 'plugins')
    writeModule(plugins, 'counter.mjs', counterSourceModule())
    worker = await spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, 'data'), {}, [], undefined, ['--plugin-path', plugins])

    const listed = await request('GET', '/connector-plugins')
    expect(listed.body).toContainEqual({ class: 'counter-source', type: 'source', version: '1.2.3' })
    expect(listed.body).toContainEqual(expect.objectContaining({ class: 'file-source' }))
    const keys = (await request('GET', '/connector-plugins/counter-source/config')).body as Array<{
      name: string
      documentation: string
      default_value: string | null
    }>
    expect(keys).toContainEqual(expect.objectContaining({ name: 'count', documentation: 'How many numbers to write', default_value: '5' }))
    const validated = await request('PUT', '/connector-plugins/counter-source/config/validate', { topic: 't', count: 'many' })
    expect(validated.body.error_count).toBe(1)

    // From the pipeline file: topic=counted.numbers, count=3.
    expect(await numbers('counted.numbers', 3)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }])

    // From REST, with its offsets stored as it polls.
    const created = await request('POST', '/connectors', {
      name: 'rest-counter',
      config: { 'connector.class': 'counter-source', topic: 'rest.numbers', count: '2' },
    })
    expect(created.status).toBe(201)
    expect(await numbers('rest.numbers', 2)).toEqual([{ n: 1 }, { n: 2 }])
    const status = await eventually(
      () => request('GET', '/connectors/rest-counter/status'),
      (answer) => answer.body.tasks?.[0]?.state === 'RUNNING',
    )
    expect(status.body).toMatchObject({ connector: { state: 'RUNNING' }, type: 'source' })
    const offsets = await eventually(
      () => request('GET', '/connectors/rest-counter/offsets'),
      (answer) => answer.body.offsets?.[0]?.offset?.n === 2,
    )
    expect(offsets.body.offsets).toEqual([{ partition: { counter: 'rest-counter' }, offset: { n: 2 } }])
  })

  it('lets `tributary validate` check files that name a plugin from the path', async () => {
    const plugin = writeModule(dir.path, 'plugins/counter.mjs', counterSourceModule())
    const config = path.join(dir.path, 'config')
    await expect(tributaryCli(['validate', config])).rejects.toMatchObject({
      stderr: expect.stringContaining('no plugin named "counter-source"'),
    })
    expect((await tributaryCli(['validate', config, '--plugin-path', plugin])).stdout).toContain('1 connector(s)')
  })

  it("stops the worker at start when a plugin takes a built-in plugin's name, naming the file", async () => {
    const plugin = writeModule(dir.path, 'plugins/clash.mjs', counterSourceModule('file-source'))
    fs.rmSync(path.join(dir.path, 'config/counting.yaml'))
    const started = spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, 'data'), { TRIBUTARY_PLUGIN_PATH: plugin })
    await expect(started).rejects.toThrow(/TRB_PLUGIN_INVALID/)
    await expect(started).rejects.toThrow(plugin)
    await expect(started).rejects.toThrow(/the built-in plugin file-source/)
  })
})
