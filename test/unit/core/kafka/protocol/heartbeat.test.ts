import { heartbeatV4 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeHeartbeatRequest,
  decodeHeartbeatResponse,
  encodeHeartbeatRequest,
  encodeHeartbeatResponse,
  heartbeatVersions,
  type HeartbeatRequest,
} from '../../../../../core/kafka/protocol/apis/heartbeat.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody, kafkajsVersions } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request: HeartbeatRequest = { groupId: 'orders-sink', generationId: 12, memberId: 'member-3', groupInstanceId: 'worker-3' }
const requestAt = (v: number): HeartbeatRequest => ({ ...request, groupInstanceId: v >= 3 ? request.groupInstanceId : null })

describe('Heartbeat codec', () => {
  it.each(eachVersion(heartbeatVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeHeartbeatRequest, decodeHeartbeatRequest, v, flexible, request)).toEqual(requestAt(v))
    const response = { throttleTimeMs: 5, errorCode: 27 }
    expect(roundTrip(encodeHeartbeatResponse, decodeHeartbeatResponse, v, flexible, response)).toEqual({
      ...response,
      throttleTimeMs: v >= 1 ? 5 : 0,
    })
  })

  it.each(kafkajsVersions('heartbeat'))('matches kafkajs at v%i: its request bytes are ours, and it reads our response', async (v) => {
    const kafkajs = await kafkajsRequestBody('heartbeat', v, {
      groupId: request.groupId,
      groupGenerationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
    })
    expect(decodeAt(decodeHeartbeatRequest, v, false, kafkajs)).toEqual(requestAt(v))
    expect(encodeAt(encodeHeartbeatRequest, v, false, request)).toEqual(kafkajs)
    const decoded = await kafkajsDecodeResponse(
      'heartbeat',
      v,
      encodeAt(encodeHeartbeatResponse, v, false, { throttleTimeMs: 0, errorCode: 27 }),
    )
    expect(decoded).toMatchObject({ errorCode: 27 })
  })

  it('writes v4 in the flexible layout', () => {
    expect(encodeAt(encodeHeartbeatRequest, 4, true, request)).toEqual(
      Buffer.concat([
        bytesOf.compact('orders-sink'),
        bytesOf.int32(12),
        bytesOf.compact('member-3'),
        bytesOf.compact('worker-3'),
        bytesOf.noTags(),
      ]),
    )
    expect(encodeAt(encodeHeartbeatResponse, 4, true, { throttleTimeMs: 1, errorCode: 0 })).toEqual(
      Buffer.concat([bytesOf.int32(1), bytesOf.int16(0), bytesOf.noTags()]),
    )
  })

  it('matches @platformatic/kafka at v4: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(
      heartbeatV4,
      request.groupId,
      request.generationId,
      request.memberId,
      request.groupInstanceId,
    )
    expect(decodeAt(decodeHeartbeatRequest, 4, true, platformatic)).toEqual(request)
    expect(encodeAt(encodeHeartbeatRequest, 4, true, request)).toEqual(platformatic)
    expect(
      platformaticParseResponse(heartbeatV4, 12, 4, encodeAt(encodeHeartbeatResponse, 4, true, { throttleTimeMs: 3, errorCode: 0 })),
    ).toEqual({ throttleTimeMs: 3, errorCode: 0 })
  })
})
