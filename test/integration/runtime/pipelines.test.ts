import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PipelineError } from '../../../core/config/load-pipelines.ts'
import { PipelineManager } from '../../../core/pipeline-manager.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.ts'
import { spawnWorker } from '../../support/worker-process.ts'

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
    const response = await eventually(() => fetch(`${harness.base}/ingest/a.in`, { method: 'POST', body: '{"n":1}', headers: { 'content-type': 'application/json' } }), (r) => r.status === 200)
    expect(await response.json()).toEqual({ accepted: 1 })
    await eventually(() => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : ''), (text) => text === '{"n":1}\n')

    const sourceRunner = harness.worker.runner('a.in')
    fs.writeFileSync(path.join(configDir, 'a.yaml'), pipeline('a', out, ', envelope: true'))
    expect(manager.plan((await manager.load()).connectors)).toEqual({ added: [], changed: [{ name: 'a.out', keys: ['envelope'] }], removed: [], unchanged: ['a.in'], topics: [], uncompared: [] })
    await manager.apply()
    expect(harness.worker.runner('a.in')).toBe(sourceRunner)
    expect(harness.worker.config('a.out').envelope).toBe('true')

    fs.writeFileSync(path.join(configDir, 'a.yaml'), 'version: 1\npipeline: a\ntopic: { name: a.events }\nsinks:\n  - { id: out, type: file-sink }\n')
    await expect(manager.apply()).rejects.toBeInstanceOf(PipelineError)
    expect(harness.worker.connectorNames()).toEqual(['a.in', 'a.out', 'by-hand'])

    fs.rmSync(path.join(configDir, 'a.yaml'))
    expect(await manager.apply()).toMatchObject({ removed: ['a.in', 'a.out'] })
    expect(harness.worker.connectorNames()).toEqual(['by-hand'])
  })
})

describe('the tributary command with pipelines', () => {
  it('validates files with exit codes and the failing line, and reloads on SIGHUP', async () => {
    const dir = await makeTempDir('tributary-cli-pipelines-')
    try {
      const bin = path.resolve(import.meta.dirname, '../../../bin/tributary.js')
      const run = (args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'silent' } })
        let stdout = ''
        let stderr = ''
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
        child.on('exit', (code) => resolve({ code, stdout, stderr }))
      })
      const bad = path.resolve(import.meta.dirname, '../../fixtures/yaml/bad-keys.yaml')
      const refused = await run(['validate', bad])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain('bad-keys.yaml:5:3 topic.partitons: unknown key')
      const good = await run(['validate', path.resolve(import.meta.dirname, '../../../config')])
      expect(good.code).toBe(0)
      expect(good.stdout).toMatch(/^ok: 1 file\(s\), 2 connector\(s\), 1 topic\(s\)/)
      const examples = await run(['validate', path.resolve(import.meta.dirname, '../../../config/examples'), '--json'])
      expect(examples.code).toBe(0)
      expect(JSON.parse(examples.stdout).connectors).toEqual(['file-copy.tail', 'file-copy.copy', 'api-sync.poll', 'api-sync.push', 'mysql-replicate.source', 'mysql-replicate.target', 'pg-to-mysql.source', 'pg-to-mysql.target', 'replicate.source', 'replicate.target', 'orders.webhook', 'orders.paid'])

      const configPath = path.join(dir.path, 'config')
      fs.mkdirSync(configPath)
      const worker = await spawnWorker(configPath, path.join(dir.path, 'data'))
      try {
        fs.writeFileSync(path.join(configPath, 'b.yaml'), pipeline('b', path.join(dir.path, 'b.jsonl')))
        worker.child.kill('SIGHUP')
        const names = await eventually(async () => (await fetch(`${worker.url}/connectors`)).json(), (list) => (list as string[]).length === 2)
        expect(names).toEqual(['b.in', 'b.out'])
        const plan = await run(['plan', configPath, '--url', worker.url, '--json'])
        expect(JSON.parse(plan.stdout)).toMatchObject({ added: [], changed: [], removed: [], unchanged: ['b.in', 'b.out'] })
      } finally {
        worker.child.kill('SIGTERM')
        expect(await worker.exited, worker.stdout() + worker.stderr()).toBe(0)
      }
    } finally {
      await dir.remove()
    }
  }, 60_000)
})
