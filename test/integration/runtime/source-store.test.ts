import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { definePlugin } from '../../../core/runtime/plugin.ts'
import { createWorker } from '../../../core/runtime/create-worker.ts'
import type { Herder } from '../../../core/runtime/herder.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'

/** Each start reads the store and adds one key: what every start saw shows what survived. */
const seen: string[][] = []
const counting = definePlugin({
  kind: 'source',
  name: 'store-counter',
  version: '0.0.0',
  description: 'test source that keeps a count of its starts in a store',
  config: z.record(z.string(), z.string()),
  taskConfigs: (config) => [config],
  createTask: (context) => ({
    async start() {
      const store = await context.openStore<{ n: number }>(`_test-store.${context.connector}`)
      const keys = [...store.entries()].map(([key]) => key).sort()
      seen.push(keys)
      await store.write([[`start-${keys.length + 1}`, { n: keys.length + 1 }]])
    },
    async poll(signal) {
      await context.clock.sleep(50, signal).catch(() => undefined)
      return []
    },
    async stop() {},
  }),
})

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function openWorker(dataDir: string): Promise<{ worker: Herder; close: () => Promise<void> }> {
  const log = await EmbeddedLog.open({ dataDir, maintenanceIntervalMs: 0 })
  const worker = await createWorker({ log, plugins: [counting], workerId: 'test-worker' })
  return {
    worker,
    close: async () => {
      await worker.close()
      await log.close()
    },
  }
}

describe('SourceTaskContext.openStore', () => {
  it('gives a source a table in a compacted topic of the log that survives a worker restart', async () => {
    const dir = await makeTempDir('tributary-source-store-')
    cleanups.push(() => dir.remove())
    const first = await openWorker(dir.path)
    await first.worker.create('counter', { 'connector.class': 'store-counter' })
    await eventually(
      () => seen.length,
      (n) => n === 1,
    )
    await first.close()
    const second = await openWorker(dir.path)
    cleanups.push(() => second.close())
    await eventually(
      () => seen.length,
      (n) => n === 2,
    )
    expect(seen).toEqual([[], ['start-1']])
  })
})
