/**
 * Issue row 1: file connectors are confined to --file-allowed-paths. A real worker behind its REST
 * API, real directories and real symbolic links: a sink to /etc/cron.d or a source of a secret is
 * refused at create and validate time with TRB_PATH_NOT_ALLOWED against `file`, and a link swapped
 * in after creation is refused by the task when it opens the file. Files inside keep working.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PipelineError } from '../../../../core/config/load-pipelines.ts'
import { PipelineManager } from '../../../../core/worker/pipeline-manager.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'
import { topicRecords } from '../../../support/topic-records.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../../support/worker-harness.ts'

let harness: WorkerHarness
let allowed: string
let outsideDir: Awaited<ReturnType<typeof makeTempDir>>
let outside: string
let secret: string

beforeEach(async () => {
  outsideDir = await makeTempDir('tributary-outside-')
  outside = outsideDir.path
  secret = path.join(outside, 'shadow')
  fs.writeFileSync(secret, 'root:$6$hash:19000::::::\n')
  harness = await startWorkerHarness()
  allowed = path.join(harness.dataDir, 'files')
  fs.mkdirSync(allowed)
})
afterEach(async () => {
  await harness.close()
  await outsideDir.remove()
})

const create = (name: string, config: Record<string, string>) => harness.request('POST', '/connectors', { name, config })
const taskState = async (name: string) =>
  (await harness.request('GET', `/connectors/${name}/status`)).body.tasks[0] as { state: string; trace?: string } | undefined

describe('file connectors in the sandbox', () => {
  it('refuses a sink that writes outside the allowed paths, creating nothing', async () => {
    const target = path.join(outside, 'cron.d', 'x')
    const response = await create('evil', { 'connector.class': 'file-sink', file: target, topics: 'events', format: 'raw' })
    expect(response.status).toBe(400)
    expect(response.body.error_code).toBe(400)
    expect(response.body.message).toContain('file: ')
    expect(response.body.message).toContain('--file-allowed-paths')
    expect(fs.existsSync(path.join(outside, 'cron.d'))).toBe(false)
    expect((await harness.request('GET', '/connectors')).body).toEqual([])
    // PUT /connectors/{name}/config is the other way to create one, and to change an allowed one.
    expect(
      (await harness.request('PUT', '/connectors/evil/config', { 'connector.class': 'file-sink', file: target, topics: 'events' })).status,
    ).toBe(400)
    expect(
      (
        await harness.request('PUT', '/connectors/good/config', {
          'connector.class': 'file-sink',
          file: path.join(allowed, 'out.jsonl'),
          topics: 'events',
        })
      ).status,
    ).toBe(201)
    expect(
      (await harness.request('PUT', '/connectors/good/config', { 'connector.class': 'file-sink', file: target, topics: 'events' })).status,
    ).toBe(400)
    expect(harness.worker.config('good').file).toBe(path.join(allowed, 'out.jsonl'))
  })

  it('refuses a source of a file outside, reached directly, through .. or through a link inside', async () => {
    fs.symlinkSync(secret, path.join(allowed, 'innocent.log'))
    fs.symlinkSync(outside, path.join(allowed, 'logs'))
    for (const file of [
      secret,
      path.join(allowed, '..', '..', path.basename(outside), 'shadow'),
      path.join(allowed, 'innocent.log'),
      path.join(allowed, 'logs', 'shadow'),
    ]) {
      const response = await create('loot', { 'connector.class': 'FileStreamSource', file, topic: 'loot' })
      expect(response.status, file).toBe(400)
      expect(response.body.message).toContain('--file-allowed-paths')
    }
    expect(await topicRecords(harness, 'loot')).toEqual([])
  })

  it('reports the refused file against its key in validate, with the flag to set', async () => {
    const validated = await harness.request('PUT', '/connector-plugins/file-source/config/validate', {
      'connector.class': 'file-source',
      file: secret,
      topic: 'loot',
    })
    expect(validated.status).toBe(200)
    expect(validated.body.error_count).toBe(1)
    const errors = validated.body.configs.find((c: { definition: { name: string } }) => c.definition.name === 'file').value
      .errors as string[]
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain('--file-allowed-paths')
    const fine = await harness.request('PUT', '/connector-plugins/file-source/config/validate', {
      'connector.class': 'file-source',
      file: path.join(allowed, 'app.log'),
      topic: 't',
    })
    expect(fine.body.error_count).toBe(0)
  })

  it('answers a refused create with TRB_PATH_NOT_ALLOWED', async () => {
    try {
      await harness.worker.create('evil', { 'connector.class': 'file-sink', file: '/etc/cron.d/x', topics: 'events' })
      expect.unreachable()
    } catch (error) {
      expect(error).toMatchObject({ code: 'TRB_PATH_NOT_ALLOWED', details: { problems: [expect.objectContaining({ key: 'file' })] } })
    }
  })

  it("moves lines between files inside the allowed paths, creating the sink's directories", async () => {
    const input = path.join(allowed, 'in.txt')
    const output = path.join(allowed, 'new', 'dir', 'out.jsonl')
    fs.writeFileSync(input, 'one\ntwo\n')
    expect((await create('src', { 'connector.class': 'file-source', file: input, topic: 'lines' })).status).toBe(201)
    expect((await create('dst', { 'connector.class': 'file-sink', file: output, topics: 'lines' })).status).toBe(201)
    await eventually(
      () => (fs.existsSync(output) ? fs.readFileSync(output, 'utf8') : ''),
      (text) => text === '"one"\n"two"\n',
    )
  })

  it('refuses a link to a secret swapped in after the source was created', async () => {
    const file = path.join(allowed, 'app.log')
    expect(
      (
        await create('tail', {
          'connector.class': 'file-source',
          file,
          topic: 'loot',
          'restart.max.attempts': '0',
          'poll.interval.ms': '20',
        })
      ).status,
    ).toBe(201)
    await eventually(
      () => taskState('tail'),
      (task) => task?.state === 'RUNNING',
    )
    fs.symlinkSync(secret, file)
    const failed = await eventually(
      () => taskState('tail'),
      (task) => task?.state === 'FAILED',
    )
    expect(failed?.trace).toContain('TRB_PATH_NOT_ALLOWED')
    expect(await topicRecords(harness, 'loot')).toEqual([])
  })

  it("refuses a link planted where a sink's template will write", async () => {
    const out = path.join(allowed, 'out')
    fs.mkdirSync(out)
    expect(
      (
        await create('by-topic', {
          'connector.class': 'file-sink',
          file: path.join(out, '${topic}.jsonl'),
          topics: 'keys',
          format: 'raw',
          'restart.max.attempts': '0',
        })
      ).status,
    ).toBe(201)
    await eventually(
      () => taskState('by-topic'),
      (task) => task?.state === 'RUNNING',
    )
    const planted = path.join(outside, 'authorized_keys')
    fs.symlinkSync(planted, path.join(out, 'keys.jsonl'))
    expect(
      (
        await harness.request('POST', '/topics/keys/records', {
          records: [{ key: null, value: JSON.stringify('ssh-ed25519 AAAA attacker') }],
        })
      ).status,
    ).toBe(200)
    const failed = await eventually(
      () => taskState('by-topic'),
      (task) => task?.state === 'FAILED',
    )
    expect(failed?.trace).toContain('TRB_PATH_NOT_ALLOWED')
    expect(fs.existsSync(planted)).toBe(false)
  })

  it('fails a pipeline whose sink writes outside, naming the file and line', async () => {
    const configDir = path.join(harness.dataDir, 'pipelines')
    fs.mkdirSync(configDir)
    fs.writeFileSync(
      path.join(configDir, 'evil.yaml'),
      [
        'version: 1',
        'pipeline: evil',
        'topic: { name: evil.events }',
        'sources:',
        '  - { id: in, type: http-source, with: { mode: webhook } }',
        'sinks:',
        '  - id: out',
        '    type: file-sink',
        '    with:',
        `      file: ${JSON.stringify(path.join(outside, 'cron.d', 'x'))}`,
        '',
      ].join('\n'),
    )
    const error = await new PipelineManager(harness.worker, configDir).apply().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(PipelineError)
    expect((error as PipelineError).message).toMatch(/evil\.yaml:10:\d+ .*file.*--file-allowed-paths/)
    expect(harness.worker.connectorNames()).toEqual([])
  })
})
