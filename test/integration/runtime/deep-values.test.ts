/**
 * Deeply nested JSON in the runtime: the JSON converter refuses a record nested deeper than 1,000
 * levels before anything recursive meets it, so a sink (file-sink here) never overflows its stack on
 * it. With `errors.tolerance: all` the record goes to the dead-letter topic and the task keeps
 * running; with `none` the task is FAILED at once, not after a round of restarts. A source value too
 * deep to serialise is a converter failure too, and a sink whose own put() overflows fails at once.
 */
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import type { Log, StoredRecord } from '../../../core/log/log.ts'
import { createWorker } from '../../../core/runtime/create-worker.ts'
import { definePlugin } from '../../../core/runtime/plugin.ts'
import { builtinPlugins } from '../../../connectors/index.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.ts'

const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)

/** Restarts far apart: a task that were restarted would sit RESTARTING, never reach FAILED in time. */
const NO_QUICK_RESTARTS = { 'restart.backoff.ms': '600000', 'restart.backoff.max.ms': '600000' }

async function readAll(log: Log, topic: string): Promise<readonly StoredRecord[]> {
  try {
    return (await log.read(topic, 0, 0, { maxBytes: 16 * 1024 * 1024 })).records
  } catch {
    return [] // not made yet
  }
}

function headers(record: StoredRecord): Record<string, string> {
  return Object.fromEntries(record.headers.map((h) => [h.key, h.value?.toString('utf8') ?? '']))
}

describe('deep JSON through a sink', () => {
  let harness: WorkerHarness
  beforeEach(async () => {
    harness = await startWorkerHarness()
  })
  afterEach(async () => {
    await harness.close()
  })

  async function produce(values: string[]): Promise<void> {
    expect((await harness.request('POST', '/topics', { name: 'events' })).status).toBe(201)
    await harness.log.append(
      'events',
      values.map((value) => ({ key: null, value: Buffer.from(value), partition: 0 })),
    )
  }

  const taskState = async (name: string) =>
    (await harness.request('GET', `/connectors/${name}/status`)).body.tasks[0] as { state: string; trace?: string } | undefined

  it('sends a 10,000-deep record to the dead-letter topic with its context and writes the records around it', async () => {
    const deep = deepArray(10_000)
    await produce(['{"n":1}', deep, '{"n":3}'])
    const output = path.join(harness.dataDir, 'out.jsonl')
    await harness.request('POST', '/connectors', {
      name: 'archive',
      config: {
        'connector.class': 'file-sink',
        topics: 'events',
        file: output,
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': 'events.dlq',
        ...NO_QUICK_RESTARTS,
      },
    })
    await eventually(
      () => (fs.existsSync(output) ? fs.readFileSync(output, 'utf8') : ''),
      (text) => text.split('\n').length > 2,
    )
    expect(fs.readFileSync(output, 'utf8')).toBe('{"n":1}\n{"n":3}\n')
    const [dead, ...more] = await eventually(
      () => readAll(harness.log, 'events.dlq'),
      (records) => records.length > 0,
    )
    expect(more).toEqual([])
    expect(dead!.value!.toString()).toBe(deep)
    expect(headers(dead!)).toMatchObject({
      '__connect.errors.topic': 'events',
      '__connect.errors.partition': '0',
      '__connect.errors.offset': '1',
      '__connect.errors.stage': 'VALUE_CONVERTER',
      '__connect.errors.exception.class.name': 'TributaryError:TRB_CONVERTER_FAILED',
    })
    expect(headers(dead!)['__connect.errors.exception.message']).toMatch(/nests deeper than 1000 levels/)
    expect(await taskState('archive')).toMatchObject({ state: 'RUNNING' })
  })

  it('with errors.tolerance none fails the task at once with TRB_JSON_TOO_DEEP in its trace', async () => {
    await produce([deepArray(10_000)])
    const output = path.join(harness.dataDir, 'out.jsonl')
    await harness.request('POST', '/connectors', {
      name: 'archive',
      config: { 'connector.class': 'file-sink', topics: 'events', file: output, ...NO_QUICK_RESTARTS },
    })
    const task = await eventually(
      () => taskState('archive'),
      (state) => state?.state === 'FAILED' || state?.state === 'RESTARTING',
    )
    expect(task!.state).toBe('FAILED')
    expect(task!.trace).toMatch(/^TRB_TASK_FAILED: /)
    expect(task!.trace).toContain('errors.tolerance')
    expect(task!.trace).toContain('TRB_JSON_TOO_DEEP')
    expect(fs.existsSync(output) ? fs.readFileSync(output, 'utf8') : '').toBe('')
  })
})

