import { describe, expect, it } from 'vitest'
import {
  decodeListOffsetsRequest,
  decodeListOffsetsResponse,
  encodeListOffsetsRequest,
  encodeListOffsetsResponse,
  listOffsetsVersions,
  type ListOffsetsResponse,
} from '../../../../../core/kafka/protocol/apis/list-offsets.ts'
import { decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody } from '../../../../support/kafkajs-protocol.ts'

const flexible = (v: number) => v >= listOffsetsVersions.flexibleFrom

const response: ListOffsetsResponse = {
  throttleTimeMs: 0,
  topics: [
    {
      name: 'orders',
      partitions: [
        { partitionIndex: 0, errorCode: 0, timestamp: 1700000000000, offset: 42, leaderEpoch: 0 },
        { partitionIndex: 1, errorCode: 3, timestamp: -1, offset: -1, leaderEpoch: -1 },
      ],
    },
  ],
}

describe('ListOffsets codec', () => {
  it.each(eachVersion(listOffsetsVersions))('round-trips request and response at v%i', (v) => {
    const request = {
      replicaId: -1,
      isolationLevel: v >= 2 ? 1 : 0,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, currentLeaderEpoch: v >= 4 ? 3 : -1, timestamp: -2 }] }],
    }
    expect(roundTrip(encodeListOffsetsRequest, decodeListOffsetsRequest, v, flexible(v), request)).toEqual(request)
    const back = roundTrip(encodeListOffsetsResponse, decodeListOffsetsResponse, v, flexible(v), response)
    expect(back.topics[0]!.partitions.map((p) => [p.partitionIndex, p.errorCode, p.offset])).toEqual([
      [0, 0, 42],
      [1, 3, -1],
    ])
    if (v >= 1) expect(back.topics[0]!.partitions[0]!.timestamp).toBe(1700000000000)
  })

  it.each([0, 1, 2, 3])('agrees with kafkajs at v%i', async (v) => {
    const body = await kafkajsRequestBody('listOffsets', v, {
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ topic: 'orders', partitions: [{ partition: 4, timestamp: 1700000000000 }] }],
    })
    const request = decodeAt(decodeListOffsetsRequest, v, false, body)
    expect(request.topics).toEqual([
      { name: 'orders', partitions: [{ partitionIndex: 4, currentLeaderEpoch: -1, timestamp: 1700000000000 }] },
    ])
    const theirs = await kafkajsDecodeResponse<{
      responses: Array<{ topic: string; partitions: Array<{ partition: number; errorCode: number; offset?: string; offsets?: string[] }> }>
    }>('listOffsets', v, encodeAt(encodeListOffsetsResponse, v, false, response))
    const first = theirs.responses[0]!.partitions[0]!
    expect(theirs.responses[0]!.topic).toBe('orders')
    expect(v === 0 ? first.offsets : first.offset).toEqual(v === 0 ? ['42'] : '42')
  })
})
