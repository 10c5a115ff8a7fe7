import { describe, expect, it } from 'vitest'
import type { StoredRecord } from '../../../../core/log/log.ts'
import { lastOfEachPartition } from '../../../../core/runtime/sink-offset-commits.ts'

const stored = (topic: string, partition: number, offset: number): StoredRecord => ({
  topic,
  partition,
  offset,
  timestamp: 0,
  key: null,
  value: null,
  headers: [],
})

describe('lastOfEachPartition', () => {
  it('finds the last record of each topic-partition when runs of partitions interleave', () => {
    const batch = [
      stored('a', 0, 10),
      stored('a', 0, 11),
      stored('a', 1, 5),
      stored('a', 0, 12),
      stored('b', 0, 3),
      stored('a', 1, 6),
      stored('b', 0, 4),
    ]
    const last = lastOfEachPartition(batch)
      .map((record) => `${record.topic}/${record.partition}@${record.offset}`)
      .sort()
    expect(last).toEqual(['a/0@12', 'a/1@6', 'b/0@4'])
  })

  it('returns nothing for an empty batch and the one record of a batch of one', () => {
    expect(lastOfEachPartition([])).toEqual([])
    expect(lastOfEachPartition([stored('a', 2, 7)]).map((record) => record.offset)).toEqual([7])
  })
})
