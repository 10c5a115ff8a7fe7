import { describe, expect, it } from 'vitest'
import { fromConfigEntries, toConfigEntries } from '../../../../../core/kafka/kafka-log/kafka-topic-config.ts'

describe('topic config as Kafka config entries', () => {
  it('sends only the keys a caller set, with durability fsync as flush.messages=1', () => {
    expect(toConfigEntries('t', { partitions: 3, 'retention.ms': '60000', durability: 'fsync' })).toEqual({
      partitions: 3,
      entries: [
        { name: 'retention.ms', value: '60000' },
        { name: 'flush.messages', value: '1' },
      ],
    })
    expect(toConfigEntries('t', { durability: 'async' }).entries).toEqual([])
    expect(() => toConfigEntries('t', { partitions: 0 })).toThrow(expect.objectContaining({ code: 'TRB_CONFIG_INVALID' }))
  })

  it('sends compression.type as Kafka names it, none as uncompressed', () => {
    expect(toConfigEntries('t', { 'compression.type': 'zstd' }).entries).toEqual([{ name: 'compression.type', value: 'zstd' }])
    expect(toConfigEntries('t', { 'compression.type': 'none' }).entries).toEqual([{ name: 'compression.type', value: 'uncompressed' }])
    expect(fromConfigEntries(1, [{ name: 'compression.type', value: 'lz4' }])['compression.type']).toBe('lz4')
  })

  it("reads a cluster's entries, clamping or skipping values our schema cannot hold", () => {
    const config = fromConfigEntries(4, [
      { name: 'flush.messages', value: '9223372036854775807' },
      { name: 'segment.bytes', value: '14' },
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'unclean.leader.election.enable', value: 'false' },
    ])
    expect(config).toMatchObject({
      partitions: 4,
      'flush.messages': Number.MAX_SAFE_INTEGER,
      'segment.bytes': 256 * 1024 * 1024,
      'cleanup.policy': 'compact',
      durability: 'async',
    })
    expect(fromConfigEntries(1, [{ name: 'flush.messages', value: '1' }]).durability).toBe('fsync')
    expect(
      fromConfigEntries(1, [
        { name: 'flush.messages', value: '1' },
        { name: 'durability', value: 'async' },
      ]).durability,
    ).toBe('async')
  })
})
