/**
 * Webhook sources register here; the REST API's `POST /ingest/<connector>` dispatches to them,
 * spreading requests over a connector's tasks in turn. A request that comes while the connector's
 * tasks are still starting (an exactly-once task opens its transactional producer first) may wait a
 * bounded time for the first registration instead of being told 503 at once.
 */
import type { Ingress, IngressHandler, IngressOptions } from './plugin.ts'

interface Registration {
  readonly handler: IngressHandler
  readonly options: IngressOptions
}

export class IngressRegistry {
  private readonly byConnector = new Map<string, Registration[]>()
  private readonly waiting = new Map<string, Set<() => void>>()
  private turn = 0

  forConnector(connector: string): Ingress {
    return {
      register: (handler, options) => {
        const registration = { handler, options }
        this.byConnector.set(connector, [...(this.byConnector.get(connector) ?? []), registration])
        for (const wake of this.waiting.get(connector) ?? []) wake()
        return () => {
          const left = (this.byConnector.get(connector) ?? []).filter((entry) => entry !== registration)
          if (left.length === 0) this.byConnector.delete(connector)
          else this.byConnector.set(connector, left)
        }
      },
    }
  }

  /** The next handler for a connector, or undefined when none of its tasks is taking requests. */
  next(connector: string): Registration | undefined {
    const registrations = this.byConnector.get(connector)
    if (registrations === undefined || registrations.length === 0) return undefined
    this.turn = (this.turn + 1) % 1_000_000
    return registrations[this.turn % registrations.length]
  }

  /** The next handler once one registers, or undefined after `timeoutMs` or when `signal` aborts. */
  async waitFor(connector: string, timeoutMs: number, signal?: AbortSignal): Promise<Registration | undefined> {
    const now = this.next(connector)
    if (now !== undefined || signal?.aborted === true) return now
    const wakers = this.waiting.get(connector) ?? this.waiting.set(connector, new Set()).get(connector)!
    let wake = (): void => undefined
    const woken = new Promise<void>((resolve) => (wake = resolve))
    const timeout = setTimeout(wake, timeoutMs)
    signal?.addEventListener('abort', wake, { once: true })
    wakers.add(wake)
    try {
      await woken
    } finally {
      clearTimeout(timeout)
      signal?.removeEventListener('abort', wake)
      wakers.delete(wake)
      if (wakers.size === 0) this.waiting.delete(connector)
    }
    return this.next(connector)
  }
}
