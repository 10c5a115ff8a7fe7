/**
 * Two workers in one group on one embedded log (its in-process coordinator through the Log seam):
 * they split the connectors, a connector created, paused or deleted through one is run, paused or
 * stopped by the other when that one holds it, and a worker that leaves hands its share over at once.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { PipelineManager } from '../../../core/worker/pipeline-manager.ts'
import { createWorker } from '../../../core/runtime/create-worker.ts'
import { Sandbox } from '../../../core/runtime/sandbox.ts'
import type { DistributedHerder } from '../../../core/runtime/distributed-herder.ts'
import { defaultGroupSettings } from '../../../core/runtime/worker-group.ts'
import { builtinPlugins } from '../../../connectors/index.ts'
import { writePipelineFile } from '../../support/pipeline-file.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function groupWorker(log: EmbeddedLog, id: string): Promise<DistributedHerder> {
  const worker = await createWorker({
    log,
    plugins: builtinPlugins,
    workerId: id,
    group: { ...defaultGroupSettings('workers', 1_000), rebalanceTimeoutMs: 5_000 },
    sandbox: new Sandbox({ files: { allowed: [path.dirname(log.dataDir)] } }),
  })
  await worker.joinGroup(id)
  return worker
}

/** Two workers of one group on one embedded log in a temp dir; the caller closes the workers. */
async function twoWorkers(): Promise<{ dir: { path: string }; log: EmbeddedLog; a: DistributedHerder; b: DistributedHerder }> {
  const dir = await makeTempDir()
  cleanups.push(() => dir.remove())
  const log = await EmbeddedLog.open({ dataDir: path.join(dir.path, 'data'), maintenanceIntervalMs: 0 })
  cleanups.push(() => log.close())
  return { dir, log, a: await groupWorker(log, 'worker-a'), b: await groupWorker(log, 'worker-b') }
}

describe('a worker group on the embedded log', () => {
  it('splits connectors between workers, follows changes made through either, and moves work when one leaves', async () => {
    const { dir, a, b } = await twoWorkers()
    let bOpen = true
    cleanups.push(
      () => a.close(),
      async () => {
        if (bOpen) await b.close()
      },
    )

    for (const name of ['one', 'two']) {
      fs.writeFileSync(path.join(dir.path, `${name}.txt`), 'x\n')
      await a.create(name, { 'connector.class': 'file-source', file: path.join(dir.path, `${name}.txt`), topic: 'out' })
    }
    const placement = (worker: DistributedHerder): string[] => ['one', 'two'].map((name) => worker.status(name).tasks[0]?.worker_id ?? '')
    const running = (worker: DistributedHerder): boolean =>
      ['one', 'two'].every((name) => worker.status(name).tasks[0]?.state === 'RUNNING')
    await eventually(
      () => running(b) && placement(b).join(),
      (p) => p === 'worker-a,worker-b',
    )
    expect(b.connectorNames()).toEqual(['one', 'two'])

    // Paused through worker a, applied by worker b, which runs "two".
    await a.pause('two')
    await eventually(
      () => a.status('two').tasks[0]?.state,
      (state) => state === 'PAUSED',
    )
    await a.resume('two')
    await eventually(
      () => a.status('two').tasks[0]?.state,
      (state) => state === 'RUNNING',
    )

    // Restarting a task works only on the worker that runs it (the REST API forwards it there).
    await expect(a.restartTask('two', 0)).rejects.toMatchObject({ code: 'TRB_NOT_ASSIGNED' })
    await b.restartTask('two', 0)

    // Deleted through worker b, which does not run it: the rebalance that follows puts "two" on worker a.
    await b.delete('one')
    await eventually(
      () => a.connectorNames().join(),
      (names) => names === 'two',
    )
    await eventually(
      () => b.status('two').tasks[0],
      (task) => task?.state === 'RUNNING' && task.worker_id === 'worker-a',
    )

    // A third connector sends "two" back to worker b; when b leaves, "two" returns to a at once.
    fs.writeFileSync(path.join(dir.path, 'three.txt'), 'x\n')
    await a.create('three', { 'connector.class': 'file-source', file: path.join(dir.path, 'three.txt'), topic: 'out' })
    await eventually(
      () => a.status('two').tasks[0],
      (task) => task?.state === 'RUNNING' && task.worker_id === 'worker-b',
    )
    await b.close()
    bOpen = false
    await eventually(
      () => ['two', 'three'].map((name) => a.status(name).tasks[0]),
      (tasks) => tasks.every((task) => task?.state === 'RUNNING' && task.worker_id === 'worker-a'),
    )
  })

  it('runs pipeline files once for the group, and a worker removes only what its own files stopped declaring', async () => {
    const { dir, log, a, b } = await twoWorkers()
    cleanups.push(
      () => a.close(),
      () => b.close(),
    )
    const input = path.join(dir.path, 'in.txt')
    fs.writeFileSync(input, 'one\ntwo\n')
    const withFile = path.join(dir.path, 'config-a')
    const empty = path.join(dir.path, 'config-b')
    fs.mkdirSync(empty)
    writePipelineFile(withFile, 'lines', [
      'topic: { name: lines.events }',
      'sources:',
      `  - { id: in, type: file-source, with: { file: ${JSON.stringify(input)} } }`,
    ])
    const managerA = new PipelineManager(a, withFile, { shared: true })
    const managerB = new PipelineManager(b, empty, { shared: true })

    expect((await managerA.apply()).added).toEqual(['lines.in'])
    // Worker b's directory has no such file: it leaves worker a's connector alone.
    expect((await managerB.apply()).removed).toEqual([])
    const task = await eventually(
      () => b.status('lines.in').tasks[0],
      (found) => found?.state === 'RUNNING',
    )
    expect(['worker-a', 'worker-b']).toContain(task?.worker_id)
    await eventually(
      async () => (await log.read('lines.events', 0, 0)).records.length,
      (count) => count === 2,
    )

    // The file loses its source: worker a, whose file it is, removes the connector for the whole group.
    writePipelineFile(withFile, 'lines', ['topic: { name: lines.events }'])
    expect((await managerA.apply()).removed).toEqual(['lines.in'])
    await eventually(
      () => b.connectorNames(),
      (names) => names.length === 0,
    )
  })
})
