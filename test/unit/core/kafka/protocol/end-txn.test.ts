import { endTxnV4 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeEndTxnRequest,
  decodeEndTxnResponse,
  encodeEndTxnRequest,
  encodeEndTxnResponse,
  endTxnVersions,
  type EndTxnRequest,
  type EndTxnResponse,
} from '../../../../../core/kafka/protocol/apis/end-txn.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody, kafkajsVersions } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request: EndTxnRequest = { transactionalId: 'tx-orders', producerId: 2 ** 40 + 3, producerEpoch: 6, committed: true }
const response: EndTxnResponse = { throttleTimeMs: 1, errorCode: 0, producerId: 2 ** 40 + 3, producerEpoch: 7 }
const responseAt = (v: number): EndTxnResponse => (v >= 5 ? response : { ...response, producerId: -1, producerEpoch: -1 })

describe('EndTxn codec', () => {
  it.each(eachVersion(endTxnVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    for (const committed of [true, false]) {
      expect(roundTrip(encodeEndTxnRequest, decodeEndTxnRequest, v, flexible, { ...request, committed })).toEqual({ ...request, committed })
    }
    expect(roundTrip(encodeEndTxnResponse, decodeEndTxnResponse, v, flexible, response)).toEqual(responseAt(v))
  })

  it('writes v0 in the classic layout and v5 with the bumped producer id and epoch in the answer', () => {
    expect(encodeAt(encodeEndTxnRequest, 0, false, { ...request, transactionalId: 't', committed: false })).toEqual(
      Buffer.concat([bytesOf.int16(1), Buffer.from('t'), bytesOf.int64(request.producerId), bytesOf.int16(6), bytesOf.int8(0)]),
    )
    expect(encodeAt(encodeEndTxnRequest, 5, true, request)).toEqual(
      Buffer.concat([bytesOf.compact('tx-orders'), bytesOf.int64(request.producerId), bytesOf.int16(6), bytesOf.int8(1), bytesOf.noTags()]),
    )
    expect(encodeAt(encodeEndTxnResponse, 5, true, response)).toEqual(
      Buffer.concat([bytesOf.int32(1), bytesOf.int16(0), bytesOf.int64(response.producerId), bytesOf.int16(7), bytesOf.noTags()]),
    )
    expect(encodeAt(encodeEndTxnResponse, 4, true, response)).toEqual(Buffer.concat([bytesOf.int32(1), bytesOf.int16(0), bytesOf.noTags()]))
  })

  it.each(kafkajsVersions('endTxn'))('matches kafkajs at v%i: its request bytes are ours, and it reads our response', async (v) => {
    for (const committed of [true, false]) {
      const kafkajs = await kafkajsRequestBody('endTxn', v, {
        ...request,
        producerId: String(request.producerId),
        transactionResult: committed,
      })
      expect(decodeAt(decodeEndTxnRequest, v, false, kafkajs)).toEqual({ ...request, committed })
      expect(encodeAt(encodeEndTxnRequest, v, false, { ...request, committed })).toEqual(kafkajs)
    }
    expect(
      await kafkajsDecodeResponse('endTxn', v, encodeAt(encodeEndTxnResponse, v, false, { ...response, errorCode: 48 })),
    ).toMatchObject({ errorCode: 48 })
  })

  it('matches @platformatic/kafka at v4: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(
      endTxnV4,
      request.transactionalId,
      BigInt(request.producerId),
      request.producerEpoch,
      request.committed,
    )
    expect(decodeAt(decodeEndTxnRequest, 4, true, platformatic)).toEqual(request)
    expect(encodeAt(encodeEndTxnRequest, 4, true, request)).toEqual(platformatic)
    expect(platformaticParseResponse(endTxnV4, 26, 4, encodeAt(encodeEndTxnResponse, 4, true, response))).toEqual({
      throttleTimeMs: 1,
      errorCode: 0,
    })
  })
})
