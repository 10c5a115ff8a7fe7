import { describeClusterV1 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeDescribeClusterRequest,
  decodeDescribeClusterResponse,
  describeClusterVersions,
  encodeDescribeClusterRequest,
  encodeDescribeClusterResponse,
  type DescribeClusterResponse,
} from '../../../../../core/kafka/protocol/apis/describe-cluster.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request = { includeClusterAuthorizedOperations: true, endpointType: 1, includeFencedBrokers: false }
const response: DescribeClusterResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  errorMessage: null,
  endpointType: 1,
  clusterId: 'tributary-cluster',
  controllerId: 0,
  brokers: [{ brokerId: 0, host: '127.0.0.1', port: 9092, rack: null, isFenced: false }],
  clusterAuthorizedOperations: 0b1111110100000,
}

describe('DescribeCluster codec', () => {
  it.each(eachVersion(describeClusterVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeDescribeClusterRequest, decodeDescribeClusterRequest, v, flexible, request)).toEqual(request)
    expect(roundTrip(encodeDescribeClusterResponse, decodeDescribeClusterResponse, v, flexible, response)).toEqual(response)
  })

  it('writes v2 with the fenced flags of the request and of each broker', () => {
    expect(encodeAt(encodeDescribeClusterRequest, 2, true, { ...request, includeFencedBrokers: true })).toEqual(
      Buffer.concat([bytesOf.int8(1), bytesOf.int8(1), bytesOf.int8(1), bytesOf.noTags()]),
    )
    const written = encodeAt(encodeDescribeClusterResponse, 2, true, response)
    expect(written.subarray(-7)).toEqual(
      Buffer.concat([bytesOf.int8(0), bytesOf.noTags(), bytesOf.int32(0b1111110100000), bytesOf.noTags()]),
    )
  })

  it('matches @platformatic/kafka at v1: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(describeClusterV1, true, 1)
    expect(decodeAt(decodeDescribeClusterRequest, 1, true, platformatic)).toEqual(request)
    expect(encodeAt(encodeDescribeClusterRequest, 1, true, request)).toEqual(platformatic)
    expect(platformaticParseResponse(describeClusterV1, 60, 1, encodeAt(encodeDescribeClusterResponse, 1, true, response))).toMatchObject({
      clusterId: 'tributary-cluster',
      controllerId: 0,
      endpointType: 1,
      brokers: [{ brokerId: 0, host: '127.0.0.1', port: 9092, rack: null }],
      clusterAuthorizedOperations: 0b1111110100000,
    })
  })
})
