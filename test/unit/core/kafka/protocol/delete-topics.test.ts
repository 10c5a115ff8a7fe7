import { describe, expect, it } from 'vitest'
import {
  decodeDeleteTopicsRequest, decodeDeleteTopicsResponse, deleteTopicsVersions, encodeDeleteTopicsRequest, encodeDeleteTopicsResponse,
  type DeleteTopicsRequest, type DeleteTopicsResponse,
} from '../../../../../core/kafka/protocol/apis/delete-topics.ts'
import { eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody } from '../../../../support/kafkajs-protocol.ts'

const flexible = (v: number) => v >= deleteTopicsVersions.flexibleFrom
const request: DeleteTopicsRequest = { topicNames: ['orders', 'payments.eu', 'é-topic'], timeoutMs: 15_000 }
const response: DeleteTopicsResponse = { throttleTimeMs: 7, responses: [{ name: 'payments.eu', errorCode: 0 }, { name: 'gone', errorCode: 3 }] }

describe('DeleteTopics codec', () => {
  it.each(eachVersion(deleteTopicsVersions))('round-trips the request at v%i', (v) => {
    expect(roundTrip(encodeDeleteTopicsRequest, decodeDeleteTopicsRequest, v, flexible(v), request)).toEqual(request)
  })

  it.each(eachVersion(deleteTopicsVersions))('round-trips the response at v%i', (v) => {
    expect(roundTrip(encodeDeleteTopicsResponse, decodeDeleteTopicsResponse, v, flexible(v), response))
      .toEqual({ ...response, throttleTimeMs: v >= 1 ? response.throttleTimeMs : 0 })
  })

  it('writes v4 in compact forms with tagged fields', () => {
    const bytes = encodeAt(encodeDeleteTopicsRequest, 4, flexible(4), { topicNames: ['ab'], timeoutMs: 1 })
    expect(bytes.toString('hex')).toBe('02' + '036162' + '00000001' + '00')
  })

  it.each([0, 1])('encodes the v%i request byte for byte as kafkajs does', async (v) => {
    const theirs = await kafkajsRequestBody('deleteTopics', v, { topics: request.topicNames, timeout: request.timeoutMs })
    expect(encodeAt(encodeDeleteTopicsRequest, v, flexible(v), request).toString('hex')).toBe(theirs.toString('hex'))
  })

  it.each([0, 1])('encodes a v%i response kafkajs reads', async (v) => {
    const decoded = await kafkajsDecodeResponse('deleteTopics', v, encodeAt(encodeDeleteTopicsResponse, v, flexible(v), response))
    expect(decoded.topicErrors).toEqual([{ topic: 'gone', errorCode: 3 }, { topic: 'payments.eu', errorCode: 0 }])
    if (v === 1) expect(decoded.clientSideThrottleTime).toBe(7)
  })
})
