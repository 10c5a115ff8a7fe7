/**
 * The herder suite (test/support/herder-suite.ts) on both herders, each over an embedded log in a
 * temp dir: the standalone herder, and the distributed one as the only member of its group.
 */
import path from 'node:path'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { CleanupStack } from '../../../core/cleanup-stack.ts'
import { createWorker, type CreateWorkerOptions } from '../../../core/runtime/create-worker.ts'
import { Sandbox } from '../../../core/runtime/sandbox.ts'
import { defaultGroupSettings } from '../../../core/runtime/worker-group.ts'
import { builtinPlugins } from '../../../connectors/index.ts'
import { runHerderSuite, type HerderUnderTest } from '../../support/herder-suite.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

/** A log in a temp dir and the worker options over it; everything closes with the stack. */
async function workerOptions(cleanup: CleanupStack): Promise<{ dir: string; options: CreateWorkerOptions }> {
  const dir = await makeTempDir('tributary-herder-')
  cleanup.defer(() => dir.remove())
  const log = await EmbeddedLog.open({ dataDir: path.join(dir.path, 'data'), maintenanceIntervalMs: 0 })
  cleanup.defer(() => log.close())
  const options = { log, plugins: builtinPlugins, workerId: 'worker-a', cleanup, sandbox: new Sandbox({ files: { allowed: [dir.path] } }) }
  return { dir: dir.path, options }
}

runHerderSuite('standalone', async (): Promise<HerderUnderTest> => {
  const cleanup = new CleanupStack()
  const { dir, options } = await workerOptions(cleanup)
  return { herder: await createWorker(options), dir, close: () => cleanup.close() }
})

runHerderSuite('distributed, alone in its group', async (): Promise<HerderUnderTest> => {
  const cleanup = new CleanupStack()
  const { dir, options } = await workerOptions(cleanup)
  const herder = await createWorker({ ...options, group: { ...defaultGroupSettings('workers', 1_000), rebalanceTimeoutMs: 5_000 } })
  await herder.joinGroup('worker-a')
  return { herder, dir, close: () => cleanup.close() }
})
