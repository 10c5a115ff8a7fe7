import { joinGroupV9 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeJoinGroupRequest,
  decodeJoinGroupResponse,
  encodeJoinGroupRequest,
  encodeJoinGroupResponse,
  joinGroupVersions,
  type JoinGroupRequest,
  type JoinGroupResponse,
} from '../../../../../core/kafka/protocol/apis/join-group.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody, kafkajsVersions } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request: JoinGroupRequest = {
  groupId: 'orders-sink',
  sessionTimeoutMs: 30_000,
  rebalanceTimeoutMs: 60_000,
  memberId: 'kafkajs-5b1d',
  groupInstanceId: 'worker-7',
  protocolType: 'consumer',
  protocols: [
    { name: 'range', metadata: Buffer.from([0, 0, 0, 0, 0, 1, 0, 1, 0x61]) },
    { name: 'roundrobin', metadata: Buffer.from('rr') },
  ],
  reason: 'rebalance needed',
}
const response: JoinGroupResponse = {
  throttleTimeMs: 12,
  errorCode: 0,
  generationId: 7,
  protocolType: 'consumer',
  protocolName: 'range',
  leader: 'kafkajs-5b1d',
  skipAssignment: true,
  memberId: 'kafkajs-5b1d',
  members: [
    { memberId: 'kafkajs-5b1d', groupInstanceId: 'worker-7', metadata: Buffer.from('m1') },
    { memberId: 'java-9', groupInstanceId: null, metadata: Buffer.alloc(0) },
  ],
}

/** What a version carries: fields it lacks come back as Kafka's defaults. */
const requestAt = (v: number): JoinGroupRequest => ({
  ...request,
  rebalanceTimeoutMs: v >= 1 ? request.rebalanceTimeoutMs : -1,
  groupInstanceId: v >= 5 ? request.groupInstanceId : null,
  reason: v >= 8 ? request.reason : null,
})
const responseAt = (v: number): JoinGroupResponse => ({
  ...response,
  throttleTimeMs: v >= 2 ? response.throttleTimeMs : 0,
  protocolType: v >= 7 ? response.protocolType : null,
  skipAssignment: v >= 9 ? response.skipAssignment : false,
  members: response.members.map((m) => ({ ...m, groupInstanceId: v >= 5 ? m.groupInstanceId : null })),
})

