import { alterConfigsV2, incrementalAlterConfigsV1 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  alterConfigsVersions,
  decodeAlterConfigsRequest,
  decodeAlterConfigsResponse,
  encodeAlterConfigsRequest,
  encodeAlterConfigsResponse,
  type AlterConfigsResponse,
} from '../../../../../core/kafka/protocol/apis/alter-configs.ts'
import {
  ConfigOperation,
  decodeIncrementalAlterConfigsRequest,
  decodeIncrementalAlterConfigsResponse,
  encodeIncrementalAlterConfigsRequest,
  encodeIncrementalAlterConfigsResponse,
  incrementalAlterConfigsVersions,
} from '../../../../../core/kafka/protocol/apis/incremental-alter-configs.ts'
import { decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsRequestBody } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request = {
  resources: [
    {
      resourceType: 2,
      resourceName: 'orders',
      configs: [
        { name: 'retention.ms', value: '60000' },
        { name: 'cleanup.policy', value: 'compact' },
      ],
    },
  ],
  validateOnly: true,
}
const incremental = {
  resources: [
    {
      resourceType: 2,
      resourceName: 'orders',
      configs: [
        { name: 'retention.ms', configOperation: ConfigOperation.SET, value: '60000' },
        { name: 'segment.ms', configOperation: ConfigOperation.DELETE, value: null },
      ],
    },
    {
      resourceType: 4,
      resourceName: '0',
      configs: [{ name: 'cleanup.policy', configOperation: ConfigOperation.APPEND, value: 'compact' }],
    },
  ],
  validateOnly: false,
}
const response: AlterConfigsResponse = {
  throttleTimeMs: 0,
  responses: [
    { errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'orders' },
    { errorCode: 40, errorMessage: 'Unknown topic config name: foo', resourceType: 2, resourceName: 'audit' },
  ],
}

describe('AlterConfigs codec', () => {
  it.each(eachVersion(alterConfigsVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeAlterConfigsRequest, decodeAlterConfigsRequest, v, flexible, request)).toEqual(request)
    expect(roundTrip(encodeAlterConfigsResponse, decodeAlterConfigsResponse, v, flexible, response)).toEqual(response)
  })

  it.each([0, 1])("reads kafkajs's v%i request byte for byte", async (v) => {
    const theirs = await kafkajsRequestBody('alterConfigs', v, {
      resources: request.resources.map((r) => ({ type: r.resourceType, name: r.resourceName, configEntries: r.configs })),
      validateOnly: true,
    })
    expect(decodeAt(decodeAlterConfigsRequest, v, false, theirs)).toEqual(request)
    expect(encodeAt(encodeAlterConfigsRequest, v, false, request)).toEqual(theirs)
  })

  it('matches @platformatic/kafka at v2: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(alterConfigsV2, request.resources, request.validateOnly)
    expect(decodeAt(decodeAlterConfigsRequest, 2, true, platformatic)).toEqual(request)
    expect(encodeAt(encodeAlterConfigsRequest, 2, true, request)).toEqual(platformatic)
    const ok = { throttleTimeMs: 0, responses: [response.responses[0]!] }
    expect(platformaticParseResponse(alterConfigsV2, 33, 2, encodeAt(encodeAlterConfigsResponse, 2, true, ok))).toMatchObject(ok)
  })
})

describe('IncrementalAlterConfigs codec', () => {
  it.each(eachVersion(incrementalAlterConfigsVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeIncrementalAlterConfigsRequest, decodeIncrementalAlterConfigsRequest, v, flexible, incremental)).toEqual(
      incremental,
    )
    expect(roundTrip(encodeIncrementalAlterConfigsResponse, decodeIncrementalAlterConfigsResponse, v, flexible, response)).toEqual(response)
  })

  it('matches @platformatic/kafka at v1: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(incrementalAlterConfigsV1, incremental.resources, incremental.validateOnly)
    expect(decodeAt(decodeIncrementalAlterConfigsRequest, 1, true, platformatic)).toEqual(incremental)
    expect(encodeAt(encodeIncrementalAlterConfigsRequest, 1, true, incremental)).toEqual(platformatic)
    const ok = { throttleTimeMs: 0, responses: [response.responses[0]!] }
    expect(
      platformaticParseResponse(incrementalAlterConfigsV1, 44, 1, encodeAt(encodeIncrementalAlterConfigsResponse, 1, true, ok)),
    ).toMatchObject(ok)
  })
})
