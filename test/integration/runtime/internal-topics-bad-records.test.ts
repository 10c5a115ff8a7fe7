/**
 * A record in an internal topic that is not JSON, or not of the shape its key calls for, is logged with
 * its topic, partition and offset (never its value) and skipped, as Kafka Connect does: a real worker
 * process restarted over such records starts, and every good record (configs, offsets) still applies.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { partitionForKey } from '../../../core/log/partitioner.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'
import { spawnWorker, type WorkerProcess } from '../../support/worker-process.ts'

let dir: Awaited<ReturnType<typeof makeTempDir>>
let running: WorkerProcess | undefined

beforeEach(async () => {
  dir = await makeTempDir('tributary-bad-internal-')
})
afterEach(async () => {
  running?.child.kill('SIGKILL')
  await running?.exited
  running = undefined
  await dir.remove()
})

const SECRET = 'hunter2-never-logged'

async function post(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect(response.status, await response.text()).toBe(201)
}

function lines(file: string): string[] {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []
}

/** The worker's JSON log lines that report a skipped record. */
function skipped(worker: WorkerProcess): Array<{ topic: string; partition: number; offset: number; reason: string }> {
  return worker
    .stdout()
    .split('\n')
    .flatMap((line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; topic: string; partition: number; offset: number; reason: string }
        return entry.msg?.startsWith('skipping record') ? [entry] : []
      } catch {
        return []
      }
    })
}

describe('bad records in the internal topics', () => {
  it('are logged with topic, partition and offset and skipped; the worker starts and applies every good record', async () => {
    // Files under the data directory, which file connectors may always use.
    const dataDir = path.join(dir.path, 'data')
    const files = path.join(dataDir, 'files')
    fs.mkdirSync(files, { recursive: true })
    const input = path.join(files, 'in.txt')
    const output = path.join(files, 'out.jsonl')
    fs.writeFileSync(input, 'a\nb\nc\n')
    const configDir = path.join(dir.path, 'config')
    fs.mkdirSync(configDir)

    running = await spawnWorker(configDir, dataDir)
    await post(`${running.url}/connectors`, { name: 'lines-in', config: { 'connector.class': 'file-source', file: input, topic: 'lines' } })
    await post(`${running.url}/connectors`, {
      name: 'lines-out',
      config: { 'connector.class': 'file-sink', topics: 'lines', file: output },
    })
    await eventually(
      () => lines(output),
      (found) => found.length === 3,
      30_000,
    )
    running.child.kill('SIGTERM')
    expect(await running.exited).toBe(0)
    running = undefined

    // As an attacker or a broken tool would: records appended straight into the stopped worker's topics.
    const log = await EmbeddedLog.open({ dataDir, maintenanceIntervalMs: 0 })
    const stored = await log.read('_tributary-offsets', 0, 0, { maxBytes: 1 << 20 })
    const sourceKey = stored.records.at(-1)!.key!
    const record = (key: string | Buffer, value: string) => ({
      key: typeof key === 'string' ? Buffer.from(key) : key,
      value: Buffer.from(value),
      partition: 0,
    })
    const bad: Array<{ topic: string; partition?: number; offset: number }> = [
      ...(
        await log.append('_tributary-configs', [
          record('connector-zzz', `not json ${SECRET}`),
          record('connector-yyy', `{"properties":{"connector.class":"file-sink","file":5,"password":"${SECRET}"}}`),
          record('connector-lines-in', `{"properties":"${SECRET}"}`), // a later bad value of a good connector: the good one stays
          record('target-state-lines-out', '{"state":"ASLEEP"}'),
          record('session-key', '{}'),
        ])
      ).map((r) => ({ topic: '_tributary-configs', offset: r.offset })),
      ...(
        await log.append('_tributary-status', [
          record('status-connector-lines-in', `[${SECRET}`),
          record('status-task-lines-out-0', '{"state":"RUNNING"}'),
        ])
      ).map((r) => ({ topic: '_tributary-status', offset: r.offset })),
      ...(
        await log.append('_tributary-offsets', [
          record(sourceKey, `"${SECRET}"`), // the source's own offset: it must resume after the last good one
          record('not a json key', '{"position":1}'),
          record('["lines-in",{"file":{"nested":true}}]', '{"position":1}'),
        ])
      ).map((r) => ({ topic: '_tributary-offsets', offset: r.offset })),
    ]
    // The sink's committed offset: a bad commit after the good one must not send it back to the start.
    const group = 'tributary-lines-out'
    const groupPartition = partitionForKey(Buffer.from(group), 8)
    const badCommits = await log.append(
      '__consumer_offsets',
      [record(JSON.stringify(['offset', group, 'lines', 0]), `{"offset":"${SECRET}"}`), record('not json', '{}')].map((r) => ({
        ...r,
        partition: groupPartition,
      })),
    )
    bad.push(...badCommits.map((r) => ({ topic: '__consumer_offsets', partition: groupPartition, offset: r.offset })))
    await log.close()
    fs.appendFileSync(input, 'd\ne\n')

    running = await spawnWorker(configDir, dataDir)
    const response = await fetch(`${running.url}/connectors?expand=status`)
    const connectors = (await response.json()) as Record<string, { status: { connector: { state: string } } }>
    expect(Object.keys(connectors).sort()).toEqual(['lines-in', 'lines-out'])
    // The source resumed after its last good offset and the sink after its group's: each line once.
    await eventually(
      () => lines(output),
      (found) => found.length >= 5,
      30_000,
    )
    const worker = running
    await eventually(
      async () =>
        ((await (await fetch(`${worker.url}/connectors/lines-in/status`)).json()) as { tasks: Array<{ state: string }> }).tasks[0]?.state,
      (state) => state === 'RUNNING',
    )
    expect(lines(output)).toEqual(['"a"', '"b"', '"c"', '"d"', '"e"'])

    const reported = await eventually(
      () => skipped(worker),
      (found) => found.length === bad.length,
    )
    expect(
      reported
        .map(({ topic, partition, offset }) => ({ topic, partition, offset }))
        .sort((a, b) => a.topic.localeCompare(b.topic) || a.offset - b.offset),
    ).toEqual(
      bad
        .map(({ topic, partition, offset }) => ({ topic, partition: partition ?? 0, offset }))
        .sort((a, b) => a.topic.localeCompare(b.topic) || a.offset - b.offset),
    )
    expect(reported.find((r) => r.topic === '_tributary-configs' && r.offset === bad[0]!.offset)?.reason).toBe('the value is not JSON')
    expect(reported.find((r) => r.topic === '_tributary-configs' && r.offset === bad[1]!.offset)?.reason).toMatch(/^properties\.file: /)
    expect(running.stdout() + running.stderr()).not.toContain(SECRET)
  }, 90_000)
})
