/**
 * A Kafka broker answers a Fetch from one log segment only; fetchPartition follows on at once
 * while the answer stops short of the high watermark and the caller's bytes allow, so a read
 * across a segment roll comes back whole. A broker stub stands in for kafkajs's, answering from a
 * partition split into segments.
 */
import { describe, expect, it } from 'vitest'
import { fetchPartition } from '../../../../../core/kafka/kafka-log/fetch-partition.ts'
import type { KafkajsBroker, KafkajsFetchRequest, KafkajsMessage } from '../../../../../core/kafka/kafka-log/kafkajs-broker.ts'

const message = (offset: number): KafkajsMessage => ({
  offset: String(offset),
  timestamp: '0',
  key: null,
  value: Buffer.from(`v${offset}`),
  headers: {},
  isControlRecord: false,
  batchContext: { firstOffset: String(offset), lastOffsetDelta: 0 },
})

/** A broker whose partition holds offsets 0..end-1, in segments that start at `segmentStarts`. */
function segmentedBroker(segmentStarts: readonly number[], end: number): { broker: KafkajsBroker; fetches: KafkajsFetchRequest[] } {
  const fetches: KafkajsFetchRequest[] = []
  const fetch = async (request: KafkajsFetchRequest) => {
    fetches.push(request)
    const from = Number(request.topics[0]!.partitions[0]!.fetchOffset)
    const to = [...segmentStarts, end].find((start) => start > from) ?? end
    const messages = Array.from({ length: Math.max(0, to - from) }, (_, i) => message(from + i))
    return {
      responses: [
        { topicName: 't', partitions: [{ partition: 0, errorCode: 0, highWatermark: String(end), lastStartOffset: '0', messages }] },
      ],
    }
  }
  return { broker: { fetch } as unknown as KafkajsBroker, fetches }
}

const read = (broker: KafkajsBroker, maxBytes = 1 << 20) =>
  fetchPartition(broker, { topic: 't', partition: 0, offset: 0, maxBytes, maxWaitMs: 500, onAbandon: () => undefined })

describe('fetchPartition', () => {
  it('follows on past segment boundaries up to the high watermark, without waiting again', async () => {
    const { broker, fetches } = segmentedBroker([0, 2, 3], 5)
    const result = await read(broker)
    expect(result.records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4])
    expect(result).toMatchObject({ nextOffset: 5, highWatermark: 5 })
    expect(fetches.map((f) => [f.topics[0]!.partitions[0]!.fetchOffset, f.maxWaitTime])).toEqual([
      ['0', 500],
      ['2', 0],
      ['3', 0],
    ])
  })

  it('stops once the records read use up maxBytes', async () => {
    const { broker, fetches } = segmentedBroker([0, 2, 3], 5)
    const result = await read(broker, 4) // two values of 2 bytes each
    expect(result.records.map((r) => r.offset)).toEqual([0, 1])
    expect(result.nextOffset).toBe(2)
    expect(fetches).toHaveLength(1)
  })
})
