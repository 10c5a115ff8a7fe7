import { describe, expect, it } from 'vitest'
import {
  createPartitionsVersions,
  decodeCreatePartitionsRequest,
  decodeCreatePartitionsResponse,
  encodeCreatePartitionsRequest,
  encodeCreatePartitionsResponse,
  type CreatePartitionsRequest,
  type CreatePartitionsResponse,
} from '../../../../../core/kafka/protocol/apis/create-partitions.ts'
import { eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody } from '../../../../support/kafkajs-protocol.ts'

const flexible = (v: number) => v >= createPartitionsVersions.flexibleFrom
const request: CreatePartitionsRequest = {
  topics: [
    { name: 'orders', count: 8, assignments: null },
    { name: 'placed', count: 3, assignments: [[0], [0, 1]] },
  ],
  timeoutMs: 20_000,
  validateOnly: true,
}
const response: CreatePartitionsResponse = {
  throttleTimeMs: 3,
  results: [
    { name: 'orders', errorCode: 0, errorMessage: null },
    { name: 'placed', errorCode: 39, errorMessage: 'replicas [0, 1] cannot be placed' },
  ],
}

describe('CreatePartitions codec', () => {
  it.each(eachVersion(createPartitionsVersions))('round-trips the request at v%i', (v) => {
    expect(roundTrip(encodeCreatePartitionsRequest, decodeCreatePartitionsRequest, v, flexible(v), request)).toEqual(request)
  })

  it.each(eachVersion(createPartitionsVersions))('round-trips the response at v%i', (v) => {
    expect(roundTrip(encodeCreatePartitionsResponse, decodeCreatePartitionsResponse, v, flexible(v), response)).toEqual(response)
  })

  it('writes v2 with compact nullable arrays (0 is null) and tagged fields', () => {
    const bytes = encodeAt(encodeCreatePartitionsRequest, 2, flexible(2), {
      topics: [{ name: 'a', count: 2, assignments: null }],
      timeoutMs: 1,
      validateOnly: false,
    })
    expect(bytes.toString('hex')).toBe('02' + '0261' + '00000002' + '00' + '00' + '00000001' + '00' + '00')
  })

  // kafkajs writes "no assignments" as a null array, and each assignment as a nullable array too.
  it.each([0, 1])('encodes the v%i request byte for byte as kafkajs does', async (v) => {
    const theirs = await kafkajsRequestBody('createPartitions', v, {
      topicPartitions: request.topics.map((t) => ({ topic: t.name, count: t.count, assignments: t.assignments ?? [] })),
      timeout: request.timeoutMs,
      validateOnly: request.validateOnly,
    })
    expect(encodeAt(encodeCreatePartitionsRequest, v, flexible(v), request).toString('hex')).toBe(theirs.toString('hex'))
  })

  it.each([0, 1])('encodes a v%i response kafkajs reads', async (v) => {
    const decoded = await kafkajsDecodeResponse('createPartitions', v, encodeAt(encodeCreatePartitionsResponse, v, flexible(v), response))
    expect(decoded.topicErrors).toEqual(
      response.results.map((r) => ({ topic: r.name, errorCode: r.errorCode, errorMessage: r.errorMessage })),
    )
  })
})
