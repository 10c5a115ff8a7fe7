import { describe, expect, it } from 'vitest'
import { StickyPartitioner, murmur2, partitionForKey, toPositive } from '../../../../core/log/partitioner.ts'

describe("Kafka's default partitioner", () => {
  // The vectors of Kafka's own UtilsTest.testMurmur2
  // (clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java in apache/kafka).
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('murmur2(%s) is %d, as in Kafka', (input, expected) => {
    expect(murmur2(Buffer.from(input))).toBe(expected)
  })

  it('maps a key to toPositive(murmur2(key)) % partitions', () => {
    expect(toPositive(-973932308)).toBe(-973932308 & 0x7fffffff)
    expect(partitionForKey(Buffer.from('21'), 10)).toBe((-973932308 & 0x7fffffff) % 10)
    expect(partitionForKey(Buffer.from('abc'), 7)).toBe(479470107 % 7)
    expect(partitionForKey(Buffer.alloc(0), 3)).toBe(toPositive(murmur2(Buffer.alloc(0))) % 3)
  })

  it('keeps keyless records on one partition until rotated, then moves on', () => {
    const sticky = new StickyPartitioner(4)
    const first = sticky.current(4)
    expect(sticky.current(4)).toBe(first)
    const seen = new Set<number>()
    for (let i = 0; i < 8; i++) {
      seen.add(sticky.current(4))
      sticky.rotate()
    }
    expect(seen).toEqual(new Set([0, 1, 2, 3]))
  })
})
