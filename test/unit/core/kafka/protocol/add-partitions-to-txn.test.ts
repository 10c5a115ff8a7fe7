import { addPartitionsToTxnV5 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  addPartitionsToTxnVersions,
  decodeAddPartitionsToTxnRequest,
  decodeAddPartitionsToTxnResponse,
  encodeAddPartitionsToTxnRequest,
  encodeAddPartitionsToTxnResponse,
  type AddPartitionsToTxnRequest,
  type AddPartitionsToTxnResponse,
  type AddPartitionsToTxnTransaction,
} from '../../../../../core/kafka/protocol/apis/add-partitions-to-txn.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody, kafkajsVersions } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const orders: AddPartitionsToTxnTransaction = {
  transactionalId: 'tx-orders',
  producerId: 2 ** 40 + 3,
  producerEpoch: 6,
  verifyOnly: false,
  topics: [
    { name: 'orders', partitions: [0, 2, 7] },
    { name: 'audit', partitions: [1] },
  ],
}
const refunds: AddPartitionsToTxnTransaction = {
  transactionalId: 'tx-refunds',
  producerId: 12,
  producerEpoch: 0,
  verifyOnly: true,
  topics: [{ name: 'refunds', partitions: [3] }],
}
const ordersResult = {
  transactionalId: 'tx-orders',
  topicResults: [
    {
      name: 'orders',
      partitions: [
        { partitionIndex: 0, errorCode: 0 },
        { partitionIndex: 2, errorCode: 0 },
        { partitionIndex: 7, errorCode: 3 },
      ],
    },
    { name: 'audit', partitions: [{ partitionIndex: 1, errorCode: 0 }] },
  ],
}
const refundsResult = {
  transactionalId: 'tx-refunds',
  topicResults: [{ name: 'refunds', partitions: [{ partitionIndex: 3, errorCode: 48 }] }],
}
const clientRequest: AddPartitionsToTxnRequest = { transactions: [orders] }
const brokerRequest: AddPartitionsToTxnRequest = { transactions: [orders, refunds] }
const clientResponse: AddPartitionsToTxnResponse = { throttleTimeMs: 4, errorCode: 0, resultsByTransaction: [ordersResult] }
const brokerResponse: AddPartitionsToTxnResponse = { throttleTimeMs: 4, errorCode: 0, resultsByTransaction: [ordersResult, refundsResult] }
const batched = (v: number) => v >= 4

