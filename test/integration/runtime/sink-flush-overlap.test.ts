import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { TributaryError } from '../../../core/errors.ts'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { definePlugin, type ConnectorPlugin } from '../../../core/runtime/plugin.ts'
import { createWorker } from '../../../core/runtime/create-worker.ts'
import { sinkGroupId } from '../../../core/runtime/sink-task-runner.ts'
import type { Herder } from '../../../core/runtime/herder.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'

/** A sink whose flushes finish only when the test says so; it notes each call. */
class GatedSink {
  readonly calls: string[] = []
  private readonly flushes: Array<{ resolve: () => void; reject: (error: Error) => void }> = []
  private settled = 0
  private released = false

  plugin(putsWhileFlushing: boolean): ConnectorPlugin {
    return definePlugin({
      kind: 'sink',
      name: 'gated-sink',
      version: '0.0.0',
      description: 'test sink',
      config: z.record(z.string(), z.unknown()),
      taskConfigs: (config) => [config],
      createTask: () => ({
        putsWhileFlushing,
        start: async () => undefined,
        stop: async () => undefined,
        put: async (records) => {
          this.calls.push(`put ${records.map((record) => record.offset).join(',')}`)
        },
        flush: async () => {
          this.calls.push('flush')
          if (!this.released) await new Promise<void>((resolve, reject) => this.flushes.push({ resolve, reject }))
        },
      }),
    })
  }

  /** Ends every flush from now on, so the worker can stop. */
  release(): void {
    this.released = true
    for (const flush of this.flushes.slice(this.settled)) flush.resolve()
  }

  /** Ends the next flush once it has been called. */
  async finishFlush(error?: Error): Promise<void> {
    await eventually(() => this.flushes.length > this.settled, Boolean)
    const flush = this.flushes[this.settled++]
    if (error === undefined) flush?.resolve()
    else flush?.reject(error)
  }
}

let dir: Awaited<ReturnType<typeof makeTempDir>>
let log: EmbeddedLog
let worker: Herder | undefined
let sink: GatedSink

beforeEach(async () => {
  dir = await makeTempDir('tributary-overlap-')
  log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
  await log.createTopic('in', { partitions: 1 })
  await log.append(
    'in',
    Array.from({ length: 6 }, (_, i) => ({ key: null, value: Buffer.from(`"${i}"`) })),
  )
  sink = new GatedSink()
})
afterEach(async () => {
  sink.release()
  await worker?.close()
  worker = undefined
  await log.close()
  await dir.remove()
})

const committed = async (): Promise<number | undefined> =>
  (await log.describeGroup(sinkGroupId('gated'))).offsets.find((o) => o.topic === 'in')?.offset

async function start(putsWhileFlushing: boolean): Promise<void> {
  worker = await createWorker({ log, plugins: [sink.plugin(putsWhileFlushing)], workerId: 'w' })
  await worker.create('gated', { 'connector.class': 'gated-sink', topics: 'in', 'poll.max.records': '2', 'errors.retry.timeout': '10000' })
}

/** Waits a little, then the group's committed offset: a commit that should not happen has had time to. */
async function committedAfterAWhile(): Promise<number | undefined> {
  await new Promise((resolve) => setTimeout(resolve, 100))
  return committed()
}

describe('sink flush overlap', () => {
  it('puts the next batch while a sink that allows it flushes, and commits each batch only after its flush, in order', async () => {
    await start(true)
    await eventually(
      () => sink.calls.length,
      (n) => n >= 3,
    )
    expect(sink.calls).toEqual(['put 0,1', 'flush', 'put 2,3'])
    expect(await committedAfterAWhile()).toBeUndefined()
    await sink.finishFlush()
    await eventually(
      () => sink.calls.length,
      (n) => n >= 5,
    )
    expect(sink.calls.slice(3)).toEqual(['flush', 'put 4,5'])
    expect(await eventually(committed, (offset) => offset !== undefined)).toBe(2)
    expect(await committedAfterAWhile()).toBe(2)
    await sink.finishFlush()
    expect(await eventually(committed, (offset) => offset !== 2)).toBe(4)
    await sink.finishFlush()
    expect(await eventually(committed, (offset) => offset !== 4)).toBe(6)
    expect(sink.calls.slice(5)).toEqual(['flush'])
  })

  it('waits for each flush before the next put when the sink does not allow overlap', async () => {
    await start(false)
    await eventually(
      () => sink.calls.length,
      (n) => n >= 2,
    )
    expect(await committedAfterAWhile()).toBeUndefined()
    expect(sink.calls).toEqual(['put 0,1', 'flush'])
    await sink.finishFlush()
    await eventually(
      () => sink.calls.length,
      (n) => n >= 4,
    )
    expect(sink.calls.slice(2)).toEqual(['put 2,3', 'flush'])
    expect(await eventually(committed, (offset) => offset !== undefined)).toBe(2)
  })

  it('retries a failed flush after the next put, and commits both batches only once a flush succeeds', async () => {
    await start(true)
    await eventually(
      () => sink.calls.length,
      (n) => n >= 3,
    )
    await sink.finishFlush(new TributaryError('TRB_SINK_WRITE', 'connection lost', { retriable: true }))
    // The retry stores everything put so far (batches 0-1 and 2-3); nothing is committed before it ends.
    await eventually(
      () => sink.calls.length,
      (n) => n >= 4,
    )
    expect(sink.calls).toEqual(['put 0,1', 'flush', 'put 2,3', 'flush'])
    expect(await committedAfterAWhile()).toBeUndefined()
    await sink.finishFlush()
    expect(await eventually(committed, (offset) => offset !== undefined)).toBe(2)
    await eventually(
      () => sink.calls.length,
      (n) => n >= 5,
    )
    expect(sink.calls[4]).toBe('flush')
    await sink.finishFlush()
    expect(await eventually(committed, (offset) => offset !== 2)).toBe(4)
    await sink.finishFlush()
    expect(await eventually(committed, (offset) => offset !== 4)).toBe(6)
  })
})
