import { describe, expect, it } from 'vitest'
import {
  decodeFetchRequest,
  decodeFetchResponse,
  encodeFetchRequest,
  encodeFetchResponse,
  fetchVersions,
  type FetchResponse,
} from '../../../../../core/kafka/protocol/apis/fetch.ts'
import { ZERO_UUID } from '../../../../../core/kafka/protocol/uuid.ts'
import { encodeRecordBatch } from '../../../../../core/log/record-batch.ts'
import { decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody } from '../../../../support/kafkajs-protocol.ts'

const flexible = (v: number) => v >= fetchVersions.flexibleFrom

const first = encodeRecordBatch(
  [
    { key: Buffer.from('a'), value: Buffer.from('one'), timestamp: 1700000000000 },
    { key: null, value: Buffer.from('two'), timestamp: 1700000000001 },
  ],
  10,
)
// Larger than the writer copies inline, so it travels as its own chunk.
const second = encodeRecordBatch([{ key: Buffer.from('b'), value: Buffer.alloc(8000, 0x41), timestamp: 1700000000002 }], 12)

const topicId = Buffer.from('5f0c8a6e2b3d4e1f9a7b6c5d4e3f2a10', 'hex')
/** Up to v12 a topic goes by name, from v13 by id; the other decodes as its default. */
const named = (v: number) => ({ topic: v <= 12 ? 'orders' : '', topicId: v >= 13 ? topicId : ZERO_UUID })

const response: FetchResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  sessionId: 0,
  topics: [
    {
      topic: 'orders',
      topicId,
      partitions: [
        {
          partitionIndex: 0,
          errorCode: 0,
          highWatermark: 13,
          lastStableOffset: 12,
          logStartOffset: 0,
          abortedTransactions: [
            { producerId: 2 ** 40, firstOffset: 10 },
            { producerId: 7, firstOffset: 11 },
          ],
          records: [first, second],
        },
        { partitionIndex: 1, errorCode: 1, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, records: [] },
      ],
    },
  ],
}

describe('Fetch codec', () => {
  it.each(eachVersion(fetchVersions))('round-trips request and response at v%i', (v) => {
    const request = {
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 52428800,
      isolationLevel: 1,
      sessionId: 0,
      sessionEpoch: v >= 7 ? -1 : -1,
      topics: [
        {
          topic: 'orders',
          topicId,
          partitions: [{ partition: 0, currentLeaderEpoch: v >= 9 ? 2 : -1, fetchOffset: 2 ** 35, partitionMaxBytes: 1048576 }],
        },
      ],
      rackId: v >= 11 ? 'rack-1' : '',
    }
    expect(roundTrip(encodeFetchRequest, decodeFetchRequest, v, flexible(v), request)).toEqual({
      ...request,
      topics: request.topics.map((t) => ({ ...t, ...named(v) })),
    })
    const back = roundTrip(encodeFetchResponse, decodeFetchResponse, v, flexible(v), response)
    expect(back.topics[0]).toMatchObject(named(v))
    const [p0, p1] = back.topics[0]!.partitions
    expect(p0!.records[0]).toEqual(Buffer.concat([first, second]))
    expect(p0!.highWatermark).toBe(13)
    expect([p0!.lastStableOffset, p0!.abortedTransactions]).toEqual([
      12,
      [
        { producerId: 2 ** 40, firstOffset: 10 },
        { producerId: 7, firstOffset: 11 },
      ],
    ])
    expect(p1).toMatchObject({ partitionIndex: 1, errorCode: 1, records: [], abortedTransactions: [] })
  })

  it.each([4, 5, 6, 7, 8, 9, 10, 11])('agrees with kafkajs at v%i', async (v) => {
    const body = await kafkajsRequestBody('fetch', v, {
      replicaId: -1,
      maxWaitTime: 250,
      minBytes: 1,
      maxBytes: 1000,
      isolationLevel: 0,
      topics: [{ topic: 'orders', partitions: [{ partition: 3, fetchOffset: '77', maxBytes: 500 }] }],
    })
    const request = decodeAt(decodeFetchRequest, v, false, body)
    expect(request).toMatchObject({
      maxWaitMs: 250,
      minBytes: 1,
      maxBytes: 1000,
      topics: [{ topic: 'orders', partitions: [{ partition: 3, fetchOffset: 77, partitionMaxBytes: 500 }] }],
    })

    const theirs = await kafkajsDecodeResponse<{
      responses: Array<{
        topicName: string
        partitions: Array<{
          partition: number
          errorCode: number
          highWatermark: string
          lastStableOffset: string
          abortedTransactions: unknown[]
          messages: Array<{ offset: string; key: Buffer | null; value: Buffer | null }>
        }>
      }>
    }>('fetch', v, encodeAt(encodeFetchResponse, v, false, response))
    const [p0, p1] = theirs.responses[0]!.partitions
    expect(theirs.responses[0]!.topicName).toBe('orders')
    expect(p0!.highWatermark).toBe('13')
    expect([p0!.lastStableOffset, p0!.abortedTransactions]).toEqual([
      '12',
      [
        { producerId: '1099511627776', firstOffset: '10' },
        { producerId: '7', firstOffset: '11' },
      ],
    ])
    expect(p0!.messages.map((m) => [m.offset, m.key?.toString() ?? null, m.value?.length])).toEqual([
      ['10', 'a', 3],
      ['11', null, 3],
      ['12', 'b', 8000],
    ])
    expect(p1).toMatchObject({ partition: 1, errorCode: 1, messages: [] })
  })
})
