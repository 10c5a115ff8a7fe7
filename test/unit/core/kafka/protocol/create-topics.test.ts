import { describe, expect, it } from 'vitest'
import {
  createTopicsVersions,
  decodeCreateTopicsRequest,
  decodeCreateTopicsResponse,
  encodeCreateTopicsRequest,
  encodeCreateTopicsResponse,
  type CreateTopicsRequest,
  type CreateTopicsResponse,
} from '../../../../../core/kafka/protocol/apis/create-topics.ts'
import { ZERO_UUID } from '../../../../../core/kafka/protocol/uuid.ts'
import { eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody } from '../../../../support/kafkajs-protocol.ts'

const flexible = (v: number) => v >= createTopicsVersions.flexibleFrom

const request: CreateTopicsRequest = {
  topics: [
    {
      name: 'orders',
      numPartitions: 6,
      replicationFactor: 1,
      assignments: [],
      configs: [
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'retention.ms', value: '3600000' },
        { name: 'segment.ms', value: null },
      ],
    },
    {
      name: 'placed',
      numPartitions: -1,
      replicationFactor: -1,
      assignments: [
        { partitionIndex: 0, brokerIds: [0] },
        { partitionIndex: 1, brokerIds: [0, 2] },
      ],
      configs: [],
    },
  ],
  timeoutMs: 30_000,
  validateOnly: true,
}

const response: CreateTopicsResponse = {
  throttleTimeMs: 12,
  topics: [
    {
      name: 'orders',
      topicId: Buffer.from('22d957a3b22a4b559a3699b7f61876a2', 'hex'),
      errorCode: 0,
      errorMessage: null,
      topicConfigErrorCode: 0,
      numPartitions: 6,
      replicationFactor: 1,
      configs: [
        { name: 'cleanup.policy', value: 'compact', readOnly: false, configSource: 1, isSensitive: false },
        { name: 'retention.bytes', value: '-1', readOnly: false, configSource: 5, isSensitive: false },
      ],
    },
    {
      name: 'bad',
      topicId: ZERO_UUID,
      errorCode: 40,
      errorMessage: 'invalid config for topic bad',
      topicConfigErrorCode: 29,
      numPartitions: -1,
      replicationFactor: -1,
      configs: null,
    },
  ],
}

/** What a version carries of the response; the rest decodes as Kafka's defaults. */
function responseAt(v: number): CreateTopicsResponse {
  return {
    throttleTimeMs: v >= 2 ? response.throttleTimeMs : 0,
    topics: response.topics.map((topic) => ({
      ...topic,
      topicId: v >= 7 ? topic.topicId : ZERO_UUID,
      errorMessage: v >= 1 ? topic.errorMessage : null,
      topicConfigErrorCode: v >= 5 ? topic.topicConfigErrorCode : 0,
      numPartitions: v >= 5 ? topic.numPartitions : -1,
      replicationFactor: v >= 5 ? topic.replicationFactor : -1,
      configs: v >= 5 ? topic.configs : [],
    })),
  }
}

describe('CreateTopics codec', () => {
  it.each(eachVersion(createTopicsVersions))('round-trips the request at v%i', (v) => {
    expect(roundTrip(encodeCreateTopicsRequest, decodeCreateTopicsRequest, v, flexible(v), request)).toEqual({
      ...request,
      validateOnly: v >= 1,
    })
  })

  it.each(eachVersion(createTopicsVersions))('round-trips the response at v%i', (v) => {
    expect(roundTrip(encodeCreateTopicsResponse, decodeCreateTopicsResponse, v, flexible(v), response)).toEqual(responseAt(v))
  })

  it('writes v5 in compact forms, with topic_config_error_code as tag 0 only when set', () => {
    const bytes = encodeAt(encodeCreateTopicsResponse, 5, flexible(5), {
      throttleTimeMs: 0,
      topics: [
        {
          name: 'a',
          topicId: ZERO_UUID,
          errorCode: 0,
          errorMessage: null,
          topicConfigErrorCode: 0,
          numPartitions: 1,
          replicationFactor: 1,
          configs: null,
        },
        {
          name: 'b',
          topicId: ZERO_UUID,
          errorCode: 0,
          errorMessage: null,
          topicConfigErrorCode: 29,
          numPartitions: 1,
          replicationFactor: 1,
          configs: [],
        },
      ],
    })
    expect(bytes.toString('hex')).toBe(
      [
        '00000000',
        '03', // throttle, 2 topics
        '0261',
        '0000',
        '00',
        '00000001',
        '0001',
        '00',
        '00', // a: no error, null message, 1 partition, factor 1, null configs, no tags
        '0262',
        '0000',
        '00',
        '00000001',
        '0001',
        '01',
        '01',
        '00',
        '02',
        '001d', // b: empty configs, one tag: 0, 2 bytes, 29
        '00',
      ].join(''),
    )
  })

  it('writes v7 with the topic id after the name, and v6 as v5', () => {
    const one: CreateTopicsResponse = { throttleTimeMs: 0, topics: [{ ...response.topics[0]!, configs: null }] }
    const v6 = encodeAt(encodeCreateTopicsResponse, 6, true, one)
    expect(v6).toEqual(encodeAt(encodeCreateTopicsResponse, 5, true, one))
    const v7 = encodeAt(encodeCreateTopicsResponse, 7, true, one)
    const afterName = 4 + 1 + 1 + 'orders'.length // throttle, topic count, name length, name
    expect(v7.subarray(afterName, afterName + 16).toString('hex')).toBe('22d957a3b22a4b559a3699b7f61876a2')
    expect(Buffer.concat([v7.subarray(0, afterName), v7.subarray(afterName + 16)])).toEqual(v6)
  })

  const kafkajsTopics = request.topics.map((topic) => ({
    topic: topic.name,
    numPartitions: topic.numPartitions,
    replicationFactor: topic.replicationFactor,
    replicaAssignment: topic.assignments.map((a) => ({ partition: a.partitionIndex, replicas: a.brokerIds })),
    configEntries: topic.configs,
  }))

  it.each([0, 1, 2, 3])('encodes the v%i request byte for byte as kafkajs does', async (v) => {
    const theirs = await kafkajsRequestBody('createTopics', v, {
      topics: kafkajsTopics,
      timeout: request.timeoutMs,
      validateOnly: request.validateOnly,
    })
    expect(encodeAt(encodeCreateTopicsRequest, v, flexible(v), request).toString('hex')).toBe(theirs.toString('hex'))
  })

  it.each([0, 1, 2, 3])('encodes a v%i response kafkajs reads', async (v) => {
    const decoded = await kafkajsDecodeResponse('createTopics', v, encodeAt(encodeCreateTopicsResponse, v, flexible(v), response))
    const sorted = [...response.topics].sort((a, b) => a.name.localeCompare(b.name))
    expect(decoded.topicErrors).toEqual(
      sorted.map((t) => ({ topic: t.name, errorCode: t.errorCode, ...(v >= 1 ? { errorMessage: t.errorMessage } : {}) })),
    )
    if (v === 2) expect(decoded.throttleTime).toBe(response.throttleTimeMs)
    if (v === 3) expect(decoded.clientSideThrottleTime).toBe(response.throttleTimeMs)
  })
})
