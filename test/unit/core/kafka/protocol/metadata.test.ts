import { describe, expect, it } from 'vitest'
import {
  decodeMetadataRequest,
  decodeMetadataResponse,
  encodeMetadataRequest,
  encodeMetadataResponse,
  metadataVersions,
  type MetadataResponse,
} from '../../../../../core/kafka/protocol/apis/metadata.ts'
import { ZERO_UUID } from '../../../../../core/kafka/protocol/uuid.ts'
import { decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody } from '../../../../support/kafkajs-protocol.ts'

const flexible = (v: number) => v >= metadataVersions.flexibleFrom

const response: MetadataResponse = {
  throttleTimeMs: 0,
  brokers: [{ nodeId: 0, host: '127.0.0.1', port: 9092, rack: null }],
  clusterId: 'cluster-ä',
  controllerId: 0,
  topics: [
    {
      errorCode: 0,
      name: 'orders',
      topicId: Buffer.alloc(16, 7),
      isInternal: false,
      partitions: [0, 1].map((p) => ({
        errorCode: 0,
        partitionIndex: p,
        leaderId: 0,
        leaderEpoch: 0,
        replicaNodes: [0],
        isrNodes: [0],
        offlineReplicas: [],
      })),
    },
    { errorCode: 3, name: 'missing', topicId: ZERO_UUID, isInternal: false, partitions: [] },
  ],
  errorCode: 0,
}

describe('Metadata codec', () => {
  it.each(eachVersion(metadataVersions))('round-trips request and response at v%i', (v) => {
    const request = {
      topics: [
        { topicId: ZERO_UUID, name: 'orders' },
        { topicId: ZERO_UUID, name: 'ünïcode' },
      ],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    }
    const decoded = roundTrip(encodeMetadataRequest, decodeMetadataRequest, v, flexible(v), request)
    expect(decoded.topics?.map((t) => t.name)).toEqual(['orders', 'ünïcode'])
    expect(decoded.allowAutoTopicCreation).toBe(v < 4)
    const back = roundTrip(encodeMetadataResponse, decodeMetadataResponse, v, flexible(v), response)
    expect(back.topics.map((t) => [t.name, t.errorCode, t.partitions.length])).toEqual([
      ['orders', 0, 2],
      ['missing', 3, 0],
    ])
    expect(back.brokers).toEqual(response.brokers)
    expect(back.clusterId).toBe(v >= 2 ? 'cluster-ä' : null)
    if (v >= 10) expect(back.topics[0]!.topicId).toEqual(Buffer.alloc(16, 7))
  })

  it('writes v13 as v12 with the top-level error code last, before the tagged fields', () => {
    const rebootstrap = { ...response, errorCode: 129 } // REBOOTSTRAP_REQUIRED
    const v12 = encodeAt(encodeMetadataResponse, 12, true, rebootstrap)
    const v13 = encodeAt(encodeMetadataResponse, 13, true, rebootstrap)
    expect(v13).toEqual(Buffer.concat([v12.subarray(0, -1), Buffer.from([0, 129, 0])]))
    expect(roundTrip(encodeMetadataResponse, decodeMetadataResponse, 13, true, rebootstrap).errorCode).toBe(129)
    expect(roundTrip(encodeMetadataResponse, decodeMetadataResponse, 12, true, rebootstrap).errorCode).toBe(0)
  })

  it('reads "every topic" as v0 says (empty list) and as v1+ says (null)', () => {
    const v0 = roundTrip(encodeMetadataRequest, decodeMetadataRequest, 0, false, {
      topics: [],
      allowAutoTopicCreation: true,
      includeTopicAuthorizedOperations: false,
    })
    expect(v0.topics).toBeNull()
    const v1Empty = roundTrip(encodeMetadataRequest, decodeMetadataRequest, 1, false, {
      topics: [],
      allowAutoTopicCreation: true,
      includeTopicAuthorizedOperations: false,
    })
    expect(v1Empty.topics).toEqual([])
  })

  it.each([0, 1, 2, 3, 4, 5, 6])('agrees with kafkajs at v%i', async (v) => {
    const body = await kafkajsRequestBody('metadata', v, { topics: ['orders', 'payments'], allowAutoTopicCreation: false })
    expect(decodeAt(decodeMetadataRequest, v, false, body).topics?.map((t) => t.name)).toEqual(['orders', 'payments'])
    const theirs = await kafkajsDecodeResponse<{
      brokers: Array<{ host: string; port: number }>
      topicMetadata: Array<{ topic: string; topicErrorCode: number; partitionMetadata: unknown[] }>
    }>('metadata', v, encodeAt(encodeMetadataResponse, v, false, response))
    expect(theirs.brokers[0]).toMatchObject({ host: '127.0.0.1', port: 9092 })
    expect(theirs.topicMetadata.map((t) => [t.topic, t.topicErrorCode, t.partitionMetadata.length])).toEqual([
      ['orders', 0, 2],
      ['missing', 3, 0],
    ])
  })
})
