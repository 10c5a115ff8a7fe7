import { offsetFetchV8 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeOffsetFetchRequest,
  decodeOffsetFetchResponse,
  encodeOffsetFetchRequest,
  encodeOffsetFetchResponse,
  offsetFetchVersions,
  type OffsetFetchRequest,
  type OffsetFetchResponse,
} from '../../../../../core/kafka/protocol/apis/offset-fetch.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody, kafkajsVersions } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const topics = [
  { name: 'orders', partitionIndexes: [0, 3, 7] },
  { name: 'customers', partitionIndexes: [1] },
]
const request: OffsetFetchRequest = {
  groupId: 'orders-sink',
  topics,
  groups: [
    { groupId: 'orders-sink', topics },
    { groupId: 'audit', topics: null },
  ],
  requireStable: true,
}
/** What a version carries of the request; the rest decodes as defaults. */
const requestAt = (v: number): OffsetFetchRequest =>
  v >= 8 ? { ...request, groupId: '', topics: [] } : { ...request, groups: [], requireStable: v >= 7 }
let response: OffsetFetchResponse = {
  throttleTimeMs: 2,
  topics: [
    {
      name: 'orders',
      partitions: [
        { partitionIndex: 0, committedOffset: 2 ** 41 + 5, committedLeaderEpoch: -1, metadata: 'checkpoint', errorCode: 0 },
        { partitionIndex: 3, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
        { partitionIndex: 7, committedOffset: 12, committedLeaderEpoch: 2, metadata: null, errorCode: 0 },
      ],
    },
    { name: 'customers', partitions: [{ partitionIndex: 1, committedOffset: 4, committedLeaderEpoch: 2, metadata: 'x', errorCode: 3 }] },
  ],
  errorCode: 16,
  groups: [],
}
response = {
  ...response,
  groups: [
    { groupId: 'orders-sink', topics: response.topics, errorCode: 0 },
    { groupId: 'audit', topics: [], errorCode: 16 },
  ],
}
const responseAt = (v: number): OffsetFetchResponse =>
  v >= 8
    ? { ...response, topics: [], errorCode: 0 }
    : {
        throttleTimeMs: v >= 3 ? response.throttleTimeMs : 0,
        topics: response.topics.map((t) => ({
          ...t,
          partitions: t.partitions.map((p) => ({ ...p, committedLeaderEpoch: v >= 5 ? p.committedLeaderEpoch : -1 })),
        })),
        errorCode: v >= 2 ? response.errorCode : 0,
        groups: [],
      }

describe('OffsetFetch codec', () => {
  it.each(eachVersion(offsetFetchVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeOffsetFetchRequest, decodeOffsetFetchRequest, v, flexible, request)).toEqual(requestAt(v))
    expect(roundTrip(encodeOffsetFetchResponse, decodeOffsetFetchResponse, v, flexible, response)).toEqual(responseAt(v))
  })

  it.each(eachVersion(offsetFetchVersions).filter(([v]) => v >= 2 && v <= 7))(
    'asks for every partition with null topics at v%i',
    (v, flexible) => {
      const all: OffsetFetchRequest = { groupId: 'g', topics: null, groups: [], requireStable: false }
      expect(roundTrip(encodeOffsetFetchRequest, decodeOffsetFetchRequest, v, flexible, all)).toEqual(all)
    },
  )

  it.each(kafkajsVersions('offsetFetch'))('matches kafkajs at v%i: its request bytes are ours, and it reads our response', async (v) => {
    const kafkajs = await kafkajsRequestBody('offsetFetch', v, {
      groupId: request.groupId,
      topics: request.topics!.map((t) => ({ topic: t.name, partitions: t.partitionIndexes.map((partition) => ({ partition })) })),
    })
    expect(decodeAt(decodeOffsetFetchRequest, v, false, kafkajs)).toEqual({ ...requestAt(v), requireStable: false })
    expect(encodeAt(encodeOffsetFetchRequest, v, false, request)).toEqual(kafkajs)
    const decoded = await kafkajsDecodeResponse('offsetFetch', v, encodeAt(encodeOffsetFetchResponse, v, false, response))
    expect(decoded).toMatchObject({
      responses: response.topics.map((t) => ({
        topic: t.name,
        partitions: t.partitions.map((p) => ({
          partition: p.partitionIndex,
          offset: String(p.committedOffset),
          metadata: p.metadata,
          errorCode: p.errorCode,
        })),
      })),
      ...(v >= 2 ? { errorCode: 16 } : {}),
    })
  })

  it('writes v7 in the flexible layout', () => {
    expect(
      encodeAt(encodeOffsetFetchRequest, 7, true, {
        groupId: 'g',
        topics: [{ name: 't', partitionIndexes: [2] }],
        groups: [],
        requireStable: true,
      }),
    ).toEqual(
      Buffer.concat([
        bytesOf.compact('g'),
        bytesOf.compactCount(1),
        bytesOf.compact('t'),
        bytesOf.compactCount(1),
        bytesOf.int32(2),
        bytesOf.noTags(),
        bytesOf.int8(1),
        bytesOf.noTags(),
      ]),
    )
  })

  it('writes v8 in the batched layout: a list of groups, each with its (nullable) topics', () => {
    const batched: OffsetFetchRequest = {
      groupId: 'ignored',
      topics: null,
      groups: [
        { groupId: 'g', topics: [{ name: 't', partitionIndexes: [2] }] },
        { groupId: 'h', topics: null },
      ],
      requireStable: false,
    }
    expect(encodeAt(encodeOffsetFetchRequest, 8, true, batched)).toEqual(
      Buffer.concat([
        bytesOf.compactCount(2),
        bytesOf.compact('g'),
        bytesOf.compactCount(1),
        bytesOf.compact('t'),
        bytesOf.compactCount(1),
        bytesOf.int32(2),
        bytesOf.noTags(),
        bytesOf.noTags(),
        bytesOf.compact('h'),
        bytesOf.compact(null),
        bytesOf.noTags(),
        bytesOf.int8(0),
        bytesOf.noTags(),
      ]),
    )
  })

  it('matches @platformatic/kafka at v8: its request bytes are ours, and it reads our response', () => {
    const asked = request.groups.filter((g) => g.topics !== null)
    const platformatic = platformaticRequestBody(
      offsetFetchV8,
      asked.map((g) => ({ groupId: g.groupId, topics: [...g.topics!] })),
      true,
    )
    const ours: OffsetFetchRequest = { ...request, groups: asked }
    expect(decodeAt(decodeOffsetFetchRequest, 8, true, platformatic)).toEqual({ ...requestAt(8), groups: asked })
    expect(encodeAt(encodeOffsetFetchRequest, 8, true, ours)).toEqual(platformatic)
    const answered: OffsetFetchResponse = {
      ...response,
      groups: response.groups.map((g) => ({
        ...g,
        topics: g.topics.map((t) => ({ ...t, partitions: t.partitions.map((p) => ({ ...p, errorCode: 0 })) })),
        errorCode: 0,
      })),
    }
    expect(platformaticParseResponse(offsetFetchV8, 9, 8, encodeAt(encodeOffsetFetchResponse, 8, true, answered))).toEqual({
      throttleTimeMs: 2,
      groups: answered.groups.map((g) => ({
        ...g,
        topics: g.topics.map((t) => ({
          ...t,
          partitions: t.partitions.map((p) => ({ ...p, committedOffset: BigInt(p.committedOffset) })),
        })),
      })),
    })
  })
})
