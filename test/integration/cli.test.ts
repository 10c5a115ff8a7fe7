import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeTempDir } from '../support/temp-dir.ts'

const bin = path.resolve(import.meta.dirname, '../../bin/tributary.cjs')
let dir: { path: string; remove: () => Promise<void> }

beforeEach(async () => {
  dir = await makeTempDir('tributary-cli-')
  fs.mkdirSync(path.join(dir.path, 'config'))
})
afterEach(async () => {
  await dir.remove()
})

function runCli(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'silent' },
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const firstLine = new Promise<string>((resolve) => readline.createInterface({ input: child.stdout }).once('line', resolve))
  return { child, exit, firstLine, stderr: () => stderr }
}

describe('tributary run', () => {
  it('serves /health, then shuts down cleanly on SIGTERM', async () => {
    const dataDir = path.join(dir.path, 'data')
    const cli = runCli([
      'run',
      '--config',
      path.join(dir.path, 'config'),
      '--data-dir',
      dataDir,
      '--rest-port',
      '0',
      '--kafka-port',
      '0',
      '--schema-registry-port',
      '0',
    ])
    const line = await cli.firstLine
    const url = /REST API listening on (http:\/\/\S+)/.exec(line)?.[1]
    expect(url, `unexpected first line: ${line} ${cli.stderr()}`).toBeDefined()
    const health = await fetch(`${url}/health`)
    expect(await health.json()).toMatchObject({ status: 'healthy' })
    cli.child.kill('SIGTERM')
    expect(await cli.exit).toBe(0)
    expect(fs.existsSync(path.join(dataDir, 'topics'))).toBe(true)
  })

  it('refuses bad settings with one clear line and exit code 1', async () => {
    const badPort = runCli(['run', '--config', path.join(dir.path, 'config'), '--data-dir', dir.path, '--rest-port', 'eighty'])
    expect(await badPort.exit).toBe(1)
    expect(badPort.stderr()).toMatch(/TRB_CONFIG_INVALID: invalid worker settings: restPort/)
    const noConfig = runCli(['run', '--config', path.join(dir.path, 'missing'), '--data-dir', dir.path])
    expect(await noConfig.exit).toBe(1)
    expect(noConfig.stderr()).toMatch(/config directory .*missing does not exist/)
  })

  it('runs the worker in a thread whose heap is capped at --heap-max-mb, and names the setting when the cap is too small', async () => {
    const heapLimitMb = async (heapMaxMb: string): Promise<number> => {
      const cli = runCli([
        'run',
        '--config',
        path.join(dir.path, 'config'),
        '--data-dir',
        path.join(dir.path, `data-${heapMaxMb}`),
        '--rest-port',
        '0',
        '--kafka-port',
        '0',
        '--schema-registry-port',
        '0',
        '--heap-max-mb',
        heapMaxMb,
      ])
      const url = /REST API listening on (http:\/\/\S+)/.exec(await cli.firstLine)?.[1]
      expect(url, cli.stderr()).toBeDefined()
      const metrics = await (await fetch(`${url}/metrics`)).text()
      cli.child.kill('SIGTERM')
      expect(await cli.exit).toBe(0)
      const bytes = Number(/^tributary_worker_heap_limit_bytes (\d+)/m.exec(metrics)?.[1])
      return bytes / 1024 / 1024
    }
    // The limit is the old generation's cap plus the young generation's few tens of MB.
    const capped = await heapLimitMb('300')
    expect(capped).toBeGreaterThanOrEqual(300)
    expect(capped).toBeLessThan(400)
    const larger = await heapLimitMb('700')
    expect(larger).toBeGreaterThanOrEqual(700)
    expect(larger).toBeLessThan(800)

    // 0: no cap of ours, the worker on the main thread with Node's own limit.
    expect(await heapLimitMb('0')).toBeGreaterThan(0)

    const tooSmall = runCli([
      'run',
      '--config',
      path.join(dir.path, 'config'),
      '--data-dir',
      path.join(dir.path, 'data-small'),
      '--rest-port',
      '0',
      '--kafka-port',
      '0',
      '--schema-registry-port',
      '0',
      '--heap-max-mb',
      '8',
    ])
    expect(await tooSmall.exit).toBe(1)
    expect(tooSmall.stderr()).toContain('the worker ran out of its 8 MB heap; raise --heap-max-mb')
    const notANumber = runCli(['run', '--heap-max-mb', 'lots'])
    expect(await notANumber.exit).toBe(2)
    expect(notANumber.stderr()).toContain('expected a whole number of megabytes')
  })

  it('prints help and version', async () => {
    const help = runCli(['--help'])
    expect(await help.firstLine).toMatch(/^Usage: tributary/)
    expect(await help.exit).toBe(0)
    const version = runCli(['--version'])
    expect(await version.firstLine).toMatch(/^\d+\.\d+\.\d+$/)
  })
})
