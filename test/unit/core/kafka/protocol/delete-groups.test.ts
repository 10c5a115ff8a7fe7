import { deleteGroupsV2 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeDeleteGroupsRequest,
  decodeDeleteGroupsResponse,
  deleteGroupsVersions,
  encodeDeleteGroupsRequest,
  encodeDeleteGroupsResponse,
  type DeleteGroupsResponse,
} from '../../../../../core/kafka/protocol/apis/delete-groups.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody, kafkajsVersions } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request = { groupsNames: ['orders-sink', 'old-group', 'busy'] }
const response: DeleteGroupsResponse = {
  throttleTimeMs: 7,
  results: [
    { groupId: 'orders-sink', errorCode: 0 },
    { groupId: 'old-group', errorCode: 69 },
    { groupId: 'busy', errorCode: 68 },
  ],
}

describe('DeleteGroups codec', () => {
  it.each(eachVersion(deleteGroupsVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeDeleteGroupsRequest, decodeDeleteGroupsRequest, v, flexible, request)).toEqual(request)
    expect(roundTrip(encodeDeleteGroupsResponse, decodeDeleteGroupsResponse, v, flexible, response)).toEqual(response)
  })

  it.each(kafkajsVersions('deleteGroups'))('matches kafkajs at v%i: its request bytes are ours, and it reads our response', async (v) => {
    const kafkajs = await kafkajsRequestBody('deleteGroups', v, request.groupsNames)
    expect(decodeAt(decodeDeleteGroupsRequest, v, false, kafkajs)).toEqual(request)
    expect(encodeAt(encodeDeleteGroupsRequest, v, false, request)).toEqual(kafkajs)
    const decoded = await kafkajsDecodeResponse('deleteGroups', v, encodeAt(encodeDeleteGroupsResponse, v, false, response))
    expect(decoded).toMatchObject({ throttleTimeMs: 7, results: response.results })
  })

  it('writes v2 in the flexible layout', () => {
    expect(encodeAt(encodeDeleteGroupsResponse, 2, true, { throttleTimeMs: 0, results: [{ groupId: 'g', errorCode: 68 }] })).toEqual(
      Buffer.concat([
        bytesOf.int32(0),
        bytesOf.compactCount(1),
        bytesOf.compact('g'),
        bytesOf.int16(68),
        bytesOf.noTags(),
        bytesOf.noTags(),
      ]),
    )
  })

  it('matches @platformatic/kafka at v2: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(deleteGroupsV2, request.groupsNames)
    expect(decodeAt(decodeDeleteGroupsRequest, 2, true, platformatic)).toEqual(request)
    expect(encodeAt(encodeDeleteGroupsRequest, 2, true, request)).toEqual(platformatic)
    const deleted: DeleteGroupsResponse = { ...response, results: response.results.map((r) => ({ ...r, errorCode: 0 })) }
    expect(platformaticParseResponse(deleteGroupsV2, 42, 2, encodeAt(encodeDeleteGroupsResponse, 2, true, deleted))).toEqual(deleted)
  })
})
