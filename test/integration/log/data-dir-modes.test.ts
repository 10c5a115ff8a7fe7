/**
 * The data directory is the worker's user's alone: every directory the log creates is 0700 and every
 * file 0600 whatever the umask (checked here under umask 000), including the files a segment roll and
 * a compaction write; a directory left open by an older version is tightened on open; and another
 * user really cannot read a segment.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import type { TightenedModes } from '../../../core/log/data-dir-modes.ts'
import { ManualClock } from '../../support/clock.ts'
import { freePort } from '../../support/free-port.ts'
import { writePipelineFile } from '../../support/pipeline-file.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'
import { spawnWorker } from '../../support/worker-process.ts'

let dir: Awaited<ReturnType<typeof makeTempDir>>
let dataDir: string
let previousUmask: number

beforeAll(() => {
  previousUmask = process.umask(0o000)
})
afterAll(() => {
  process.umask(previousUmask)
})
beforeEach(async () => {
  dir = await makeTempDir('tributary-modes-')
  // The temp dir itself is 0700; open it so only the data directory's own modes stand in the way.
  fs.chmodSync(dir.path, 0o755)
  dataDir = path.join(dir.path, 'data')
})
afterEach(async () => {
  await dir.remove()
})

/** Every directory and file under the root (the root included), with its permission bits. */
function modes(root: string): Array<{ path: string; mode: string; isDirectory: boolean }> {
  const out: Array<{ path: string; mode: string; isDirectory: boolean }> = []
  const visit = (entry: string) => {
    const stats = fs.lstatSync(entry)
    out.push({ path: path.relative(root, entry) || '.', mode: (stats.mode & 0o777).toString(8), isDirectory: stats.isDirectory() })
    if (stats.isDirectory()) for (const name of fs.readdirSync(entry)) visit(path.join(entry, name))
  }
  visit(root)
  return out
}

function expectClosed(root: string): void {
  const all = modes(root)
  expect(all.filter((e) => e.isDirectory && e.mode !== '700')).toEqual([])
  expect(all.filter((e) => !e.isDirectory && e.mode !== '600')).toEqual([])
}

async function fillCompactedTopic(log: EmbeddedLog): Promise<void> {
  await log.createTopic('c', { 'cleanup.policy': 'compact', 'segment.bytes': 1024, 'delete.retention.ms': 10_000 })
  for (let round = 0; round < 20; round++) {
    for (let k = 0; k < 10; k++) await log.append('c', [{ key: Buffer.from(`k${k}`), value: Buffer.from(`secret-${k}-${round}`) }])
  }
}

