import { deleteRecordsV2 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeDeleteRecordsRequest,
  decodeDeleteRecordsResponse,
  deleteRecordsVersions,
  encodeDeleteRecordsRequest,
  encodeDeleteRecordsResponse,
  type DeleteRecordsResponse,
} from '../../../../../core/kafka/protocol/apis/delete-records.ts'
import { decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsRequestBody } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request = {
  topics: [
    {
      name: 'orders',
      partitions: [
        { partitionIndex: 0, offset: 42 },
        { partitionIndex: 1, offset: -1 },
      ],
    },
  ],
  timeoutMs: 30_000,
}
const response: DeleteRecordsResponse = {
  throttleTimeMs: 0,
  topics: [
    {
      name: 'orders',
      partitions: [
        { partitionIndex: 0, lowWatermark: 42, errorCode: 0 },
        { partitionIndex: 1, lowWatermark: -1, errorCode: 1 },
      ],
    },
  ],
}

describe('DeleteRecords codec', () => {
  it.each(eachVersion(deleteRecordsVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeDeleteRecordsRequest, decodeDeleteRecordsRequest, v, flexible, request)).toEqual(request)
    expect(roundTrip(encodeDeleteRecordsResponse, decodeDeleteRecordsResponse, v, flexible, response)).toEqual(response)
  })

  // kafkajs's response module for this API is a factory of the request; its admin client reads our answer in the listener's tests.
  it.each([0, 1])("reads kafkajs's v%i request byte for byte", async (v) => {
    const theirs = await kafkajsRequestBody('deleteRecords', v, {
      topics: [
        {
          topic: 'orders',
          partitions: [
            { partition: 0, offset: '42' },
            { partition: 1, offset: '-1' },
          ],
        },
      ],
      timeout: 30_000,
    })
    expect(decodeAt(decodeDeleteRecordsRequest, v, false, theirs)).toEqual(request)
    expect(encodeAt(encodeDeleteRecordsRequest, v, false, request)).toEqual(theirs)
  })

  it('matches @platformatic/kafka at v2: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(
      deleteRecordsV2,
      request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, offset: BigInt(p.offset) })),
      })),
      request.timeoutMs,
    )
    expect(decodeAt(decodeDeleteRecordsRequest, 2, true, platformatic)).toEqual(request)
    expect(encodeAt(encodeDeleteRecordsRequest, 2, true, request)).toEqual(platformatic)
    const ok = { throttleTimeMs: 0, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, lowWatermark: 42, errorCode: 0 }] }] }
    const parsed = platformaticParseResponse(deleteRecordsV2, 21, 2, encodeAt(encodeDeleteRecordsResponse, 2, true, ok)) as {
      topics: Array<{ partitions: Array<{ lowWatermark: bigint }> }>
    }
    expect(parsed.topics[0]?.partitions.map((p) => Number(p.lowWatermark))).toEqual([42])
  })
})