describe('AddPartitionsToTxn codec', () => {
  it.each(eachVersion(addPartitionsToTxnVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    const request = batched(v) ? brokerRequest : clientRequest
    expect(roundTrip(encodeAddPartitionsToTxnRequest, decodeAddPartitionsToTxnRequest, v, flexible, request)).toEqual(request)
    // v0-3 answers carry no transactional id: it decodes as "", and no top-level error.
    const response = batched(v) ? { ...brokerResponse, errorCode: 51 } : clientResponse
    const expected = batched(v) ? response : { ...clientResponse, resultsByTransaction: [{ ...ordersResult, transactionalId: '' }] }
    expect(roundTrip(encodeAddPartitionsToTxnResponse, decodeAddPartitionsToTxnResponse, v, flexible, response)).toEqual(expected)
  })

  it('v0-3 carry one transaction without verify_only: more cannot be written in them', () => {
    expect(
      roundTrip(encodeAddPartitionsToTxnRequest, decodeAddPartitionsToTxnRequest, 3, true, {
        transactions: [{ ...orders, verifyOnly: true }],
      }),
    ).toEqual(clientRequest)
    expect(() => encodeAt(encodeAddPartitionsToTxnRequest, 3, true, brokerRequest)).toThrow(/one transaction, not 2/)
    expect(() => encodeAt(encodeAddPartitionsToTxnResponse, 0, false, { ...clientResponse, resultsByTransaction: [] })).toThrow(
      /one transaction, not 0/,
    )
  })

  it('writes v0 in the classic layout and v3 in the flexible one', () => {
    const one = { transactions: [{ ...orders, producerId: 9, topics: [{ name: 't', partitions: [5] }] }] }
    const int16String = (s: string) => Buffer.concat([bytesOf.int16(s.length), Buffer.from(s)])
    expect(encodeAt(encodeAddPartitionsToTxnRequest, 0, false, one)).toEqual(
      Buffer.concat([
        int16String('tx-orders'),
        bytesOf.int64(9),
        bytesOf.int16(6),
        bytesOf.int32(1),
        int16String('t'),
        bytesOf.int32(1),
        bytesOf.int32(5),
      ]),
    )
    expect(encodeAt(encodeAddPartitionsToTxnRequest, 3, true, one)).toEqual(
      Buffer.concat([
        bytesOf.compact('tx-orders'),
        bytesOf.int64(9),
        bytesOf.int16(6),
        bytesOf.compactCount(1),
        bytesOf.compact('t'),
        bytesOf.compactCount(1),
        bytesOf.int32(5),
        bytesOf.noTags(),
        bytesOf.noTags(),
      ]),
    )
    const answer = {
      throttleTimeMs: 0,
      errorCode: 0,
      resultsByTransaction: [{ transactionalId: '', topicResults: [{ name: 't', partitions: [{ partitionIndex: 5, errorCode: 0 }] }] }],
    }
    expect(encodeAt(encodeAddPartitionsToTxnResponse, 3, true, answer)).toEqual(
      Buffer.concat([
        bytesOf.int32(0),
        bytesOf.compactCount(1),
        bytesOf.compact('t'),
        bytesOf.compactCount(1),
        bytesOf.int32(5),
        bytesOf.int16(0),
        bytesOf.noTags(),
        bytesOf.noTags(),
        bytesOf.noTags(),
      ]),
    )
  })

  it('writes v4 in the batched layout: verify_only after the epoch; a top-level error, then results by transaction', () => {
    const one = { transactions: [{ ...refunds, producerId: 9 }] }
    expect(encodeAt(encodeAddPartitionsToTxnRequest, 4, true, one)).toEqual(
      Buffer.concat([
        bytesOf.compactCount(1),
        bytesOf.compact('tx-refunds'),
        bytesOf.int64(9),
        bytesOf.int16(0),
        bytesOf.int8(1),
        bytesOf.compactCount(1),
        bytesOf.compact('refunds'),
        bytesOf.compactCount(1),
        bytesOf.int32(3),
        bytesOf.noTags(),
        bytesOf.noTags(),
        bytesOf.noTags(),
      ]),
    )
    expect(
      encodeAt(encodeAddPartitionsToTxnResponse, 4, true, { throttleTimeMs: 1, errorCode: 0, resultsByTransaction: [refundsResult] }),
    ).toEqual(
      Buffer.concat([
        bytesOf.int32(1),
        bytesOf.int16(0),
        bytesOf.compactCount(1),
        bytesOf.compact('tx-refunds'),
        bytesOf.compactCount(1),
        bytesOf.compact('refunds'),
        bytesOf.compactCount(1),
        bytesOf.int32(3),
        bytesOf.int16(48),
        bytesOf.noTags(),
        bytesOf.noTags(),
        bytesOf.noTags(),
        bytesOf.noTags(),
      ]),
    )
  })

  it.each(kafkajsVersions('addPartitionsToTxn'))(
    'matches kafkajs at v%i: its request bytes are ours, and it reads our response',
    async (v) => {
      const kafkajs = await kafkajsRequestBody('addPartitionsToTxn', v, {
        transactionalId: orders.transactionalId,
        producerId: String(orders.producerId),
        producerEpoch: orders.producerEpoch,
        topics: orders.topics.map((t) => ({ topic: t.name, partitions: t.partitions })),
      })
      expect(decodeAt(decodeAddPartitionsToTxnRequest, v, false, kafkajs)).toEqual(clientRequest)
      expect(encodeAt(encodeAddPartitionsToTxnRequest, v, false, clientRequest)).toEqual(kafkajs)
      const decoded = await kafkajsDecodeResponse(
        'addPartitionsToTxn',
        v,
        encodeAt(encodeAddPartitionsToTxnResponse, v, false, clientResponse),
      )
      // kafkajs reports v1+'s throttle time as clientSideThrottleTime.
      expect(decoded).toMatchObject({
        errors: ordersResult.topicResults.map((t) => ({
          topic: t.name,
          partitionErrors: t.partitions.map((p) => ({ partition: p.partitionIndex, errorCode: p.errorCode })),
        })),
      })
    },
  )

  it('matches @platformatic/kafka at v5: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(
      addPartitionsToTxnV5,
      brokerRequest.transactions.map((t) => ({
        ...t,
        producerId: BigInt(t.producerId),
        topics: t.topics.map((topic) => ({ ...topic, partitions: [...topic.partitions] })),
      })),
    )
    expect(decodeAt(decodeAddPartitionsToTxnRequest, 5, true, platformatic)).toEqual(brokerRequest)
    expect(encodeAt(encodeAddPartitionsToTxnRequest, 5, true, brokerRequest)).toEqual(platformatic)
    const clean = {
      ...brokerResponse,
      resultsByTransaction: brokerResponse.resultsByTransaction.map((r) => ({
        ...r,
        topicResults: r.topicResults.map((t) => ({ ...t, partitions: t.partitions.map((p) => ({ ...p, errorCode: 0 })) })),
      })),
    }
    expect(platformaticParseResponse(addPartitionsToTxnV5, 24, 5, encodeAt(encodeAddPartitionsToTxnResponse, 5, true, clean))).toEqual({
      throttleTimeMs: 4,
      errorCode: 0,
      resultsByTransaction: clean.resultsByTransaction.map((r) => ({
        transactionalId: r.transactionalId,
        topicResults: r.topicResults.map((t) => ({
          name: t.name,
          resultsByPartition: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, partitionErrorCode: 0 })),
        })),
      })),
    })
  })
})
