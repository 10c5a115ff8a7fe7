import { syncGroupV5 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeSyncGroupRequest,
  decodeSyncGroupResponse,
  encodeSyncGroupRequest,
  encodeSyncGroupResponse,
  syncGroupVersions,
  type SyncGroupRequest,
  type SyncGroupResponse,
} from '../../../../../core/kafka/protocol/apis/sync-group.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody, kafkajsVersions } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request: SyncGroupRequest = {
  groupId: 'orders-sink',
  generationId: 9,
  memberId: 'leader-1',
  groupInstanceId: 'worker-1',
  protocolType: 'consumer',
  protocolName: 'roundrobin',
  assignments: [
    { memberId: 'leader-1', assignment: Buffer.from([0, 0, 0, 0, 0, 1]) },
    { memberId: 'follower-2', assignment: Buffer.from('f2') },
  ],
}
const response: SyncGroupResponse = {
  throttleTimeMs: 8,
  errorCode: 0,
  protocolType: 'consumer',
  protocolName: 'roundrobin',
  assignment: Buffer.from([0, 0, 0, 0, 0, 2, 9]),
}
const requestAt = (v: number): SyncGroupRequest => ({
  ...request,
  groupInstanceId: v >= 3 ? request.groupInstanceId : null,
  protocolType: v >= 5 ? request.protocolType : null,
  protocolName: v >= 5 ? request.protocolName : null,
})
const responseAt = (v: number): SyncGroupResponse => ({
  ...response,
  throttleTimeMs: v >= 1 ? response.throttleTimeMs : 0,
  protocolType: v >= 5 ? response.protocolType : null,
  protocolName: v >= 5 ? response.protocolName : null,
})

describe('SyncGroup codec', () => {
  it.each(eachVersion(syncGroupVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeSyncGroupRequest, decodeSyncGroupRequest, v, flexible, request)).toEqual(requestAt(v))
    expect(roundTrip(encodeSyncGroupResponse, decodeSyncGroupResponse, v, flexible, response)).toEqual(responseAt(v))
  })

  it.each(kafkajsVersions('syncGroup'))('matches kafkajs at v%i: its request bytes are ours, and it reads our response', async (v) => {
    const kafkajs = await kafkajsRequestBody('syncGroup', v, {
      groupId: request.groupId,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
      groupAssignment: request.assignments.map((a) => ({ memberId: a.memberId, memberAssignment: a.assignment })),
    })
    expect(decodeAt(decodeSyncGroupRequest, v, false, kafkajs)).toEqual(requestAt(v))
    expect(encodeAt(encodeSyncGroupRequest, v, false, requestAt(v))).toEqual(kafkajs)
    const decoded = await kafkajsDecodeResponse('syncGroup', v, encodeAt(encodeSyncGroupResponse, v, false, response))
    expect(decoded).toMatchObject({ errorCode: 0, memberAssignment: response.assignment })
  })

  it('writes v5 in the flexible layout, with the protocol type and name', () => {
    const one: SyncGroupRequest = { ...request, groupInstanceId: null, assignments: [{ memberId: 'a', assignment: Buffer.from('x') }] }
    expect(encodeAt(encodeSyncGroupRequest, 5, true, one)).toEqual(
      Buffer.concat([
        bytesOf.compact('orders-sink'),
        bytesOf.int32(9),
        bytesOf.compact('leader-1'),
        bytesOf.compact(null),
        bytesOf.compact('consumer'),
        bytesOf.compact('roundrobin'),
        bytesOf.compactCount(1),
        bytesOf.compact('a'),
        bytesOf.compact(Buffer.from('x')),
        bytesOf.noTags(),
        bytesOf.noTags(),
      ]),
    )
  })

  it('matches @platformatic/kafka at v5: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(
      syncGroupV5,
      request.groupId,
      request.generationId,
      request.memberId,
      request.groupInstanceId,
      request.protocolType,
      request.protocolName,
      [...request.assignments],
    )
    expect(decodeAt(decodeSyncGroupRequest, 5, true, platformatic)).toEqual(request)
    expect(encodeAt(encodeSyncGroupRequest, 5, true, request)).toEqual(platformatic)
    expect(platformaticParseResponse(syncGroupV5, 14, 5, encodeAt(encodeSyncGroupResponse, 5, true, response))).toEqual(response)
  })
})
