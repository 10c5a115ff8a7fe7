/** Holds a task loop between batches while its connector is paused; resume lets it go on. */
import { abortError } from '../clock.ts'

export class PauseGate {
  private waiting: Array<() => void> = []
  private isPausedNow = false

  get isPaused(): boolean {
    return this.isPausedNow
  }

  pause(): void {
    this.isPausedNow = true
  }

  resume(): void {
    this.isPausedNow = false
    const waiting = this.waiting
    this.waiting = []
    for (const wake of waiting) wake()
  }

  /** Resolves at once when not paused, else on resume; rejects with TRB_ABORTED when the signal fires. */
  wait(signal: AbortSignal): Promise<void> {
    if (!this.isPausedNow) return Promise.resolve()
    if (signal.aborted) return Promise.reject(abortError(signal))
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.waiting = this.waiting.filter((wake) => wake !== done)
        reject(abortError(signal))
      }
      const done = (): void => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      }
      this.waiting.push(done)
      signal.addEventListener('abort', onAbort, { once: true })
    })
  }
}
