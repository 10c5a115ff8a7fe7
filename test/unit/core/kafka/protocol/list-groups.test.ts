import { listGroupsV4 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeListGroupsRequest,
  decodeListGroupsResponse,
  encodeListGroupsRequest,
  encodeListGroupsResponse,
  listGroupsVersions,
  type ListGroupsResponse,
} from '../../../../../core/kafka/protocol/apis/list-groups.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody, kafkajsVersions } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request = { statesFilter: ['Stable', 'Empty'], typesFilter: ['classic'] }
const response: ListGroupsResponse = {
  throttleTimeMs: 1,
  errorCode: 0,
  groups: [
    { groupId: 'orders-sink', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' },
    { groupId: 'connect-cluster', protocolType: 'connect', groupState: 'Empty', groupType: 'classic' },
  ],
}
const responseAt = (v: number): ListGroupsResponse => ({
  ...response,
  throttleTimeMs: v >= 1 ? 1 : 0,
  groups: response.groups.map((g) => ({ ...g, groupState: v >= 4 ? g.groupState : '', groupType: v >= 5 ? g.groupType : '' })),
})

describe('ListGroups codec', () => {
  it.each(eachVersion(listGroupsVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeListGroupsRequest, decodeListGroupsRequest, v, flexible, request)).toEqual({
      statesFilter: v >= 4 ? request.statesFilter : [],
      typesFilter: v >= 5 ? request.typesFilter : [],
    })
    expect(roundTrip(encodeListGroupsResponse, decodeListGroupsResponse, v, flexible, response)).toEqual(responseAt(v))
  })

  it.each(kafkajsVersions('listGroups'))('matches kafkajs at v%i: its request bytes are ours, and it reads our response', async (v) => {
    const kafkajs = await kafkajsRequestBody('listGroups', v, {})
    expect(decodeAt(decodeListGroupsRequest, v, false, kafkajs)).toEqual({ statesFilter: [], typesFilter: [] })
    expect(encodeAt(encodeListGroupsRequest, v, false, request)).toEqual(kafkajs)
    const decoded = await kafkajsDecodeResponse('listGroups', v, encodeAt(encodeListGroupsResponse, v, false, response))
    expect(decoded).toMatchObject({
      errorCode: 0,
      groups: response.groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType })),
    })
  })

  it('writes v3 as an empty tagged struct, v4 with the states filter and v5 with the types filter', () => {
    expect(encodeAt(encodeListGroupsRequest, 3, true, request)).toEqual(bytesOf.noTags())
    expect(encodeAt(encodeListGroupsRequest, 4, true, { statesFilter: ['Empty'], typesFilter: ['classic'] })).toEqual(
      Buffer.concat([bytesOf.compactCount(1), bytesOf.compact('Empty'), bytesOf.noTags()]),
    )
    expect(encodeAt(encodeListGroupsRequest, 5, true, { statesFilter: [], typesFilter: ['classic'] })).toEqual(
      Buffer.concat([bytesOf.compactCount(0), bytesOf.compactCount(1), bytesOf.compact('classic'), bytesOf.noTags()]),
    )
  })

  it('writes the group type after the state from v5', () => {
    const group = { groupId: 'g', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' }
    const body = encodeAt(encodeListGroupsResponse, 5, true, { throttleTimeMs: 0, errorCode: 0, groups: [group] })
    expect(body.subarray(body.length - 'classic'.length - 3)).toEqual(
      Buffer.concat([bytesOf.compact('classic'), bytesOf.noTags(), bytesOf.noTags()]),
    )
  })

  it('matches @platformatic/kafka at v4: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(listGroupsV4, request.statesFilter)
    expect(decodeAt(decodeListGroupsRequest, 4, true, platformatic)).toEqual({ ...request, typesFilter: [] })
    expect(encodeAt(encodeListGroupsRequest, 4, true, request)).toEqual(platformatic)
    expect(platformaticParseResponse(listGroupsV4, 16, 4, encodeAt(encodeListGroupsResponse, 4, true, response))).toEqual({
      ...response,
      groups: response.groups.map(({ groupType: _, ...g }) => g),
    })
  })
})
