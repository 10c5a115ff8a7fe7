import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeTempDir } from '../support/temp-dir.ts'
import { eventually } from '../support/worker-harness.ts'
import { spawnWorker, type WorkerProcess } from '../support/worker-process.ts'

let dir: { path: string; remove: () => Promise<void> }
let worker: WorkerProcess | undefined

beforeEach(async () => {
  dir = await makeTempDir('tributary-first-run-')
})
afterEach(async () => {
  worker?.child.kill('SIGTERM')
  await worker?.exited
  worker = undefined
  await dir.remove()
})

describe('tributary run with the default pipeline', () => {
  it('prints where the dashboard is, a curl line that sends a record, and the file it lands in', async () => {
    const configDir = path.join(dir.path, 'config')
    fs.mkdirSync(configDir)
    fs.copyFileSync(path.resolve(import.meta.dirname, '../../config/default.yaml'), path.join(configDir, 'default.yaml'))
    const out = path.join(dir.path, 'out')
    worker = await spawnWorker(configDir, path.join(dir.path, 'data'), { TRIBUTARY_OUT_DIR: out })
    // Each hint is its own write: wait for the last line of both.
    const printed = await eventually(
      () => worker!.stdout(),
      (text) => /writes to .+\n/.test(text) && /Send a record to default\.webhook: .+\n/.test(text),
    )
    expect(printed).toContain(`Dashboard on ${worker.url}/ui/\n`)
    const curl = /Send a record to default\.webhook: curl -X POST (\S+) -H 'content-type: application\/json' -d '(.+)'\n/.exec(printed)
    const landing = /default\.archive writes to (.+)\n/.exec(printed)?.[1]
    expect(curl).not.toBeNull()
    expect(landing).toBe(path.join(out, 'events.jsonl'))
    const sent = await fetch(curl![1]!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: curl![2]! })
    expect(sent.status).toBe(200)
    await eventually(
      () => (fs.existsSync(landing!) ? fs.readFileSync(landing!, 'utf8') : ''),
      (text) => text === '{"hello":"world"}\n',
    )
  })

  it('prints curl lines that work with a REST token set, for a webhook with its own token and one without', async () => {
    const configDir = path.join(dir.path, 'config')
    fs.mkdirSync(configDir)
    fs.writeFileSync(
      path.join(configDir, 'hooks.yaml'),
      [
        'version: 1',
        'pipeline: hooks',
        'topic: { name: hooked }',
        'sources:',
        '  - { id: own, type: http-source, with: { auth.token: "${HOOK_TOKEN}" } }',
        '  - { id: plain, type: http-source }',
        '',
      ].join('\n'),
    )
    const env = { TRIBUTARY_REST_AUTH_TOKEN: 'rest-secret', HOOK_TOKEN: 'hook-secret' }
    worker = await spawnWorker(configDir, path.join(dir.path, 'data'), env)
    const printed = await eventually(
      () => worker!.stdout(),
      (text) => text.includes('Send a record to hooks.plain'),
    )
    const curl = (name: string) =>
      /curl .+/.exec(printed.split('\n').find((line) => line.startsWith(`Send a record to ${name}:`)) ?? '')?.[0]
    const own = curl('hooks.own')?.replace("<hooks.own's auth.token>", 'hook-secret')
    const plain = curl('hooks.plain')
    expect(own).toContain('authorization: Bearer hook-secret')
    expect(plain).toContain('$TRIBUTARY_REST_AUTH_TOKEN')
    for (const line of [own, plain]) {
      const { stdout } = await promisify(execFile)('sh', ['-c', `${line} --silent --show-error --write-out ' %{http_code}'`], {
        env: { ...process.env, ...env },
      })
      expect(stdout).toBe('{"accepted":1} 200')
    }
  })
})
