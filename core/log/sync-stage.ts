/**
 * The second stage of fsync mode's group commit. The partition's writer hands each group over once
 * its write has completed and goes on to write the next one, so the disk flushes group N while the
 * CPU encodes and writes group N+1. One fdatasync runs at a time, covering every group handed over
 * before it started; a group is acknowledged only once such an fdatasync has completed, never on
 * the strength of one that started before its write ended.
 */

export interface SyncStageHooks<G> {
  /** Makes every group in `groups` durable (they were all written before this call). */
  readonly sync: (groups: readonly G[]) => Promise<void>
  /** The groups are durable: acknowledge them, in order. */
  readonly synced: (groups: readonly G[]) => void
  /** The fdatasync failed: `groups` are those it covered and every group handed over after them. */
  readonly failed: (error: unknown, groups: readonly G[]) => void
}

export class SyncStage<G> {
  private readonly hooks: SyncStageHooks<G>
  private waiting: G[] = []
  private running = false
  private done: Promise<void> = Promise.resolve()

  constructor(hooks: SyncStageHooks<G>) {
    this.hooks = hooks
  }

  /** Hands over a written group; an fdatasync starts now unless one is under way. */
  add(group: G): void {
    this.waiting.push(group)
    if (this.running) return
    this.running = true
    this.done = this.run()
  }

  get isIdle(): boolean {
    return !this.running
  }

  /** Resolves when every group handed over so far is synced (or failed). */
  async idle(): Promise<void> {
    while (this.running) await this.done
  }

  private async run(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const groups = this.waiting
        this.waiting = []
        try {
          await this.hooks.sync(groups)
        } catch (error) {
          const lost = [...groups, ...this.waiting]
          this.waiting = []
          this.hooks.failed(error, lost)
          return
        }
        this.hooks.synced(groups)
      }
    } finally {
      this.running = false
    }
  }
}
