import { leaveGroupV5 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeLeaveGroupRequest,
  decodeLeaveGroupResponse,
  encodeLeaveGroupRequest,
  encodeLeaveGroupResponse,
  leaveGroupVersions,
  type LeaveGroupRequest,
  type LeaveGroupResponse,
} from '../../../../../core/kafka/protocol/apis/leave-group.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody, kafkajsVersions } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const batch: LeaveGroupRequest = {
  groupId: 'orders-sink',
  members: [
    { memberId: 'member-1', groupInstanceId: null, reason: null },
    { memberId: '', groupInstanceId: 'worker-2', reason: 'shutting down' },
  ],
}
const single: LeaveGroupRequest = { groupId: 'orders-sink', members: [{ memberId: 'member-1', groupInstanceId: null, reason: null }] }
/** Reasons travel from v5. */
const requestAt = (v: number, request: LeaveGroupRequest): LeaveGroupRequest => ({
  ...request,
  members: request.members.map((m) => ({ ...m, reason: v >= 5 ? m.reason : null })),
})
const response: LeaveGroupResponse = {
  throttleTimeMs: 4,
  errorCode: 0,
  members: [
    { memberId: 'member-1', groupInstanceId: null, errorCode: 0 },
    { memberId: '', groupInstanceId: 'worker-2', errorCode: 25 },
  ],
}
const responseAt = (v: number): LeaveGroupResponse => ({
  throttleTimeMs: v >= 1 ? 4 : 0,
  errorCode: 0,
  members: v >= 3 ? response.members : [],
})

describe('LeaveGroup codec', () => {
  it.each(eachVersion(leaveGroupVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    const request = v >= 3 ? batch : single
    expect(roundTrip(encodeLeaveGroupRequest, decodeLeaveGroupRequest, v, flexible, request)).toEqual(requestAt(v, request))
    expect(roundTrip(encodeLeaveGroupResponse, decodeLeaveGroupResponse, v, flexible, response)).toEqual(responseAt(v))
  })

  it.each(kafkajsVersions('leaveGroup'))('matches kafkajs at v%i: its request bytes are ours, and it reads our response', async (v) => {
    const request = v >= 3 ? batch : single
    const kafkajs = await kafkajsRequestBody('leaveGroup', v, {
      groupId: request.groupId,
      memberId: 'member-1',
      members: request.members.map(({ memberId, groupInstanceId }) => ({ memberId, groupInstanceId })),
    })
    expect(decodeAt(decodeLeaveGroupRequest, v, false, kafkajs)).toEqual(requestAt(v, request))
    expect(encodeAt(encodeLeaveGroupRequest, v, false, requestAt(v, request))).toEqual(kafkajs)
    const decoded = await kafkajsDecodeResponse('leaveGroup', v, encodeAt(encodeLeaveGroupResponse, v, false, response))
    expect(decoded).toMatchObject({ errorCode: 0, ...(v >= 3 ? { members: response.members } : {}) })
  })

  it('writes v4 in the flexible layout', () => {
    expect(encodeAt(encodeLeaveGroupRequest, 4, true, batch)).toEqual(
      Buffer.concat([
        bytesOf.compact('orders-sink'),
        bytesOf.compactCount(2),
        bytesOf.compact('member-1'),
        bytesOf.compact(null),
        bytesOf.noTags(),
        bytesOf.compact(''),
        bytesOf.compact('worker-2'),
        bytesOf.noTags(),
        bytesOf.noTags(),
      ]),
    )
  })

  it("writes v5 with each member's reason", () => {
    expect(encodeAt(encodeLeaveGroupRequest, 5, true, batch)).toEqual(
      Buffer.concat([
        bytesOf.compact('orders-sink'),
        bytesOf.compactCount(2),
        bytesOf.compact('member-1'),
        bytesOf.compact(null),
        bytesOf.compact(null),
        bytesOf.noTags(),
        bytesOf.compact(''),
        bytesOf.compact('worker-2'),
        bytesOf.compact('shutting down'),
        bytesOf.noTags(),
        bytesOf.noTags(),
      ]),
    )
  })

  it('matches @platformatic/kafka at v5: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(leaveGroupV5, batch.groupId, [...batch.members])
    expect(decodeAt(decodeLeaveGroupRequest, 5, true, platformatic)).toEqual(batch)
    expect(encodeAt(encodeLeaveGroupRequest, 5, true, batch)).toEqual(platformatic)
    const left: LeaveGroupResponse = { ...response, members: response.members.map((m) => ({ ...m, errorCode: 0 })) }
    expect(platformaticParseResponse(leaveGroupV5, 13, 5, encodeAt(encodeLeaveGroupResponse, 5, true, left))).toEqual(left)
  })
})
