import { describeGroupsV5 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  AUTHORIZED_OPERATIONS_OMITTED,
  decodeDescribeGroupsRequest,
  decodeDescribeGroupsResponse,
  describeGroupsVersions,
  encodeDescribeGroupsRequest,
  encodeDescribeGroupsResponse,
  type DescribeGroupsResponse,
} from '../../../../../core/kafka/protocol/apis/describe-groups.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody, kafkajsVersions } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request = { groups: ['orders-sink', 'audit'], includeAuthorizedOperations: true }
const response: DescribeGroupsResponse = {
  throttleTimeMs: 9,
  groups: [
    {
      errorCode: 0,
      errorMessage: null,
      groupId: 'orders-sink',
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
      authorizedOperations: 328,
      members: [
        {
          memberId: 'm-1',
          groupInstanceId: 'worker-1',
          clientId: 'kafkajs',
          clientHost: '/127.0.0.1',
          memberMetadata: Buffer.from([0, 0, 1]),
          memberAssignment: Buffer.from([0, 0, 2]),
        },
        {
          memberId: 'm-2',
          groupInstanceId: null,
          clientId: 'tributary',
          clientHost: '/10.0.0.2',
          memberMetadata: Buffer.alloc(0),
          memberAssignment: Buffer.from('a'),
        },
      ],
    },
    {
      errorCode: 0,
      errorMessage: null,
      groupId: 'audit',
      groupState: 'Dead',
      protocolType: '',
      protocolData: '',
      members: [],
      authorizedOperations: 328,
    },
  ],
}
const responseAt = (v: number): DescribeGroupsResponse => ({
  throttleTimeMs: v >= 1 ? response.throttleTimeMs : 0,
  groups: response.groups.map((g) => ({
    ...g,
    errorMessage: v >= 6 ? g.errorMessage : null,
    authorizedOperations: v >= 3 ? g.authorizedOperations : AUTHORIZED_OPERATIONS_OMITTED,
    members: g.members.map((m) => ({ ...m, groupInstanceId: v >= 4 ? m.groupInstanceId : null })),
  })),
})

describe('DescribeGroups codec', () => {
  it.each(eachVersion(describeGroupsVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeDescribeGroupsRequest, decodeDescribeGroupsRequest, v, flexible, request)).toEqual({
      ...request,
      includeAuthorizedOperations: v >= 3,
    })
    expect(roundTrip(encodeDescribeGroupsResponse, decodeDescribeGroupsResponse, v, flexible, response)).toEqual(responseAt(v))
  })

  it.each(kafkajsVersions('describeGroups'))('matches kafkajs at v%i: its request bytes are ours, and it reads our response', async (v) => {
    const kafkajs = await kafkajsRequestBody('describeGroups', v, { groupIds: request.groups })
    expect(decodeAt(decodeDescribeGroupsRequest, v, false, kafkajs)).toEqual({ ...request, includeAuthorizedOperations: false })
    expect(encodeAt(encodeDescribeGroupsRequest, v, false, request)).toEqual(kafkajs)
    const decoded = await kafkajsDecodeResponse('describeGroups', v, encodeAt(encodeDescribeGroupsResponse, v, false, response))
    expect(decoded).toMatchObject({
      groups: response.groups.map((g) => ({
        errorCode: g.errorCode,
        groupId: g.groupId,
        state: g.groupState,
        protocolType: g.protocolType,
        protocol: g.protocolData,
        members: g.members.map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: m.memberMetadata,
          memberAssignment: m.memberAssignment,
        })),
      })),
    })
  })

  it('writes v5 in the flexible layout', () => {
    const one: DescribeGroupsResponse = {
      throttleTimeMs: 0,
      groups: [{ ...response.groups[1]!, groupState: 'Empty', authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED }],
    }
    expect(encodeAt(encodeDescribeGroupsResponse, 5, true, one)).toEqual(
      Buffer.concat([
        bytesOf.int32(0),
        bytesOf.compactCount(1),
        bytesOf.int16(0),
        bytesOf.compact('audit'),
        bytesOf.compact('Empty'),
        bytesOf.compact(''),
        bytesOf.compact(''),
        bytesOf.compactCount(0),
        bytesOf.int32(AUTHORIZED_OPERATIONS_OMITTED),
        bytesOf.noTags(),
        bytesOf.noTags(),
      ]),
    )
  })

  it('writes v6 with the error message after the error code', () => {
    const one: DescribeGroupsResponse = {
      throttleTimeMs: 0,
      groups: [
        {
          ...response.groups[1]!,
          errorCode: 69,
          errorMessage: 'Group audit not found.',
          authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
        },
      ],
    }
    expect(roundTrip(encodeDescribeGroupsResponse, decodeDescribeGroupsResponse, 6, true, one)).toEqual(one)
    expect(encodeAt(encodeDescribeGroupsResponse, 6, true, one)).toEqual(
      Buffer.concat([
        bytesOf.int32(0),
        bytesOf.compactCount(1),
        bytesOf.int16(69),
        bytesOf.compact('Group audit not found.'),
        bytesOf.compact('audit'),
        bytesOf.compact('Dead'),
        bytesOf.compact(''),
        bytesOf.compact(''),
        bytesOf.compactCount(0),
        bytesOf.int32(AUTHORIZED_OPERATIONS_OMITTED),
        bytesOf.noTags(),
        bytesOf.noTags(),
      ]),
    )
  })

  it('matches @platformatic/kafka at v5: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(describeGroupsV5, request.groups, request.includeAuthorizedOperations)
    expect(decodeAt(decodeDescribeGroupsRequest, 5, true, platformatic)).toEqual(request)
    expect(encodeAt(encodeDescribeGroupsRequest, 5, true, request)).toEqual(platformatic)
    expect(platformaticParseResponse(describeGroupsV5, 15, 5, encodeAt(encodeDescribeGroupsResponse, 5, true, response))).toEqual({
      ...response,
      groups: response.groups.map(({ errorMessage: _, ...g }) => g),
    })
  })
})
