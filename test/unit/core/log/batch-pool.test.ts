import { describe, expect, it } from 'vitest'
import { BatchPool } from '../../../../core/log/batch-pool.ts'

const MiB = 1024 * 1024

/** Byte ranges of live buffers in one slab must never overlap. */
function overlaps(a: Buffer, b: Buffer): boolean {
  if (a.buffer !== b.buffer) return false
  return a.byteOffset < b.byteOffset + b.length && b.byteOffset < a.byteOffset + a.length
}

describe('BatchPool', () => {
  it('gives live batches disjoint memory, and reuses a slab once all its batches are released', () => {
    const pool = new BatchPool()
    const live: Buffer[] = []
    for (let i = 0; i < 100; i++) live.push(pool.allocate(100_000 + i))
    for (let i = 0; i < live.length; i++) {
      expect(live[i]!.length).toBe(100_000 + i)
      for (let j = i + 1; j < live.length; j++) expect(overlaps(live[i]!, live[j]!)).toBe(false)
    }
    const slabs = new Set(live.map((b) => b.buffer))
    expect(slabs.size).toBeGreaterThan(1)
    for (const buf of live) pool.release(buf)
    // Every slab is idle again: new batches come from slabs already made.
    const again = Array.from({ length: 30 }, () => pool.allocate(100_000))
    for (const buf of again) expect(slabs.has(buf.buffer)).toBe(true)
  })

  it('keeps a slab out of use while any batch cut from it is unreleased', () => {
    const pool = new BatchPool()
    const first = pool.allocate(MiB)
    const held = pool.allocate(1000)
    pool.release(first)
    const next = Array.from({ length: 12 }, () => pool.allocate(MiB))
    for (const buf of next) expect(overlaps(buf, held)).toBe(false)
  })

  it('gives a large batch a buffer of its own and ignores buffers it did not make', () => {
    const pool = new BatchPool()
    const large = pool.allocate(3 * MiB)
    expect(large.length).toBe(3 * MiB)
    pool.release(large)
    pool.release(Buffer.alloc(10))
    const small = pool.allocate(10)
    expect(small.buffer).not.toBe(large.buffer)
  })
})
