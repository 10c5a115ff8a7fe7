/**
 * Heartbeat (key 12), versions 0-4; flexible from 4.
 *
 * Heartbeat Request (Version: 0-4) => group_id generation_id member_id group_instance_id:nullable_string(3+)
 *   TAG_BUFFER(4)
 * Heartbeat Response (Version: 0-4) => throttle_time_ms(1+) error_code TAG_BUFFER(4)
 * REBALANCE_IN_PROGRESS in the answer is how a member learns it must join again.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const heartbeatVersions = { min: 0, max: 4, flexibleFrom: 4 } as const

export interface HeartbeatRequest {
  readonly groupId: string
  readonly generationId: number
  readonly memberId: string
  readonly groupInstanceId: string | null
}

export interface HeartbeatResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
}

export function decodeHeartbeatRequest(r: KafkaReader, v: number): HeartbeatRequest {
  const groupId = r.string()
  const generationId = r.int32()
  const memberId = r.string()
  const groupInstanceId = v >= 3 ? r.nullableString() : null
  r.taggedFields()
  return { groupId, generationId, memberId, groupInstanceId }
}

export function encodeHeartbeatRequest(w: KafkaWriter, v: number, request: HeartbeatRequest): void {
  w.string(request.groupId).int32(request.generationId).string(request.memberId)
  if (v >= 3) w.nullableString(request.groupInstanceId)
  w.taggedFields()
}

export function encodeHeartbeatResponse(w: KafkaWriter, v: number, response: HeartbeatResponse): void {
  if (v >= 1) w.int32(response.throttleTimeMs)
  w.int16(response.errorCode).taggedFields()
}

export function decodeHeartbeatResponse(r: KafkaReader, v: number): HeartbeatResponse {
  const throttleTimeMs = v >= 1 ? r.int32() : 0
  const errorCode = r.int16()
  r.taggedFields()
  return { throttleTimeMs, errorCode }
}
