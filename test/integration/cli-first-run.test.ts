import fs from 'node:fs'
import path from 'node:path'
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
    const printed = await eventually(() => worker!.stdout(), (text) => text.includes(' writes to '))
    expect(printed).toContain(`Dashboard on ${worker.url}/ui/\n`)
    const curl = /Send a record to default\.webhook: curl -X POST (\S+) -H 'content-type: application\/json' -d '(.+)'\n/.exec(printed)
    const landing = /default\.archive writes to (.+)\n/.exec(printed)?.[1]
    expect(curl).not.toBeNull()
    expect(landing).toBe(path.join(out, 'events.jsonl'))
    const sent = await fetch(curl![1]!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: curl![2]! })
    expect(sent.status).toBe(200)
    await eventually(() => (fs.existsSync(landing!) ? fs.readFileSync(landing!, 'utf8') : ''), (text) => text === '{"hello":"world"}\n')
  })
})
