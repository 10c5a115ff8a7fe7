/**
 * LeaveGroup (key 13), versions 0-5; flexible from 4.
 *
 * LeaveGroup Request (Version: 0-2) => group_id member_id
 * LeaveGroup Request (Version: 3-5) => group_id [members] TAG_BUFFER(4+)
 *   members => member_id group_instance_id:nullable_string reason:nullable_string(5+) TAG_BUFFER(4+)
 * LeaveGroup Response (Version: 0-5) => throttle_time_ms(1+) error_code [members](3+) TAG_BUFFER(4+)
 *   members => member_id group_instance_id:nullable_string error_code TAG_BUFFER(4+)
 * v3 made the request a batch (KIP-345: an admin removes static members by instance id, member_id
 * ""). Decoded, v0-2 is a batch of one; encoded, v0-2 sends the first member. v5 adds each member's
 * reason for leaving (KIP-800).
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const leaveGroupVersions = { min: 0, max: 5, flexibleFrom: 4 } as const

export interface LeavingMember {
  readonly memberId: string
  readonly groupInstanceId: string | null
}

export interface LeaveGroupRequest {
  readonly groupId: string
  /** reason: v5+. */
  readonly members: ReadonlyArray<LeavingMember & { readonly reason: string | null }>
}

export interface LeaveGroupResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
  /** v3+: each member's outcome. */
  readonly members: ReadonlyArray<LeavingMember & { readonly errorCode: number }>
}

export function decodeLeaveGroupRequest(r: KafkaReader, v: number): LeaveGroupRequest {
  const groupId = r.string()
  if (v < 3) return { groupId, members: [{ memberId: r.string(), groupInstanceId: null, reason: null }] }
  const members = r.array((m) => {
    const member = { memberId: m.string(), groupInstanceId: m.nullableString(), reason: v >= 5 ? m.nullableString() : null }
    m.taggedFields()
    return member
  })
  r.taggedFields()
  return { groupId, members }
}

export function encodeLeaveGroupRequest(w: KafkaWriter, v: number, request: LeaveGroupRequest): void {
  w.string(request.groupId)
  if (v < 3) {
    w.string(request.members[0]?.memberId ?? '')
    return
  }
  w.array(request.members, (m, member) => {
    m.string(member.memberId).nullableString(member.groupInstanceId)
    if (v >= 5) m.nullableString(member.reason)
    m.taggedFields()
  })
  w.taggedFields()
}

export function encodeLeaveGroupResponse(w: KafkaWriter, v: number, response: LeaveGroupResponse): void {
  if (v >= 1) w.int32(response.throttleTimeMs)
  w.int16(response.errorCode)
  if (v >= 3) {
    w.array(response.members, (m, member) =>
      m.string(member.memberId).nullableString(member.groupInstanceId).int16(member.errorCode).taggedFields(),
    )
  }
  w.taggedFields()
}

export function decodeLeaveGroupResponse(r: KafkaReader, v: number): LeaveGroupResponse {
  const throttleTimeMs = v >= 1 ? r.int32() : 0
  const errorCode = r.int16()
  const members =
    v < 3
      ? []
      : r.array((m) => {
          const member = { memberId: m.string(), groupInstanceId: m.nullableString(), errorCode: m.int16() }
          m.taggedFields()
          return member
        })
  r.taggedFields()
  return { throttleTimeMs, errorCode, members }
}
