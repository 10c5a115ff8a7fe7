import { initProducerIdV4, initProducerIdV5 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeInitProducerIdRequest,
  decodeInitProducerIdResponse,
  encodeInitProducerIdRequest,
  encodeInitProducerIdResponse,
  initProducerIdVersions,
  type InitProducerIdRequest,
  type InitProducerIdResponse,
} from '../../../../../core/kafka/protocol/apis/init-producer-id.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const flexible = (v: number) => v >= initProducerIdVersions.flexibleFrom
const request: InitProducerIdRequest = {
  transactionalId: 'txn-7',
  transactionTimeoutMs: 60_000,
  producerId: 1_717_171_717_171,
  producerEpoch: 4,
  enable2Pc: true,
  keepPreparedTxn: true,
}
const response: InitProducerIdResponse = {
  throttleTimeMs: 2,
  errorCode: 0,
  producerId: 1_717_171_717_171,
  producerEpoch: 5,
  ongoingTxnProducerId: 1_717_171_717_170,
  ongoingTxnProducerEpoch: 9,
}
/** What a version carries; the rest decodes as Kafka's defaults. */
const requestAt = (v: number): InitProducerIdRequest => ({
  ...request,
  producerId: v >= 3 ? request.producerId : -1,
  producerEpoch: v >= 3 ? request.producerEpoch : -1,
  enable2Pc: v >= 6 && request.enable2Pc,
  keepPreparedTxn: v >= 6 && request.keepPreparedTxn,
})
const responseAt = (v: number): InitProducerIdResponse =>
  v >= 6 ? response : { ...response, ongoingTxnProducerId: -1, ongoingTxnProducerEpoch: -1 }

describe('InitProducerId codec', () => {
  it.each(eachVersion(initProducerIdVersions))('round-trips the request at v%i', (v) => {
    expect(roundTrip(encodeInitProducerIdRequest, decodeInitProducerIdRequest, v, flexible(v), request)).toEqual(requestAt(v))
    expect(
      roundTrip(encodeInitProducerIdRequest, decodeInitProducerIdRequest, v, flexible(v), { ...request, transactionalId: null }),
    ).toEqual({ ...requestAt(v), transactionalId: null })
  })

  it.each(eachVersion(initProducerIdVersions))('round-trips the response at v%i', (v) => {
    expect(roundTrip(encodeInitProducerIdResponse, decodeInitProducerIdResponse, v, flexible(v), response)).toEqual(responseAt(v))
  })

  it('writes v2 with a compact null transactional id and tagged fields', () => {
    const bytes = encodeAt(encodeInitProducerIdRequest, 2, flexible(2), { ...request, transactionalId: null, transactionTimeoutMs: 1 })
    expect(bytes.toString('hex')).toBe('00' + '00000001' + '00')
  })

  it('writes v6 with the two-phase commit flags after the epoch, and answers with the ongoing transaction after its own', () => {
    expect(encodeAt(encodeInitProducerIdRequest, 6, true, { ...request, enable2Pc: true, keepPreparedTxn: false })).toEqual(
      Buffer.concat([
        bytesOf.compact('txn-7'),
        bytesOf.int32(60_000),
        bytesOf.int64(request.producerId),
        bytesOf.int16(4),
        bytesOf.int8(1),
        bytesOf.int8(0),
        bytesOf.noTags(),
      ]),
    )
    expect(encodeAt(encodeInitProducerIdResponse, 6, true, response)).toEqual(
      Buffer.concat([
        bytesOf.int32(2),
        bytesOf.int16(0),
        bytesOf.int64(response.producerId),
        bytesOf.int16(5),
        bytesOf.int64(response.ongoingTxnProducerId),
        bytesOf.int16(9),
        bytesOf.noTags(),
      ]),
    )
  })

  it.each([0, 1])('encodes the v%i request byte for byte as kafkajs does', async (v) => {
    for (const transactionalId of [request.transactionalId, null]) {
      const theirs = await kafkajsRequestBody('initProducerId', v, { transactionalId, transactionTimeout: request.transactionTimeoutMs })
      expect(encodeAt(encodeInitProducerIdRequest, v, flexible(v), { ...request, transactionalId }).toString('hex')).toBe(
        theirs.toString('hex'),
      )
    }
  })

  it.each([0, 1])('encodes a v%i response kafkajs reads', async (v) => {
    const decoded = await kafkajsDecodeResponse('initProducerId', v, encodeAt(encodeInitProducerIdResponse, v, flexible(v), response))
    expect(decoded).toMatchObject({ errorCode: 0, producerId: '1717171717171', producerEpoch: 5 })
  })

  it.each([
    [4, initProducerIdV4],
    [5, initProducerIdV5],
  ] as const)('matches @platformatic/kafka at v%i: its request bytes are ours, and it reads our response', (v, api) => {
    const platformatic = platformaticRequestBody(
      api,
      request.transactionalId!,
      request.transactionTimeoutMs,
      BigInt(request.producerId),
      request.producerEpoch,
    )
    expect(decodeAt(decodeInitProducerIdRequest, v, true, platformatic)).toEqual(requestAt(v))
    expect(encodeAt(encodeInitProducerIdRequest, v, true, request)).toEqual(platformatic)
    const parsed = platformaticParseResponse(api, 22, v, encodeAt(encodeInitProducerIdResponse, v, true, response)) as {
      producerId: bigint
      producerEpoch: number
    }
    expect([Number(parsed.producerId), parsed.producerEpoch]).toEqual([response.producerId, 5])
  })
})
