import { offsetDeleteV0 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeOffsetDeleteRequest,
  decodeOffsetDeleteResponse,
  encodeOffsetDeleteRequest,
  encodeOffsetDeleteResponse,
  offsetDeleteVersions,
  type OffsetDeleteResponse,
} from '../../../../../core/kafka/protocol/apis/offset-delete.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request = {
  groupId: 'orders-app',
  topics: [
    { name: 'orders', partitions: [0, 2] },
    { name: 'audit', partitions: [1] },
  ],
}
const response: OffsetDeleteResponse = {
  errorCode: 0,
  throttleTimeMs: 0,
  topics: [
    {
      name: 'orders',
      partitions: [
        { partitionIndex: 0, errorCode: 0 },
        { partitionIndex: 2, errorCode: 86 },
      ],
    },
    { name: 'audit', partitions: [{ partitionIndex: 1, errorCode: 29 }] },
  ],
}

describe('OffsetDelete codec', () => {
  it.each(eachVersion(offsetDeleteVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeOffsetDeleteRequest, decodeOffsetDeleteRequest, v, flexible, request)).toEqual(request)
    expect(roundTrip(encodeOffsetDeleteResponse, decodeOffsetDeleteResponse, v, flexible, response)).toEqual(response)
  })

  it('writes v0 as Kafka lays it out: the group error and throttle time before the topics', () => {
    expect(encodeAt(encodeOffsetDeleteResponse, 0, false, { errorCode: 69, throttleTimeMs: 0, topics: [] })).toEqual(
      Buffer.concat([bytesOf.int16(69), bytesOf.int32(0), bytesOf.int32(0)]),
    )
  })

  // @platformatic/kafka 1.22 reads this v0 (non-flexible) response with compact strings and arrays,
  // as no broker writes it, so only its request is compared.
  it("matches @platformatic/kafka's request bytes at v0", () => {
    const platformatic = platformaticRequestBody(
      offsetDeleteV0,
      request.groupId,
      request.topics.map((topic) => ({ name: topic.name, partitions: topic.partitions.map((partitionIndex) => ({ partitionIndex })) })),
    )
    expect(decodeAt(decodeOffsetDeleteRequest, 0, false, platformatic)).toEqual(request)
    expect(encodeAt(encodeOffsetDeleteRequest, 0, false, request)).toEqual(platformatic)
  })
})
