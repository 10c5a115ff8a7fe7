/**
 * Memory for the batches the log encodes itself (EmbeddedLog.append): cut one after another from
 * slabs of a few MiB, and a slab is used again once every batch cut from it has been written. A
 * fresh buffer per batch cost page faults and garbage collections at every group (a third of the
 * encoding time at 1 KiB records), and a reused slab is still in the CPU cache when the write
 * copies it to the OS. A batch larger than a quarter slab gets a buffer of its own.
 */

const SLAB_BYTES = 4 * 1024 * 1024
const LARGEST_POOLED_BYTES = SLAB_BYTES / 4
/** Idle slabs kept for reuse, across every partition of the log; the rest are left to the GC. */
const IDLE_SLABS = 2

interface Slab {
  readonly memory: Buffer
  /** Bytes cut from the slab so far. */
  used: number
  /** Batches cut from it and not yet released. */
  live: number
}

export class BatchPool {
  private current: Slab | undefined
  private idle: Slab[] = []
  private readonly slabOf = new WeakMap<ArrayBufferLike, Slab>()

  /** A buffer of exactly `size` bytes; hand it to release() once it has been written. */
  readonly allocate = (size: number): Buffer => {
    if (size > LARGEST_POOLED_BYTES) return Buffer.allocUnsafe(size)
    let slab = this.current
    if (slab === undefined || slab.used + size > SLAB_BYTES) {
      if (slab !== undefined && slab.live === 0) this.keepIdle(slab)
      slab = this.idle.pop() ?? this.newSlab()
      slab.used = 0
      this.current = slab
    }
    const buf = slab.memory.subarray(slab.used, slab.used + size)
    // 8-byte steps keep each batch aligned for the copy.
    slab.used += (size + 7) & ~7
    slab.live++
    return buf
  }

  /**
   * The batch was written (or will never be): its bytes may be reused. Only for buffers from
   * allocate(), once each; others are ignored.
   */
  release(buf: Buffer): void {
    const slab = this.slabOf.get(buf.buffer)
    if (slab === undefined) return
    slab.live--
    if (slab.live > 0) return
    if (slab === this.current) slab.used = 0
    else this.keepIdle(slab)
  }

  private keepIdle(slab: Slab): void {
    if (this.idle.length < IDLE_SLABS) this.idle.push(slab)
  }

  private newSlab(): Slab {
    const slab: Slab = { memory: Buffer.allocUnsafeSlow(SLAB_BYTES), used: 0, live: 0 }
    this.slabOf.set(slab.memory.buffer, slab)
    return slab
  }
}
