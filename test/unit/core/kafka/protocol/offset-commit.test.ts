import { offsetCommitV8 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeOffsetCommitRequest,
  decodeOffsetCommitResponse,
  encodeOffsetCommitRequest,
  encodeOffsetCommitResponse,
  offsetCommitVersions,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
} from '../../../../../core/kafka/protocol/apis/offset-commit.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody, kafkajsVersions } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request: OffsetCommitRequest = {
  groupId: 'orders-sink',
  generationId: 4,
  memberId: 'member-1',
  groupInstanceId: 'worker-1',
  retentionTimeMs: 86_400_000,
  topics: [
    {
      name: 'orders',
      partitions: [
        {
          partitionIndex: 0,
          committedOffset: 2 ** 40 + 17,
          committedLeaderEpoch: 3,
          commitTimestamp: 1_700_000_000_123,
          committedMetadata: 'checkpoint',
        },
        { partitionIndex: 5, committedOffset: 0, committedLeaderEpoch: 3, commitTimestamp: 1_700_000_000_123, committedMetadata: null },
      ],
    },
    {
      name: 'customers',
      partitions: [
        { partitionIndex: 1, committedOffset: 99, committedLeaderEpoch: 0, commitTimestamp: 1_700_000_000_123, committedMetadata: '' },
      ],
    },
  ],
}
const response: OffsetCommitResponse = {
  throttleTimeMs: 6,
  topics: [
    {
      name: 'orders',
      partitions: [
        { partitionIndex: 0, errorCode: 0 },
        { partitionIndex: 5, errorCode: 12 },
      ],
    },
    { name: 'customers', partitions: [{ partitionIndex: 1, errorCode: 22 }] },
  ],
}
const requestAt = (v: number): OffsetCommitRequest => ({
  ...request,
  generationId: v >= 1 ? request.generationId : -1,
  memberId: v >= 1 ? request.memberId : '',
  groupInstanceId: v >= 7 ? request.groupInstanceId : null,
  retentionTimeMs: v >= 2 && v <= 4 ? request.retentionTimeMs : -1,
  topics: request.topics.map((t) => ({
    ...t,
    partitions: t.partitions.map((p) => ({
      ...p,
      committedLeaderEpoch: v >= 6 ? p.committedLeaderEpoch : -1,
      commitTimestamp: v === 1 ? p.commitTimestamp : -1,
    })),
  })),
})

describe('OffsetCommit codec', () => {
  it.each(eachVersion(offsetCommitVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeOffsetCommitRequest, decodeOffsetCommitRequest, v, flexible, request)).toEqual(requestAt(v))
    expect(roundTrip(encodeOffsetCommitResponse, decodeOffsetCommitResponse, v, flexible, response)).toEqual({
      ...response,
      throttleTimeMs: v >= 3 ? 6 : 0,
    })
  })

  it.each(kafkajsVersions('offsetCommit'))('matches kafkajs at v%i: its request bytes are ours, and it reads our response', async (v) => {
    const kafkajs = await kafkajsRequestBody('offsetCommit', v, {
      groupId: request.groupId,
      groupGenerationId: request.generationId,
      memberId: request.memberId,
      retentionTime: request.retentionTimeMs,
      topics: request.topics.map((t) => ({
        topic: t.name,
        partitions: t.partitions.map((p) => ({
          partition: p.partitionIndex,
          offset: String(p.committedOffset),
          timestamp: p.commitTimestamp,
          metadata: p.committedMetadata,
        })),
      })),
    })
    expect(decodeAt(decodeOffsetCommitRequest, v, false, kafkajs)).toEqual(requestAt(v))
    expect(encodeAt(encodeOffsetCommitRequest, v, false, request)).toEqual(kafkajs)
    const decoded = await kafkajsDecodeResponse('offsetCommit', v, encodeAt(encodeOffsetCommitResponse, v, false, response))
    expect(decoded).toMatchObject({
      responses: response.topics.map((t) => ({
        topic: t.name,
        partitions: t.partitions.map((p) => ({ partition: p.partitionIndex, errorCode: p.errorCode })),
      })),
    })
  })

  it('writes v8 in the flexible layout', () => {
    const one: OffsetCommitRequest = {
      ...request,
      groupInstanceId: null,
      topics: [{ name: 't', partitions: [{ ...request.topics[0]!.partitions[0]!, committedOffset: 5, committedMetadata: null }] }],
    }
    expect(encodeAt(encodeOffsetCommitRequest, 8, true, one)).toEqual(
      Buffer.concat([
        bytesOf.compact('orders-sink'),
        bytesOf.int32(4),
        bytesOf.compact('member-1'),
        bytesOf.compact(null),
        bytesOf.compactCount(1),
        bytesOf.compact('t'),
        bytesOf.compactCount(1),
        bytesOf.int32(0),
        bytesOf.int64(5),
        bytesOf.int32(3),
        bytesOf.compact(null),
        bytesOf.noTags(),
        bytesOf.noTags(),
        bytesOf.noTags(),
      ]),
    )
  })

  it('matches @platformatic/kafka at v8: its request bytes are ours, and it reads our response', () => {
    const topics = request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ ...p, committedOffset: BigInt(p.committedOffset) })),
    }))
    const platformatic = platformaticRequestBody(
      offsetCommitV8,
      request.groupId,
      request.generationId,
      request.memberId,
      request.groupInstanceId,
      topics,
    )
    expect(decodeAt(decodeOffsetCommitRequest, 8, true, platformatic)).toEqual(requestAt(8))
    expect(encodeAt(encodeOffsetCommitRequest, 8, true, request)).toEqual(platformatic)
    const accepted: OffsetCommitResponse = {
      ...response,
      topics: response.topics.map((t) => ({ ...t, partitions: t.partitions.map((p) => ({ ...p, errorCode: 0 })) })),
    }
    expect(platformaticParseResponse(offsetCommitV8, 8, 8, encodeAt(encodeOffsetCommitResponse, 8, true, accepted))).toEqual(accepted)
  })
})
