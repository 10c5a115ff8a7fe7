/**
 * Buffers the fetch handler reads segments into, lent for one response and taken back once the
 * connection has handed that response to the socket. Fresh buffers for every read made V8 count each
 * fetched byte as new memory, and the listener ran a full collection every few tens of MB it served;
 * lent buffers come back and cost the collector nothing. Reads come in pieces of at most
 * READ_PIECE_BYTES, so one size serves them all; a read larger than that (one batch larger than a
 * piece) gets a fresh buffer. At most MAX_FREE_PIECES wait in the pool: memory a burst of fetches
 * needed beyond that goes back to the collector.
 */
import { READ_PIECE_BYTES } from '../../log/segment.ts'

const MAX_FREE_PIECES = 16

export class ReadBuffers {
  private readonly free: Buffer[] = []

  /** A lease for one response: `allocate` for its reads, `release` once the response has been sent. */
  lease(): ReadLease {
    return new ReadLease(this)
  }

  /** @internal */
  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(READ_PIECE_BYTES)
  }

  /** @internal */
  give(pieces: readonly Buffer[]): void {
    for (const piece of pieces) if (this.free.length < MAX_FREE_PIECES) this.free.push(piece)
  }
}

export class ReadLease {
  private readonly pool: ReadBuffers
  private lent: Buffer[] = []

  constructor(pool: ReadBuffers) {
    this.pool = pool
  }

  readonly allocate = (size: number): Buffer => {
    if (size > READ_PIECE_BYTES) return Buffer.allocUnsafe(size)
    const piece = this.pool.take()
    this.lent.push(piece)
    return piece.subarray(0, size)
  }

  /** Nothing may read what this lease lent after this. */
  release(): void {
    const lent = this.lent
    this.lent = []
    this.pool.give(lent)
  }
}
