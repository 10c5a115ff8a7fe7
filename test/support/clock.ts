import { abortError, type Clock } from '../../core/clock.ts'

interface Timer {
  readonly due: number
  readonly resolve: () => void
}

/** A Clock that moves only when a test calls advance(); sleepers wake in due order. */
export class ManualClock implements Clock {
  private current: number
  private timers: Timer[] = []

  constructor(start = 1_700_000_000_000) {
    this.current = start
  }

  now(): number {
    return this.current
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal))
      const timer: Timer = {
        due: this.current + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
      }
      const onAbort = (): void => {
        this.timers = this.timers.filter((t) => t !== timer)
        reject(abortError(signal))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.timers.push(timer)
    })
  }

  /** Number of sleepers waiting: lets a test await "the code is now sleeping" instead of guessing. */
  get pendingSleeps(): number {
    return this.timers.length
  }

  /** Moves time forward, waking each due sleeper and letting its continuation run before the next. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms
    for (;;) {
      const next = this.timers.filter((t) => t.due <= target).sort((a, b) => a.due - b.due)[0]
      if (!next) break
      this.timers = this.timers.filter((t) => t !== next)
      this.current = Math.max(this.current, next.due)
      next.resolve()
      await flushMicrotasks()
    }
    this.current = target
    await flushMicrotasks()
  }
}

export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}
