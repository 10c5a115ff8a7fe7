/**
 * The tributary command with pipeline files, in child processes: `validate` answers with exit codes
 * and the failing line, a running worker loads a new file on SIGHUP, and `plan` against it finds
 * nothing to change. Each process keeps its topics in its own embedded log, so the projects that
 * put the in-process worker on Kafka leave this file out (vitest.config.ts).
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { writePipelineFile } from '../../support/pipeline-file.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'
import { spawnWorker } from '../../support/worker-process.ts'

describe('the tributary command with pipelines', () => {
  it('validates files with exit codes and the failing line, and reloads on SIGHUP', async () => {
    const dir = await makeTempDir('tributary-cli-pipelines-')
    try {
      const bin = path.resolve(import.meta.dirname, '../../../bin/tributary.cjs')
      const run = (args: string[]) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [bin, ...args], {
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'silent' },
          })
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
      expect(JSON.parse(examples.stdout).connectors).toEqual([
        'file-copy.tail',
        'file-copy.copy',
        'api-sync.poll',
        'api-sync.push',
        'mysql-replicate.source',
        'mysql-replicate.target',
        'pg-to-mysql.source',
        'pg-to-mysql.target',
        'replicate.source',
        'replicate.target',
        'orders.webhook',
        'orders.paid',
      ])

      const configPath = path.join(dir.path, 'config')
      fs.mkdirSync(configPath)
      const worker = await spawnWorker(configPath, path.join(dir.path, 'data'))
      try {
        writePipelineFile(configPath, 'b', [
          'topic: { name: b.events, partitions: 2 }',
          'sources:',
          '  - { id: in, type: http-source, with: { mode: webhook } }',
          'sinks:',
          `  - { id: out, type: file-sink, with: { file: ${JSON.stringify(path.join(dir.path, 'b.jsonl'))} } }`,
        ])
        worker.child.kill('SIGHUP')
        const names = await eventually(
          async () => (await fetch(`${worker.url}/connectors`)).json(),
          (list) => (list as string[]).length === 2,
        )
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
