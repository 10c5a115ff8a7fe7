/**
 * The crash test of a replicating pipeline: its worker runs under a write load until the target shows
 * streamed rows, is killed with SIGKILL (no flush, no commit), the source changes while it is down,
 * and a new worker on the same data directory must bring the target to equal the source row for row.
 */
import { expect } from 'vitest'
import type { BackgroundLoad } from './background-load.ts'
import { untilRowsEqual } from './until-rows-equal.ts'
import { eventually } from './worker-harness.ts'
import { spawnWorker, type WorkerProcess } from './worker-process.ts'

export interface KillMidStream {
  readonly configDir: string
  readonly dataDir: string
  /** Starts writing to the source. */
  load(): BackgroundLoad
  /** Holds once the target has rows the load wrote (the worker is past its snapshot). */
  streamed(): Promise<boolean>
  /** Changes to the source while no worker runs. */
  whileDown(): Promise<unknown>
  sourceRows(): Promise<string[]>
  targetRows(): Promise<string[]>
}

/** Returns the second worker, running, with the target equal to the source; the caller stops it. */
export async function killMidStream(run: KillMidStream): Promise<WorkerProcess> {
  const first = await spawnWorker(run.configDir, run.dataDir)
  const load = run.load()
  await eventually(
    () => run.streamed(),
    (seen) => seen,
    30_000,
  )
  first.child.kill('SIGKILL')
  await first.exited
  expect(await load.stop()).toBeGreaterThan(0)
  await run.whileDown()
  const second = await spawnWorker(run.configDir, run.dataDir)
  try {
    const expected = await run.sourceRows()
    const status = async () =>
      `${JSON.stringify(await (await fetch(`${second.url}/connectors?expand=status`)).json()).slice(0, 3000)}\n${second.stderr().slice(-3000)}`
    await untilRowsEqual(() => run.targetRows(), expected, 60_000, status)
    expect(await run.targetRows()).toEqual(expected)
    return second
  } catch (error) {
    second.child.kill('SIGTERM')
    await second.exited
    throw error
  }
}