describe("the data directory's modes", () => {
  it('are 0700 for directories and 0600 for files under umask 000, after rolls and a compaction', async () => {
    const log = await EmbeddedLog.open({ dataDir, clock: new ManualClock(), maintenanceIntervalMs: 0 })
    try {
      await fillCompactedTopic(log)
      await log.createTopic('plain', { partitions: 3 })
      await log.append('plain', [{ key: null, value: Buffer.from('x'), partition: 2 }])
      expect((await log.runMaintenance()).compacted).toHaveLength(1)
      await log.deleteTopic('plain')
    } finally {
      await log.close()
    }
    const names = modes(dataDir).map((e) => path.basename(e.path))
    // The kinds of file the log writes are all there to be checked: rolled segments and their indexes,
    // the topic's metadata, the compaction checkpoint.
    expect(names.filter((n) => n.endsWith('.log')).length).toBeGreaterThan(1)
    expect(names).toEqual(expect.arrayContaining(['topic.json', '00000000000000000000.index', '00000000000000000000.timeindex']))
    expect(names.some((n) => /checkpoint/.test(n))).toBe(true)
    expectClosed(dataDir)
  })

  it('are tightened when an older, open data directory is opened, and the log says so', async () => {
    let log = await EmbeddedLog.open({ dataDir, clock: new ManualClock(), maintenanceIntervalMs: 0 })
    await fillCompactedTopic(log)
    await log.close()
    execFileSync('chmod', ['-R', 'a+rX,g+w', dataDir])
    const stray = path.join(dataDir, 'notes.txt')
    fs.writeFileSync(stray, 'x', { mode: 0o755 })
    const linked = path.join(dir.path, 'outside.txt')
    fs.writeFileSync(linked, 'x', { mode: 0o644 })
    fs.symlinkSync(linked, path.join(dataDir, 'link'))
    const before = modes(dataDir).filter((e) => e.path !== 'link').length

    const reports: TightenedModes[] = []
    log = await EmbeddedLog.open({
      dataDir,
      clock: new ManualClock(),
      maintenanceIntervalMs: 0,
      onModesTightened: (event) => reports.push(event),
    })
    await log.close()
    expect(reports).toHaveLength(1)
    expect(reports[0]!.failed).toEqual([])
    expect(reports[0]!.tightened).toHaveLength(before)
    fs.rmSync(path.join(dataDir, 'link'))
    expect((fs.statSync(stray).mode & 0o777).toString(8)).toBe('700') // owner bits are kept
    fs.rmSync(stray)
    expectClosed(dataDir)
    expect((fs.statSync(linked).mode & 0o777).toString(8)).toBe('644') // a link is not followed out

    const quiet: TightenedModes[] = []
    log = await EmbeddedLog.open({
      dataDir,
      clock: new ManualClock(),
      maintenanceIntervalMs: 0,
      onModesTightened: (event) => quiet.push(event),
    })
    await log.close()
    expect(quiet).toEqual([])
  })

  it('holds for everything a real worker writes (internal topics, groups, the cluster id), and its log names a tightening', async () => {
    const configDir = path.join(dir.path, 'config')
    writePipelineFile(configDir, 'hooks', [
      'topic: { name: hooks, partitions: 2 }',
      'sources:',
      '  - { id: in, type: http-source, with: { mode: webhook } }',
      'sinks:',
      '  - { id: copy, type: topic-sink, start: earliest, with: { topic: hooks.copy } }',
    ])
    const worker = await spawnWorker(configDir, dataDir, { TRIBUTARY_KAFKA_PORT: String(await freePort()) })
    try {
      const response = await fetch(`${worker.url}/ingest/hooks.in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"password":"hunter2"}',
      })
      expect(response.status).toBe(200)
      await eventually(
        async () => (await fetch(`${worker.url}/connectors/hooks.copy/offsets`)).json() as Promise<{ offsets: unknown[] }>,
        (body) => body.offsets.length > 0,
        30_000,
      )
    } finally {
      worker.child.kill('SIGTERM')
      expect(await worker.exited).toBe(0)
    }
    const names = modes(dataDir).map((e) => e.path)
    expect(names).toEqual(
      expect.arrayContaining([
        'cluster-id',
        path.join('topics', '_tributary-configs', 'topic.json'),
        path.join('topics', '__consumer_offsets', 'topic.json'),
      ]),
    )
    expectClosed(dataDir)

    fs.chmodSync(dataDir, 0o755)
    const again = await spawnWorker(configDir, dataDir)
    again.child.kill('SIGTERM')
    expect(await again.exited).toBe(0)
    expect(again.stdout()).toMatch(/the data directory was readable by other users: took group and other permissions off 1 files/)
    expectClosed(dataDir)
  })

  it('keeps another user out: nobody cannot read a segment that its owner reads', async (context) => {
    const asNobody = findRunAs()
    if (asNobody === undefined) {
      context.skip('neither runuser, setpriv nor su is installed: cannot run a command as another user')
      return
    }
    const log = await EmbeddedLog.open({ dataDir, clock: new ManualClock(), maintenanceIntervalMs: 0 })
    await log.createTopic('creds', { partitions: 1 })
    await log.append('creds', [{ key: null, value: Buffer.from('PipelinePgPass=hunter2') }])
    await log.close()
    const segment = path.join(dataDir, 'topics', 'creds', '0', '00000000000000000000.log')
    expect(fs.readFileSync(segment).includes('PipelinePgPass')).toBe(true)
    const asOther = spawnSync(asNobody[0]!, [...asNobody.slice(1), `cat '${segment}'; grep -r PipelinePgPass '${dataDir}'`], {
      encoding: 'utf8',
    })
    expect(asOther.stdout).not.toContain('PipelinePgPass')
    expect(asOther.stderr).toMatch(/Permission denied/)
    expect(asOther.status).not.toBe(0)
  })
})

/** A command prefix that runs a shell line as the user nobody, or undefined when none works here. */
function findRunAs(): string[] | undefined {
  const candidates = [
    ['runuser', '-u', 'nobody', '--', '/bin/sh', '-c'],
    ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '/bin/sh', '-c'],
    ['su', 'nobody', '-s', '/bin/sh', '-c'],
  ]
  return candidates.find(
    (prefix) => spawnSync(prefix[0]!, [...prefix.slice(1), 'id -un'], { encoding: 'utf8' }).stdout?.trim() === 'nobody',
  )
}
