/**
 * Kafka's queued.max.request.bytes for the whole listener: the bytes every connection holds for
 * requests not yet served (a frame still arriving, or frames queued behind the one being answered).
 * A connection's own frames are capped by socket.request.max.bytes, but many connections each
 * holding a large partial frame and then going quiet would hold that many times over. Past the
 * budget, the connection whose partial frame has waited longest is closed, and again until the rest
 * fits: a real client's frame arrives in moments, so the one that stalls is the one that goes.
 */

export interface BudgetHolder {
  /** Closes the holder; it must give its bytes back (`set(holder, 0)`) before returning. */
  evictForBuffer(): void
}

export class BufferBudget {
  readonly limitBytes: number
  private usedBytes = 0
  private peak = 0
  /** Holders in the order their current frame started arriving: the first has waited longest. */
  private readonly holders = new Map<BudgetHolder, number>()

  constructor(limitBytes: number) {
    this.limitBytes = limitBytes
  }

  get bufferedBytes(): number {
    return this.usedBytes
  }

  /** The most ever held at once. */
  get peakBytes(): number {
    return this.peak
  }

  /**
   * Records that `holder` now holds `bytes`; `isNewFrame` when a new frame has started arriving since
   * the last call. Evicts the longest-waiting holders while the total is over the budget.
   */
  set(holder: BudgetHolder, bytes: number, isNewFrame = false): void {
    const before = this.holders.get(holder) ?? 0
    if (bytes === 0 || isNewFrame || before === 0) this.holders.delete(holder)
    if (bytes > 0) this.holders.set(holder, bytes)
    this.usedBytes += bytes - before
    this.peak = Math.max(this.peak, this.usedBytes)
    while (this.usedBytes > this.limitBytes) {
      const oldest = this.holders.keys().next()
      if (oldest.done) break
      const size = this.holders.get(oldest.value)!
      oldest.value.evictForBuffer()
      // A holder that did not give its bytes back is forgotten here, so the loop always ends.
      if (this.holders.get(oldest.value) === size) {
        this.holders.delete(oldest.value)
        this.usedBytes -= size
      }
    }
  }
}
