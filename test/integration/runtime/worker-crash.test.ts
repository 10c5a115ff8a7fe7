import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'
import { spawnWorker } from '../../support/worker-process.ts'

let dir: { path: string; remove: () => Promise<void> }

beforeEach(async () => {
  dir = await makeTempDir('tributary-crash-')
})
afterEach(async () => {
  await dir.remove()
})

function writePipeline(configDir: string, out: string): void {
  fs.mkdirSync(configDir, { recursive: true })
  fs.writeFileSync(
    path.join(configDir, 'hooks.yaml'),
    [
      'version: 1',
      'pipeline: hooks',
      'topic: { name: hooks, partitions: 2 }',
      'sources:',
      '  - { id: in, type: http-source, with: { mode: webhook } }',
      'sinks:',
      `  - { id: out, type: file-sink, start: earliest, with: { file: ${JSON.stringify(out)} } }`,
      '',
    ].join('\n'),
  )
}

/** Sends numbered records over several connections until stopped; returns the numbers acknowledged. */
function sendUntilStopped(url: string, lanes: number): { stop: () => void; acknowledged: Promise<Set<number>> } {
  let running = true
  let next = 0
  const acknowledged = new Set<number>()
  const lane = async () => {
    while (running) {
      const n = next++
      try {
        const response = await fetch(`${url}/ingest/hooks.in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ n }),
        })
        if (response.status === 200) acknowledged.add(n)
      } catch {
        return // the worker is gone
      }
    }
  }
  const done = Promise.all(Array.from({ length: lanes }, lane)).then(() => acknowledged)
  return { stop: () => (running = false), acknowledged: done }
}

describe('a worker killed with SIGKILL', () => {
  it('delivers every acknowledged webhook record to the file sink after a restart', async () => {
    const configDir = path.join(dir.path, 'config')
    const dataDir = path.join(dir.path, 'data')
    const out = path.join(dir.path, 'out.jsonl')
    writePipeline(configDir, out)
    const allAcknowledged = new Set<number>()
    for (let round = 0; round < 2; round++) {
      const worker = await spawnWorker(configDir, dataDir)
      const load = sendUntilStopped(worker.url, 8)
      await eventually(
        () => (fs.existsSync(out) ? fs.statSync(out).size : 0),
        (size) => size > 2000 * (round + 1),
        30_000,
      )
      worker.child.kill('SIGKILL')
      await worker.exited
      load.stop()
      for (const n of await load.acknowledged) allAcknowledged.add(n)
    }
    expect(allAcknowledged.size).toBeGreaterThan(200)
    const final = await spawnWorker(configDir, dataDir)
    try {
      const seen = await eventually(
        () =>
          new Set(
            fs
              .readFileSync(out, 'utf8')
              .split('\n')
              .filter(Boolean)
              .flatMap((line) => {
                try {
                  return [(JSON.parse(line) as { n: number }).n]
                } catch {
                  return [] // a line torn by the kill, until the sink cuts it off on restart
                }
              }),
          ),
        (found) => [...allAcknowledged].every((n) => found.has(n)),
        30_000,
      )
      const missing = [...allAcknowledged].filter((n) => !seen.has(n))
      expect(missing).toEqual([])
      const torn = fs
        .readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .filter((line) => !/^\{"n":\d+\}$/.test(line))
      expect(torn).toEqual([])
    } finally {
      final.child.kill('SIGTERM')
      expect(await final.exited, final.stdout() + final.stderr()).toBe(0)
    }
  }, 120_000)

  it('on SIGTERM stops cleanly: every record it answered is delivered exactly once across the restart', async () => {
    const configDir = path.join(dir.path, 'config')
    const dataDir = path.join(dir.path, 'data')
    const out = path.join(dir.path, 'out.jsonl')
    writePipeline(configDir, out)
    const first = await spawnWorker(configDir, dataDir)
    const load = sendUntilStopped(first.url, 4)
    await eventually(
      () => (fs.existsSync(out) ? fs.statSync(out).size : 0),
      (size) => size > 1000,
      30_000,
    )
    first.child.kill('SIGTERM')
    expect(await first.exited, first.stderr()).toBe(0)
    load.stop()
    const acknowledged = await load.acknowledged
    const second = await spawnWorker(configDir, dataDir)
    try {
      const read = () =>
        fs
          .readFileSync(out, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => (JSON.parse(line) as { n: number }).n)
      await eventually(read, (found) => [...acknowledged].every((n) => found.includes(n)), 30_000)
      const found = read()
      expect(found.length).toBe(new Set(found).size)
    } finally {
      second.child.kill('SIGTERM')
      expect(await second.exited).toBe(0)
    }
  }, 120_000)
})

describe('the default pipeline that npm start runs', () => {
  it('takes a curl-style webhook POST and writes it to the JSON-lines file', async () => {
    const configDir = path.resolve(import.meta.dirname, '../../../config')
    const outDir = path.join(dir.path, 'out')
    const worker = await spawnWorker(configDir, path.join(dir.path, 'data'), { TRIBUTARY_OUT_DIR: outDir })
    try {
      const response = await fetch(`${worker.url}/ingest/default.webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"hello":"world"}',
      })
      expect(await response.json()).toEqual({ accepted: 1 })
      const file = path.join(outDir, 'events.jsonl')
      await eventually(
        () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''),
        (text) => text.length > 0,
      )
      expect(fs.readFileSync(file, 'utf8')).toBe('{"hello":"world"}\n')
    } finally {
      worker.child.kill('SIGTERM')
      expect(await worker.exited).toBe(0)
    }
  }, 60_000)
})
