import { describe, expect, it } from 'vitest'
import { OffsetIndex } from '../../../../core/log/offset-index.ts'
import { TimeIndex } from '../../../../core/log/time-index.ts'

describe('OffsetIndex', () => {
  it('finds the last entry at or before an offset, growing as needed', () => {
    const index = new OffsetIndex(2)
    for (let i = 0; i < 100; i++) index.append(i * 10, i * 4096)
    expect(index.floorPosition(0)).toBe(0)
    expect(index.floorPosition(9)).toBe(0)
    expect(index.floorPosition(10)).toBe(4096)
    expect(index.floorPosition(555)).toBe(55 * 4096)
    expect(index.floorPosition(1_000_000)).toBe(99 * 4096)
  })

  it('round-trips through its file form and rejects one that cannot fit the log', () => {
    const index = new OffsetIndex()
    index.append(0, 0)
    index.append(7, 5000)
    const restored = OffsetIndex.deserialize(index.serialize(), 6000)!
    expect(restored.entries).toBe(2)
    expect(restored.floorPosition(8)).toBe(5000)
    expect(OffsetIndex.deserialize(index.serialize(), 4000)).toBeUndefined()
    expect(OffsetIndex.deserialize(Buffer.alloc(7), 6000)).toBeUndefined()
  })

  it('forgets entries past a truncation point', () => {
    const index = new OffsetIndex()
    index.append(0, 0)
    index.append(5, 100)
    index.append(9, 200)
    index.truncateToPosition(150)
    expect(index.entries).toBe(2)
    expect(index.floorPosition(20)).toBe(100)
  })
})

describe('TimeIndex', () => {
  it('keeps only rising timestamps and starts scans before the first entry reaching a time', () => {
    const index = new TimeIndex()
    index.maybeAppend(100, 0)
    index.maybeAppend(90, 5)
    index.maybeAppend(200, 10)
    index.maybeAppend(300, 20)
    expect(index.entries).toBe(3)
    expect(index.scanStart(50, -1)).toBe(-1)
    expect(index.scanStart(150, -1)).toBe(0)
    expect(index.scanStart(200, -1)).toBe(0)
    expect(index.scanStart(201, -1)).toBe(10)
    const restored = TimeIndex.deserialize(index.serialize(0), 0, 30)!
    expect(restored.scanStart(301, -1)).toBe(20)
    expect(TimeIndex.deserialize(index.serialize(0), 0, 15)).toBeUndefined()
  })
})