describe('JoinGroup codec', () => {
  it.each(eachVersion(joinGroupVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeJoinGroupRequest, decodeJoinGroupRequest, v, flexible, request)).toEqual(requestAt(v))
    expect(roundTrip(encodeJoinGroupResponse, decodeJoinGroupResponse, v, flexible, response)).toEqual(responseAt(v))
  })

  it('keeps a null protocol name in v7 (an error answer) and writes it as "" before', () => {
    const failed: JoinGroupResponse = {
      ...response,
      skipAssignment: false,
      errorCode: 79,
      generationId: -1,
      protocolType: null,
      protocolName: null,
      leader: '',
      members: [],
    }
    expect(roundTrip(encodeJoinGroupResponse, decodeJoinGroupResponse, 7, true, failed)).toEqual(failed)
    expect(roundTrip(encodeJoinGroupResponse, decodeJoinGroupResponse, 5, false, failed)).toMatchObject({ protocolName: '' })
  })

  it.each(kafkajsVersions('joinGroup'))('matches kafkajs at v%i: its request bytes are ours, and it reads our response', async (v) => {
    const kafkajs = await kafkajsRequestBody('joinGroup', v, {
      groupId: request.groupId,
      sessionTimeout: request.sessionTimeoutMs,
      rebalanceTimeout: request.rebalanceTimeoutMs,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
      protocolType: request.protocolType,
      groupProtocols: request.protocols,
    })
    expect(decodeAt(decodeJoinGroupRequest, v, false, kafkajs)).toEqual(requestAt(v))
    expect(encodeAt(encodeJoinGroupRequest, v, false, request)).toEqual(kafkajs)
    const decoded = await kafkajsDecodeResponse('joinGroup', v, encodeAt(encodeJoinGroupResponse, v, false, response))
    expect(decoded).toMatchObject({
      errorCode: 0,
      generationId: 7,
      groupProtocol: 'range',
      leaderId: response.leader,
      memberId: response.memberId,
      members: response.members.map((m) => ({
        memberId: m.memberId,
        memberMetadata: m.metadata,
        ...(v >= 5 ? { groupInstanceId: m.groupInstanceId } : {}),
      })),
    })
  })

  it('writes v6 in the flexible layout: compact strings and bytes, a tag section per struct', () => {
    const one: JoinGroupRequest = { ...request, groupInstanceId: null, protocols: [{ name: 'range', metadata: Buffer.from('md') }] }
    expect(encodeAt(encodeJoinGroupRequest, 6, true, one)).toEqual(
      Buffer.concat([
        bytesOf.compact('orders-sink'),
        bytesOf.int32(30_000),
        bytesOf.int32(60_000),
        bytesOf.compact('kafkajs-5b1d'),
        bytesOf.compact(null),
        bytesOf.compact('consumer'),
        bytesOf.compactCount(1),
        bytesOf.compact('range'),
        bytesOf.compact(Buffer.from('md')),
        bytesOf.noTags(),
        bytesOf.noTags(),
      ]),
    )
  })

  it('writes v8 with the reason after the protocols, and v9 with skip_assignment after the leader', () => {
    const small: JoinGroupRequest = {
      groupId: 'g',
      sessionTimeoutMs: 1,
      rebalanceTimeoutMs: 2,
      memberId: '',
      groupInstanceId: null,
      protocolType: 'c',
      protocols: [],
      reason: 'r',
    }
    expect(encodeAt(encodeJoinGroupRequest, 8, true, small)).toEqual(
      Buffer.concat([
        bytesOf.compact('g'),
        bytesOf.int32(1),
        bytesOf.int32(2),
        bytesOf.compact(''),
        bytesOf.compact(null),
        bytesOf.compact('c'),
        bytesOf.compactCount(0),
        bytesOf.compact('r'),
        bytesOf.noTags(),
      ]),
    )
    const answer: JoinGroupResponse = {
      throttleTimeMs: 0,
      errorCode: 0,
      generationId: 1,
      protocolType: 'c',
      protocolName: 'p',
      leader: 'm',
      skipAssignment: false,
      memberId: 'm',
      members: [],
    }
    expect(encodeAt(encodeJoinGroupResponse, 9, true, answer)).toEqual(
      Buffer.concat([
        bytesOf.int32(0),
        bytesOf.int16(0),
        bytesOf.int32(1),
        bytesOf.compact('c'),
        bytesOf.compact('p'),
        bytesOf.compact('m'),
        bytesOf.int8(0),
        bytesOf.compact('m'),
        bytesOf.compactCount(0),
        bytesOf.noTags(),
      ]),
    )
  })

  it('matches @platformatic/kafka at v9: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(
      joinGroupV9,
      request.groupId,
      request.sessionTimeoutMs,
      request.rebalanceTimeoutMs,
      request.memberId,
      request.groupInstanceId,
      request.protocolType,
      [...request.protocols],
      request.reason,
    )
    expect(decodeAt(decodeJoinGroupRequest, 9, true, platformatic)).toEqual(request)
    expect(encodeAt(encodeJoinGroupRequest, 9, true, request)).toEqual(platformatic)
    const { throttleTimeMs, errorCode, generationId, protocolType, protocolName, leader, skipAssignment, memberId, members } = response
    expect(platformaticParseResponse(joinGroupV9, 11, 9, encodeAt(encodeJoinGroupResponse, 9, true, response))).toEqual({
      throttleTimeMs,
      errorCode,
      generationId,
      protocolType,
      protocolName,
      leader,
      skipAssignment,
      memberId,
      members,
    })
  })
})
