import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { makeTempDir } from '../support/temp-dir.ts'

const threadPool = path.resolve(import.meta.dirname, '../../bin/threadpool.cjs')
const BLOCKED = 6
let dir: { path: string; remove: () => Promise<void> }

beforeEach(async () => {
  dir = await makeTempDir('tributary-threadpool-')
})
afterEach(async () => {
  await dir.remove()
})

/**
 * An ES module that opens BLOCKED named pipes for reading, each open holding a pool thread until a
 * writer comes, then stats a file through the pool: with libuv's default of 4 threads the stat would
 * wait for ever. Once it has, the pipes get their writers and the module prints how many threads were
 * held while it ran.
 */
const probe = `
import fs from 'node:fs'
const fifos = ${JSON.stringify(Array.from({ length: BLOCKED }, (_, i) => `fifo-${i}`))}.map((name) => new URL(name, import.meta.url))
const opened = fifos.map((fifo) => new Promise((resolve) => fs.open(fifo, 'r', (err, fd) => resolve(fd))))
await fs.promises.stat(new URL('.', import.meta.url))
const writers = fifos.map((fifo) => fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK))
for (const fd of [...(await Promise.all(opened)), ...writers]) fs.closeSync(fd)
console.log(JSON.stringify({ held: fifos.length, size: process.env.UV_THREADPOOL_SIZE }))
`

it('sizes the thread pool so that reads go on while more threads than libuv gives by default wait on the disk', async () => {
  for (let i = 0; i < BLOCKED; i++) execFileSync('mkfifo', [path.join(dir.path, `fifo-${i}`)])
  const script = path.join(dir.path, 'probe.mjs')
  fs.writeFileSync(script, probe)
  const env = { ...process.env }
  delete env.UV_THREADPOOL_SIZE
  const child = spawn(process.execPath, ['--require', threadPool, script], { stdio: ['ignore', 'pipe', 'inherit'], env })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  const code = await new Promise((resolve) => child.on('exit', resolve))
  expect(code).toBe(0)
  expect(JSON.parse(out)).toEqual({ held: BLOCKED, size: '16' })
})