describe('deep JSON from a source', () => {
  let harness: WorkerHarness
  beforeEach(async () => {
    harness = await startWorkerHarness()
  })
  afterEach(async () => {
    await harness.close()
  })

  it('a value too deep to serialise is a converter failure: dead-lettered, the rest written, the task running', async () => {
    const input = path.join(harness.dataDir, 'in.jsonl')
    fs.writeFileSync(input, `{"n":1}\n${deepArray(50_000)}\n{"n":3}\n`)
    await harness.request('POST', '/connectors', {
      name: 'lines',
      config: {
        'connector.class': 'file-source',
        file: input,
        topic: 'lines',
        format: 'json',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': 'lines.dlq',
        ...NO_QUICK_RESTARTS,
      },
    })
    const written = await eventually(
      () => readAll(harness.log, 'lines'),
      (records) => records.length >= 2,
    )
    expect(written.map((r) => r.value?.toString())).toEqual(['{"n":1}', '{"n":3}'])
    const [dead] = await eventually(
      () => readAll(harness.log, 'lines.dlq'),
      (records) => records.length === 1,
    )
    expect(headers(dead!)).toMatchObject({
      '__connect.errors.stage': 'VALUE_CONVERTER',
      '__connect.errors.exception.class.name': 'TributaryError:TRB_CONVERTER_FAILED',
    })
    expect(headers(dead!)['__connect.errors.exception.message']).toMatch(/nests deeper than 1000 levels/)
    expect((await harness.request('GET', '/connectors/lines/status')).body.tasks[0].state).toBe('RUNNING')
  })

  it('with errors.tolerance none the source task fails at once, not after restarts', async () => {
    const input = path.join(harness.dataDir, 'in.jsonl')
    fs.writeFileSync(input, `${deepArray(50_000)}\n`)
    await harness.request('POST', '/connectors', {
      name: 'lines',
      config: { 'connector.class': 'file-source', file: input, topic: 'lines', format: 'json', ...NO_QUICK_RESTARTS },
    })
    const task = await eventually(
      async () => (await harness.request('GET', '/connectors/lines/status')).body.tasks[0],
      (state) => state?.state === 'FAILED' || state?.state === 'RESTARTING',
    )
    expect(task.state).toBe('FAILED')
    expect(task.trace).toContain('TRB_JSON_TOO_DEEP')
  })
})

/**
 * A sink that reads its records' JSON itself (value.converter=string) and walks it recursively, as a
 * sink that maps nested values onto its own types would: a deep record overflows its stack in put().
 */
const recursiveSink = definePlugin({
  kind: 'sink',
  name: 'recursive-sink',
  version: '0.0.1',
  description: 'counts the leaves of each record by recursion',
  config: z.looseObject({ topics: z.string() }),
  taskConfigs: (config) => [config],
  createTask: () => ({
    async start() {},
    async put(records) {
      const leaves = (value: unknown): number => (Array.isArray(value) ? value.reduce((sum: number, item) => sum + leaves(item), 0) : 1)
      for (const record of records) leaves(JSON.parse(String(record.value)))
    },
    async flush() {},
    async stop() {},
  }),
})

describe('a sink whose put() overflows the stack on a record', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it('is FAILED at once with the RangeError in its trace, not restarted over the same batch', async () => {
    const dir = await makeTempDir()
    cleanups.push(() => dir.remove())
    const log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
    cleanups.push(() => log.close())
    const worker = await createWorker({ log, plugins: [...builtinPlugins, recursiveSink], workerId: 'test' })
    cleanups.push(() => worker.close())
    await log.createTopic('events', { partitions: 1 })
    await log.append('events', [{ key: null, value: Buffer.from(deepArray(100_000)) }])
    await worker.create('walk', {
      'connector.class': 'recursive-sink',
      topics: 'events',
      'value.converter': 'string',
      ...NO_QUICK_RESTARTS,
    })
    const task = await eventually(
      () => worker.status('walk').tasks[0],
      (state) => state?.state === 'FAILED' || state?.state === 'RESTARTING',
    )
    expect(task!.state).toBe('FAILED')
    expect(task!.trace).toMatch(/^TRB_TASK_FAILED: TributaryError: put\(\) of 1 records from events-0 at offset 0/)
    expect(task!.trace).toContain('RangeError')
  })
})
