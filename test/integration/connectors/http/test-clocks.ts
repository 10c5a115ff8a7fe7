/** Clocks for the HTTP connector tests: see how long the code asked to wait, without waiting. */
import { systemClock, type Clock } from '../../../../core/clock.ts'

/** Sleeps return at once; `sleeps` lists the requested waits. */
export function recordingClock(now = 1_700_000_000_000): Clock & { sleeps: number[] } {
  const sleeps: number[] = []
  return { sleeps, now: () => now, sleep: async (ms) => void sleeps.push(ms) }
}

/** The system clock, with a promise of the first sleep's length (to act while the code is sleeping). */
export function sleepSignallingClock(): Clock & { sleeping: Promise<number> } {
  let announce: (ms: number) => void = () => undefined
  const sleeping = new Promise<number>((resolve) => (announce = resolve))
  return {
    sleeping,
    now: () => systemClock.now(),
    sleep: (ms, signal) => {
      announce(ms)
      return systemClock.sleep(ms, signal)
    },
  }
}
