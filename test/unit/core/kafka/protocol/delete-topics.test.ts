import { describe, expect, it } from 'vitest'
import {
  decodeDeleteTopicsRequest,
  decodeDeleteTopicsResponse,
  deleteTopicsVersions,
  encodeDeleteTopicsRequest,
  encodeDeleteTopicsResponse,
  type DeleteTopicsRequest,
  type DeleteTopicsResponse,
} from '../../../../../core/kafka/protocol/apis/delete-topics.ts'
import { ZERO_UUID } from '../../../../../core/kafka/protocol/uuid.ts'
import { eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody } from '../../../../support/kafkajs-protocol.ts'

const flexible = (v: number) => v >= deleteTopicsVersions.flexibleFrom
const ORDERS_ID = Buffer.from('22d957a3b22a4b559a3699b7f61876a2', 'hex')
const request: DeleteTopicsRequest = {
  topicNames: ['orders', 'payments.eu', 'é-topic'],
  topics: [
    { name: 'payments.eu', topicId: ZERO_UUID },
    { name: null, topicId: ORDERS_ID },
  ],
  timeoutMs: 15_000,
}
const response: DeleteTopicsResponse = {
  throttleTimeMs: 7,
  responses: [
    { name: 'payments.eu', topicId: ORDERS_ID, errorCode: 0, errorMessage: null },
    { name: 'gone', topicId: ZERO_UUID, errorCode: 3, errorMessage: 'This server does not host this topic-partition.' },
  ],
}
/** What a version carries: topic names up to v5, topics by name or id from v6; messages from v5, ids from v6. */
const requestAt = (v: number): DeleteTopicsRequest => ({
  ...request,
  topicNames: v >= 6 ? [] : request.topicNames,
  topics: v >= 6 ? request.topics : [],
})
const responseAt = (v: number): DeleteTopicsResponse => ({
  throttleTimeMs: v >= 1 ? response.throttleTimeMs : 0,
  responses: response.responses.map((r) => ({
    ...r,
    topicId: v >= 6 ? r.topicId : ZERO_UUID,
    errorMessage: v >= 5 ? r.errorMessage : null,
  })),
})

describe('DeleteTopics codec', () => {
  it.each(eachVersion(deleteTopicsVersions))('round-trips the request at v%i', (v) => {
    expect(roundTrip(encodeDeleteTopicsRequest, decodeDeleteTopicsRequest, v, flexible(v), request)).toEqual(requestAt(v))
  })

  it.each(eachVersion(deleteTopicsVersions))('round-trips the response at v%i', (v) => {
    expect(roundTrip(encodeDeleteTopicsResponse, decodeDeleteTopicsResponse, v, flexible(v), response)).toEqual(responseAt(v))
  })

  it('writes v4 in compact forms with tagged fields', () => {
    const bytes = encodeAt(encodeDeleteTopicsRequest, 4, flexible(4), { topicNames: ['ab'], topics: [], timeoutMs: 1 })
    expect(bytes.toString('hex')).toBe('02' + '036162' + '00000001' + '00')
  })

  it('writes v6 topics as a nullable name and an id, and answers with both and the message', () => {
    const bytes = encodeAt(encodeDeleteTopicsRequest, 6, true, {
      topicNames: [],
      topics: [{ name: null, topicId: ORDERS_ID }],
      timeoutMs: 1,
    })
    expect(bytes.toString('hex')).toBe(['02', '00', ORDERS_ID.toString('hex'), '00', '00000001', '00'].join(''))
    const answer = encodeAt(encodeDeleteTopicsResponse, 6, true, {
      throttleTimeMs: 0,
      responses: [{ name: null, topicId: ORDERS_ID, errorCode: 100, errorMessage: 'x' }],
    })
    expect(answer.toString('hex')).toBe(['00000000', '02', '00', ORDERS_ID.toString('hex'), '0064', '0278', '00', '00'].join(''))
  })

  it.each([0, 1])('encodes the v%i request byte for byte as kafkajs does', async (v) => {
    const theirs = await kafkajsRequestBody('deleteTopics', v, { topics: request.topicNames, timeout: request.timeoutMs })
    expect(encodeAt(encodeDeleteTopicsRequest, v, flexible(v), request).toString('hex')).toBe(theirs.toString('hex'))
  })

  it.each([0, 1])('encodes a v%i response kafkajs reads', async (v) => {
    const decoded = await kafkajsDecodeResponse('deleteTopics', v, encodeAt(encodeDeleteTopicsResponse, v, flexible(v), response))
    expect(decoded.topicErrors).toEqual([
      { topic: 'gone', errorCode: 3 },
      { topic: 'payments.eu', errorCode: 0 },
    ])
    if (v === 1) expect(decoded.clientSideThrottleTime).toBe(7)
  })
})
