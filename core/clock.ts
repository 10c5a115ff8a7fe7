import { TributaryError } from './errors.ts'

/**
 * Time as the engine sees it. Flush timers, retention, session timeouts and backoff all take a Clock,
 * so tests advance a ManualClock instead of sleeping.
 */
export interface Clock {
  now(): number
  /** Resolves after `ms`; rejects with TRB_ABORTED when `signal` fires first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal))
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      const onAbort = (): void => {
        clearTimeout(timer)
        reject(abortError(signal))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  },
}

/** Runs `task` every `intervalMs` of `clock` until `signal` fires, each run after the last one ends. */
export async function runEvery(clock: Clock, intervalMs: number, signal: AbortSignal, task: () => unknown): Promise<void> {
  while (!signal.aborted) {
    try {
      await clock.sleep(intervalMs, signal)
    } catch {
      return
    }
    await task()
  }
}

export function abortError(signal?: AbortSignal): TributaryError {
  return new TributaryError('TRB_ABORTED', 'operation aborted', { cause: signal?.reason })
}
