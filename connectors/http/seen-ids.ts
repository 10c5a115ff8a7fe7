/**
 * The ids a poller has emitted, bounded: least recently seen ids are forgotten first. An id found
 * again moves to the back, so items every response repeats are never forgotten while they repeat.
 */
export class SeenIds {
  private readonly capacity: number
  private readonly ids = new Map<string, true>()

  constructor(capacity: number) {
    this.capacity = capacity
  }

  get size(): number {
    return this.ids.size
  }

  /** true if the id was seen before; either way it is now the most recently seen. */
  check(id: unknown): boolean {
    const key = JSON.stringify(id)
    const known = this.ids.delete(key)
    this.ids.set(key, true)
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.keys().next()
      if (oldest.done !== true) this.ids.delete(oldest.value)
    }
    return known
  }
}
