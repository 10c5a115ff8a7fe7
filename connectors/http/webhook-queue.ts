/**
 * Webhook requests waiting for durability. A request's records are handed to poll(); its HTTP reply
 * is sent only when commit() has reported every one of them durable. Bounded: when full, a request is
 * refused (the caller answers 429) so clients back off instead of the worker buffering without limit.
 * Records are matched by their `received` sequence number, which is unique per task.
 */
import { Wakeup, type CommittedRecord, type SourceRecord } from '../../core/runtime/plugin.ts'

/** How a request ended: its records are durable, or the task stopped (or the client left) first. */
export type RequestFate = 'durable' | 'dropped'

interface PendingRequest {
  remaining: number
  taken: boolean
  readonly resolve: (fate: RequestFate) => void
}

export class WebhookQueue {
  private readonly maxRecords: number
  private queued: Array<{ record: SourceRecord; request: PendingRequest }> = []
  private readonly inFlight = new Map<number, PendingRequest>()
  private readonly wakeup = new Wakeup()
  private closed = false

  constructor(maxRecords: number) {
    this.maxRecords = maxRecords
  }

  /** Records queued or handed out and not yet durable. */
  get size(): number {
    return this.queued.length + this.inFlight.size
  }

  /**
   * Queues all of a request's records or none. undefined: no room (an oversized request is still
   * taken when nothing else waits, or it could never get in). A client that leaves before any of its
   * records were handed out takes them back.
   */
  offer(records: readonly SourceRecord[], signal: AbortSignal): Promise<RequestFate> | undefined {
    if (this.closed) return Promise.resolve('dropped')
    if (records.length === 0) return Promise.resolve('durable')
    if (this.size > 0 && this.size + records.length > this.maxRecords) return undefined
    return new Promise<RequestFate>((resolve) => {
      const request: PendingRequest = { remaining: records.length, taken: false, resolve }
      for (const record of records) this.queued.push({ record, request })
      signal.addEventListener(
        'abort',
        () => {
          if (request.taken || request.remaining === 0) return
          this.queued = this.queued.filter((entry) => entry.request !== request)
          resolve('dropped')
        },
        { once: true },
      )
      this.wakeup.wake()
    })
  }

  /** Hands out up to `max` queued records, waiting up to `waitMs` for the first. */
  async take(max: number, waitMs: number, signal: AbortSignal): Promise<SourceRecord[]> {
    if (this.queued.length === 0) await this.wakeup.wait(waitMs, signal)
    const taken = this.queued.slice(0, max)
    this.queued = this.queued.slice(taken.length)
    for (const { record, request } of taken) {
      request.taken = true
      this.inFlight.set(sequenceOf(record), request)
    }
    return taken.map(({ record }) => record)
  }

  /** These records are durable: requests whose records are all durable get their reply. */
  commit(durable: readonly CommittedRecord[]): void {
    for (const record of durable) {
      const sequence = sequenceOf(record)
      const request = this.inFlight.get(sequence)
      if (request === undefined) continue
      this.inFlight.delete(sequence)
      request.remaining--
      if (request.remaining === 0) request.resolve('durable')
    }
  }

  /** Takes no more requests; every unanswered one is dropped (its client is told to retry). */
  close(): void {
    this.closed = true
    const requests = new Set([...this.queued.map((entry) => entry.request), ...this.inFlight.values()])
    this.queued = []
    this.inFlight.clear()
    for (const request of requests) request.resolve('dropped')
    this.wakeup.wake()
  }
}

function sequenceOf(record: Pick<SourceRecord, 'sourceOffset'>): number {
  return Number(record.sourceOffset.received)
}
