/**
 * A wait that ends at the first of: a wake() call, a timeout, or an aborted signal. Tasks use it to
 * sleep in poll() until there is something to do, without polling in a tight loop.
 */
export class Wakeup {
  private wakeCurrent: (() => void) | undefined
  private woken = false

  /** Ends the current wait, or the next one at once if none is under way. */
  wake(): void {
    if (this.wakeCurrent !== undefined) this.wakeCurrent()
    else this.woken = true
  }

  wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.woken || signal.aborted) {
      this.woken = false
      return Promise.resolve()
    }
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        signal.removeEventListener('abort', done)
        this.wakeCurrent = undefined
        resolve()
      }
      const timer = setTimeout(done, timeoutMs)
      signal.addEventListener('abort', done, { once: true })
      this.wakeCurrent = done
    })
  }
}
