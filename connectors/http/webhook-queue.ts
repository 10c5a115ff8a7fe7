/**
 * Webhook requests waiting for durability: a request's records are handed to poll(), and its HTTP
 * reply is sent only when commit() reports all of them durable. Bounded: when full, new requests
 * get 429 so clients back off instead of the worker buffering without limit.
 */
import { Wakeup, type SourceRecord } from '../../core/runtime/plugin.ts'

interface PendingRequest {
  readonly records: SourceRecord[]
  remaining: number
  readonly resolve: (accepted: boolean) => void
}

export class WebhookQueue {
  private readonly maxRecords: number
  private queued: Array<{ record: SourceRecord; request: PendingRequest }> = []
  private readonly inFlight = new Map<SourceRecord, PendingRequest>()
  private readonly wakeup = new Wakeup()
  private closed = false

  constructor(maxRecords: number) {
    this.maxRecords = maxRecords
  }

  get size(): number {
    return this.queued.length + this.inFlight.size
  }

  /** Resolves true once every record is durable, false if the task stops first. undefined: queue full. */
  offer(records: SourceRecord[]): Promise<boolean> | undefined {
    if (this.closed) return Promise.resolve(false)
    if (this.size + records.length > this.maxRecords && this.size > 0) return undefined
    return new Promise<boolean>((resolve) => {
      const request: PendingRequest = { records, remaining: records.length, resolve }
      if (records.length === 0) resolve(true)
      for (const record of records) this.queued.push({ record, request })
      this.wakeup.wake()
    })
  }

  /** Hands out up to `max` queued records, waiting up to `waitMs` for the first. */
  async take(max: number, waitMs: number, signal: AbortSignal): Promise<SourceRecord[]> {
    if (this.queued.length === 0) await this.wakeup.wait(waitMs, signal)
    const taken = this.queued.slice(0, max)
    this.queued = this.queued.slice(taken.length)
    for (const { record, request } of taken) this.inFlight.set(record, request)
    return taken.map(({ record }) => record)
  }

  /** These records are durable: requests whose records are all durable get their reply. */
  commit(durable: readonly SourceRecord[]): void {
    for (const record of durable) {
      const request = this.inFlight.get(record)
      if (request === undefined) continue
      this.inFlight.delete(record)
      request.remaining--
      if (request.remaining === 0) request.resolve(true)
    }
  }

  /** Stops taking requests; every unanswered one is told to retry. */
  close(): void {
    this.closed = true
    const requests = new Set([...this.queued.map((entry) => entry.request), ...this.inFlight.values()])
    this.queued = []
    this.inFlight.clear()
    for (const request of requests) request.resolve(false)
    this.wakeup.wake()
  }
}
