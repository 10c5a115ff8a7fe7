import { addOffsetsToTxnV4 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  addOffsetsToTxnVersions,
  decodeAddOffsetsToTxnRequest,
  decodeAddOffsetsToTxnResponse,
  encodeAddOffsetsToTxnRequest,
  encodeAddOffsetsToTxnResponse,
  type AddOffsetsToTxnRequest,
  type AddOffsetsToTxnResponse,
} from '../../../../../core/kafka/protocol/apis/add-offsets-to-txn.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody, kafkajsVersions } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request: AddOffsetsToTxnRequest = {
  transactionalId: 'tx-orders',
  producerId: 2 ** 40 + 3,
  producerEpoch: 6,
  groupId: 'orders-enricher',
}
const response: AddOffsetsToTxnResponse = { throttleTimeMs: 5, errorCode: 47 }

describe('AddOffsetsToTxn codec', () => {
  it.each(eachVersion(addOffsetsToTxnVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeAddOffsetsToTxnRequest, decodeAddOffsetsToTxnRequest, v, flexible, request)).toEqual(request)
    expect(roundTrip(encodeAddOffsetsToTxnResponse, decodeAddOffsetsToTxnResponse, v, flexible, response)).toEqual(response)
  })

  it('writes v3 in the flexible layout', () => {
    expect(encodeAt(encodeAddOffsetsToTxnRequest, 3, true, request)).toEqual(
      Buffer.concat([
        bytesOf.compact('tx-orders'),
        bytesOf.int64(request.producerId),
        bytesOf.int16(6),
        bytesOf.compact('orders-enricher'),
        bytesOf.noTags(),
      ]),
    )
    expect(encodeAt(encodeAddOffsetsToTxnResponse, 3, true, response)).toEqual(
      Buffer.concat([bytesOf.int32(5), bytesOf.int16(47), bytesOf.noTags()]),
    )
  })

  it.each(kafkajsVersions('addOffsetsToTxn'))(
    'matches kafkajs at v%i: its request bytes are ours, and it reads our response',
    async (v) => {
      const kafkajs = await kafkajsRequestBody('addOffsetsToTxn', v, { ...request, producerId: String(request.producerId) })
      expect(decodeAt(decodeAddOffsetsToTxnRequest, v, false, kafkajs)).toEqual(request)
      expect(encodeAt(encodeAddOffsetsToTxnRequest, v, false, request)).toEqual(kafkajs)
      expect(await kafkajsDecodeResponse('addOffsetsToTxn', v, encodeAt(encodeAddOffsetsToTxnResponse, v, false, response))).toMatchObject({
        errorCode: 47,
      })
    },
  )

  it('matches @platformatic/kafka at v4: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(
      addOffsetsToTxnV4,
      request.transactionalId,
      BigInt(request.producerId),
      request.producerEpoch,
      request.groupId,
    )
    expect(decodeAt(decodeAddOffsetsToTxnRequest, 4, true, platformatic)).toEqual(request)
    expect(encodeAt(encodeAddOffsetsToTxnRequest, 4, true, request)).toEqual(platformatic)
    expect(
      platformaticParseResponse(addOffsetsToTxnV4, 25, 4, encodeAt(encodeAddOffsetsToTxnResponse, 4, true, { ...response, errorCode: 0 })),
    ).toEqual({ throttleTimeMs: 5, errorCode: 0 })
  })
})
