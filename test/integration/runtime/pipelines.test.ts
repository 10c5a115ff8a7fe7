import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PipelineError } from '../../../core/config/load-pipelines.ts'
import { PipelineManager } from '../../../core/worker/pipeline-manager.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.ts'

let harness: WorkerHarness
let configDir: string

beforeEach(async () => {
  harness = await startWorkerHarness()
  configDir = path.join(harness.dataDir, 'pipelines')
  fs.mkdirSync(configDir)
})
afterEach(async () => {
  await harness.close()
})

function pipeline(name: string, out: string, extra = ''): string {
  return [
    'version: 1',
    `pipeline: ${name}`,
    `topic: { name: ${name}.events, partitions: 2 }`,
    'sources:',
    '  - { id: in, type: http-source, with: { mode: webhook } }',
    'sinks:',
    `  - { id: out, type: file-sink, with: { file: ${JSON.stringify(out)} ${extra} } }`,
    '',
  ].join('\n')
}

describe('pipelines from YAML', () => {
  it('applies files as connectors, reloads only what changed, and leaves API-made connectors alone', async () => {
    const out = path.join(harness.dataDir, 'a.jsonl')
    fs.writeFileSync(path.join(configDir, 'a.yaml'), pipeline('a', out))
    const manager = new PipelineManager(harness.worker, configDir)
    expect(await manager.apply()).toMatchObject({ added: ['a.in', 'a.out'], changed: [], removed: [] })
    expect((await harness.log.describeTopic('a.events')).partitions).toHaveLength(2)
    await harness.request('POST', '/connectors', { name: 'by-hand', config: { 'connector.class': 'http-source', topic: 'manual' } })
    const response = await eventually(
      () => fetch(`${harness.base}/ingest/a.in`, { method: 'POST', body: '{"n":1}', headers: { 'content-type': 'application/json' } }),
      (r) => r.status === 200,
    )
    expect(await response.json()).toEqual({ accepted: 1 })
    await eventually(
      () => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : ''),
      (text) => text === '{"n":1}\n',
    )

    const sourceRunner = harness.worker.runner('a.in')
    fs.writeFileSync(path.join(configDir, 'a.yaml'), pipeline('a', out, ', envelope: true'))
    expect(manager.plan((await manager.load()).connectors)).toEqual({
      added: [],
      changed: [{ name: 'a.out', keys: ['envelope'] }],
      removed: [],
      unchanged: ['a.in'],
      topics: [],
      uncompared: [],
    })
    await manager.apply()
    expect(harness.worker.runner('a.in')).toBe(sourceRunner)
    expect(harness.worker.config('a.out').envelope).toBe('true')

    fs.writeFileSync(
      path.join(configDir, 'a.yaml'),
      'version: 1\npipeline: a\ntopic: { name: a.events }\nsinks:\n  - { id: out, type: file-sink }\n',
    )
    await expect(manager.apply()).rejects.toBeInstanceOf(PipelineError)
    expect(harness.worker.connectorNames()).toEqual(['a.in', 'a.out', 'by-hand'])

    fs.rmSync(path.join(configDir, 'a.yaml'))
    expect(await manager.apply()).toMatchObject({ removed: ['a.in', 'a.out'] })
    expect(harness.worker.connectorNames()).toEqual(['by-hand'])
  })
})
