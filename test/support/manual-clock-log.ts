/**
 * An EmbeddedLog per test on a fresh data directory, with a ManualClock and no maintenance loop, so a
 * test decides when time passes and when retention and compaction run. Registers its own
 * beforeEach/afterEach; `reopen` closes the log and opens it again on the same directory.
 */
import { afterEach, beforeEach } from 'vitest'
import { EmbeddedLog, type EmbeddedLogOptions } from '../../core/log/embedded-log.ts'
import { ManualClock } from './clock.ts'
import { makeTempDir } from './temp-dir.ts'

export interface ManualClockLog {
  readonly dataDir: string
  readonly clock: ManualClock
  readonly log: EmbeddedLog
  reopen(options?: Partial<EmbeddedLogOptions>): Promise<EmbeddedLog>
}

export function manualClockLogPerTest(): ManualClockLog {
  let dir: Awaited<ReturnType<typeof makeTempDir>> | undefined
  let clock: ManualClock | undefined
  let log: EmbeddedLog | undefined
  const open = (options: Partial<EmbeddedLogOptions> = {}) =>
    EmbeddedLog.open({ dataDir: dir!.path, clock: clock!, maintenanceIntervalMs: 0, ...options })
  beforeEach(async () => {
    dir = await makeTempDir()
    clock = new ManualClock()
    log = await open()
  })
  afterEach(async () => {
    await log?.close()
    await dir?.remove()
  })
  return {
    get dataDir() {
      return dir!.path
    },
    get clock() {
      return clock!
    },
    get log() {
      return log!
    },
    async reopen(options) {
      await log!.close()
      log = await open(options)
      return log
    },
  }
}
