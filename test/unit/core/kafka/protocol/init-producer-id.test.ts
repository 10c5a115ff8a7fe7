import { describe, expect, it } from 'vitest'
import {
  decodeInitProducerIdRequest, decodeInitProducerIdResponse, encodeInitProducerIdRequest, encodeInitProducerIdResponse, initProducerIdVersions,
  type InitProducerIdRequest, type InitProducerIdResponse,
} from '../../../../../core/kafka/protocol/apis/init-producer-id.ts'
import { eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody } from '../../../../support/kafkajs-protocol.ts'

const flexible = (v: number) => v >= initProducerIdVersions.flexibleFrom
const request: InitProducerIdRequest = { transactionalId: 'txn-7', transactionTimeoutMs: 60_000, producerId: 1_717_171_717_171, producerEpoch: 4 }
const response: InitProducerIdResponse = { throttleTimeMs: 2, errorCode: 0, producerId: 1_717_171_717_171, producerEpoch: 5 }

describe('InitProducerId codec', () => {
  it.each(eachVersion(initProducerIdVersions))('round-trips the request at v%i', (v) => {
    const expected = v >= 3 ? request : { ...request, producerId: -1, producerEpoch: -1 }
    expect(roundTrip(encodeInitProducerIdRequest, decodeInitProducerIdRequest, v, flexible(v), request)).toEqual(expected)
    expect(roundTrip(encodeInitProducerIdRequest, decodeInitProducerIdRequest, v, flexible(v), { ...expected, transactionalId: null })).toEqual({ ...expected, transactionalId: null })
  })

  it.each(eachVersion(initProducerIdVersions))('round-trips the response at v%i', (v) => {
    expect(roundTrip(encodeInitProducerIdResponse, decodeInitProducerIdResponse, v, flexible(v), response)).toEqual(response)
  })

  it('writes v2 with a compact null transactional id and tagged fields', () => {
    const bytes = encodeAt(encodeInitProducerIdRequest, 2, flexible(2), { transactionalId: null, transactionTimeoutMs: 1, producerId: -1, producerEpoch: -1 })
    expect(bytes.toString('hex')).toBe('00' + '00000001' + '00')
  })

  it.each([0, 1])('encodes the v%i request byte for byte as kafkajs does', async (v) => {
    for (const transactionalId of [request.transactionalId, null]) {
      const theirs = await kafkajsRequestBody('initProducerId', v, { transactionalId, transactionTimeout: request.transactionTimeoutMs })
      expect(encodeAt(encodeInitProducerIdRequest, v, flexible(v), { ...request, transactionalId }).toString('hex')).toBe(theirs.toString('hex'))
    }
  })

  it.each([0, 1])('encodes a v%i response kafkajs reads', async (v) => {
    const decoded = await kafkajsDecodeResponse('initProducerId', v, encodeAt(encodeInitProducerIdResponse, v, flexible(v), response))
    expect(decoded).toMatchObject({ errorCode: 0, producerId: '1717171717171', producerEpoch: 5 })
  })
})
