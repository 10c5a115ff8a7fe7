import { txnOffsetCommitV4 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeTxnOffsetCommitRequest,
  decodeTxnOffsetCommitResponse,
  encodeTxnOffsetCommitRequest,
  encodeTxnOffsetCommitResponse,
  txnOffsetCommitVersions,
  type TxnOffsetCommitRequest,
  type TxnOffsetCommitResponse,
} from '../../../../../core/kafka/protocol/apis/txn-offset-commit.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody, kafkajsVersions } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request: TxnOffsetCommitRequest = {
  transactionalId: 'tx-orders',
  groupId: 'orders-enricher',
  producerId: 2 ** 40 + 3,
  producerEpoch: 6,
  generationId: 11,
  memberId: 'member-3',
  groupInstanceId: 'worker-3',
  topics: [
    {
      name: 'orders',
      partitions: [
        { partitionIndex: 0, committedOffset: 2 ** 40 + 17, committedLeaderEpoch: 4, committedMetadata: 'checkpoint' },
        { partitionIndex: 4, committedOffset: 0, committedLeaderEpoch: 4, committedMetadata: null },
      ],
    },
    { name: 'customers', partitions: [{ partitionIndex: 1, committedOffset: 99, committedLeaderEpoch: 0, committedMetadata: '' }] },
  ],
}
const response: TxnOffsetCommitResponse = {
  throttleTimeMs: 8,
  topics: [
    {
      name: 'orders',
      partitions: [
        { partitionIndex: 0, errorCode: 0 },
        { partitionIndex: 4, errorCode: 22 },
      ],
    },
    { name: 'customers', partitions: [{ partitionIndex: 1, errorCode: 0 }] },
  ],
}
/** What a version carries of the request; the rest decodes as Kafka's defaults. */
const requestAt = (v: number): TxnOffsetCommitRequest => ({
  ...request,
  generationId: v >= 3 ? request.generationId : -1,
  memberId: v >= 3 ? request.memberId : '',
  groupInstanceId: v >= 3 ? request.groupInstanceId : null,
  topics: request.topics.map((t) => ({
    ...t,
    partitions: t.partitions.map((p) => ({ ...p, committedLeaderEpoch: v >= 2 ? p.committedLeaderEpoch : -1 })),
  })),
})

describe('TxnOffsetCommit codec', () => {
  it.each(eachVersion(txnOffsetCommitVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeTxnOffsetCommitRequest, decodeTxnOffsetCommitRequest, v, flexible, request)).toEqual(requestAt(v))
    expect(roundTrip(encodeTxnOffsetCommitResponse, decodeTxnOffsetCommitResponse, v, flexible, response)).toEqual(response)
  })

  it('writes v2 with the leader epoch and v3 in the flexible layout with the group member', () => {
    const one: TxnOffsetCommitRequest = {
      ...request,
      groupInstanceId: null,
      topics: [{ name: 't', partitions: [{ partitionIndex: 2, committedOffset: 5, committedLeaderEpoch: 4, committedMetadata: null }] }],
    }
    const int16String = (s: string) => Buffer.concat([bytesOf.int16(s.length), Buffer.from(s)])
    expect(encodeAt(encodeTxnOffsetCommitRequest, 2, false, one)).toEqual(
      Buffer.concat([
        int16String('tx-orders'),
        int16String('orders-enricher'),
        bytesOf.int64(request.producerId),
        bytesOf.int16(6),
        bytesOf.int32(1),
        int16String('t'),
        bytesOf.int32(1),
        bytesOf.int32(2),
        bytesOf.int64(5),
        bytesOf.int32(4),
        bytesOf.int16(-1),
      ]),
    )
    expect(encodeAt(encodeTxnOffsetCommitRequest, 3, true, one)).toEqual(
      Buffer.concat([
        bytesOf.compact('tx-orders'),
        bytesOf.compact('orders-enricher'),
        bytesOf.int64(request.producerId),
        bytesOf.int16(6),
        bytesOf.int32(11),
        bytesOf.compact('member-3'),
        bytesOf.compact(null),
        bytesOf.compactCount(1),
        bytesOf.compact('t'),
        bytesOf.compactCount(1),
        bytesOf.int32(2),
        bytesOf.int64(5),
        bytesOf.int32(4),
        bytesOf.compact(null),
        bytesOf.noTags(),
        bytesOf.noTags(),
        bytesOf.noTags(),
      ]),
    )
  })

  it.each(kafkajsVersions('txnOffsetCommit'))(
    'matches kafkajs at v%i: its request bytes are ours, and it reads our response',
    async (v) => {
      const kafkajs = await kafkajsRequestBody('txnOffsetCommit', v, {
        ...request,
        producerId: String(request.producerId),
        topics: request.topics.map((t) => ({
          topic: t.name,
          partitions: t.partitions.map((p) => ({
            partition: p.partitionIndex,
            offset: String(p.committedOffset),
            metadata: p.committedMetadata,
          })),
        })),
      })
      expect(decodeAt(decodeTxnOffsetCommitRequest, v, false, kafkajs)).toEqual(requestAt(v))
      expect(encodeAt(encodeTxnOffsetCommitRequest, v, false, request)).toEqual(kafkajs)
      expect(await kafkajsDecodeResponse('txnOffsetCommit', v, encodeAt(encodeTxnOffsetCommitResponse, v, false, response))).toMatchObject({
        topics: response.topics.map((t) => ({
          topic: t.name,
          partitions: t.partitions.map((p) => ({ partition: p.partitionIndex, errorCode: p.errorCode })),
        })),
      })
    },
  )

  it('matches @platformatic/kafka at v4: its request bytes are ours, and it reads our response', () => {
    const topics = request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ ...p, committedOffset: BigInt(p.committedOffset) })),
    }))
    const platformatic = platformaticRequestBody(
      txnOffsetCommitV4,
      request.transactionalId,
      request.groupId,
      BigInt(request.producerId),
      request.producerEpoch,
      request.generationId,
      request.memberId,
      request.groupInstanceId,
      topics,
    )
    expect(decodeAt(decodeTxnOffsetCommitRequest, 4, true, platformatic)).toEqual(requestAt(4))
    expect(encodeAt(encodeTxnOffsetCommitRequest, 4, true, request)).toEqual(platformatic)
    const accepted = {
      ...response,
      topics: response.topics.map((t) => ({ ...t, partitions: t.partitions.map((p) => ({ ...p, errorCode: 0 })) })),
    }
    expect(platformaticParseResponse(txnOffsetCommitV4, 28, 4, encodeAt(encodeTxnOffsetCommitResponse, 4, true, accepted))).toEqual(
      accepted,
    )
  })
})
