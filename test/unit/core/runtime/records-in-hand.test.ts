import { describe, expect, it } from 'vitest'
import type { StoredRecord } from '../../../../core/log/log.ts'
import { RecordsInHand } from '../../../../core/runtime/records-in-hand.ts'

const stored = (topic: string, partition: number, offset: number): StoredRecord => ({
  topic,
  partition,
  offset,
  key: null,
  value: Buffer.from(`${topic}/${partition}/${offset}`),
  headers: [],
  timestamp: 0,
})

describe('records in hand', () => {
  it('finds a record of any batch in hand by topic, partition and offset, until its batch is removed', () => {
    const inHand = new RecordsInHand()
    const first = [stored('a', 0, 0), stored('a', 1, 0), stored('b', 0, 0)]
    const second = [stored('a', 0, 1)]
    inHand.add(first)
    inHand.add(second)
    expect(inHand.find('a', 1, 0)?.value?.toString()).toBe('a/1/0')
    expect(inHand.find('b', 0, 0)?.value?.toString()).toBe('b/0/0')
    expect(inHand.find('a', 0, 1)?.value?.toString()).toBe('a/0/1')
    expect(inHand.find('b', 1, 0)).toBeUndefined()
    inHand.remove(first)
    expect(inHand.find('a', 1, 0)).toBeUndefined()
    expect(inHand.find('a', 0, 1)?.value?.toString()).toBe('a/0/1')
  })
})
