/**
 * JoinGroup (key 11), versions 0-9; flexible from 6.
 *
 * JoinGroup Request (Version: 0-9) => group_id session_timeout_ms rebalance_timeout_ms(1+) member_id
 *   group_instance_id:nullable_string(5+) protocol_type [protocols] reason:nullable_string(8+) TAG_BUFFER(6+)
 *   protocols => name metadata:bytes TAG_BUFFER(6+)
 * JoinGroup Response (Version: 0-9) => throttle_time_ms(2+) error_code generation_id
 *   protocol_type:nullable_string(7+) protocol_name (nullable 7+) leader skip_assignment:bool(9+)
 *   member_id [members] TAG_BUFFER(6+)
 *   members => member_id group_instance_id:nullable_string(5+) metadata:bytes TAG_BUFFER(6+)
 * v0 has no rebalance timeout (the session timeout stands in for it; decoded as -1). From v4 a new
 * member is answered MEMBER_ID_REQUIRED with an id to join again with (KIP-394). v8 adds the
 * reason a member (re)joins (KIP-800); v9 the leader's skip_assignment (KIP-814), set when a static
 * leader comes back into a stable group: it is given the members but keeps the current assignment.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const joinGroupVersions = { min: 0, max: 9, flexibleFrom: 6 } as const

export interface JoinGroupProtocol {
  readonly name: string
  readonly metadata: Buffer
}

export interface JoinGroupRequest {
  readonly groupId: string
  readonly sessionTimeoutMs: number
  readonly rebalanceTimeoutMs: number
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly protocolType: string
  readonly protocols: readonly JoinGroupProtocol[]
  /** v8+. */
  readonly reason: string | null
}

export interface JoinGroupMember {
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly metadata: Buffer
}

export interface JoinGroupResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
  readonly generationId: number
  readonly protocolType: string | null
  readonly protocolName: string | null
  readonly leader: string
  /** v9+. */
  readonly skipAssignment: boolean
  readonly memberId: string
  readonly members: readonly JoinGroupMember[]
}

export function decodeJoinGroupRequest(r: KafkaReader, v: number): JoinGroupRequest {
  const groupId = r.string()
  const sessionTimeoutMs = r.int32()
  const rebalanceTimeoutMs = v >= 1 ? r.int32() : -1
  const memberId = r.string()
  const groupInstanceId = v >= 5 ? r.nullableString() : null
  const protocolType = r.string()
  const protocols = r.array((p) => {
    const protocol = { name: p.string(), metadata: p.bytes() }
    p.taggedFields()
    return protocol
  })
  const reason = v >= 8 ? r.nullableString() : null
  r.taggedFields()
  return { groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, groupInstanceId, protocolType, protocols, reason }
}

export function encodeJoinGroupRequest(w: KafkaWriter, v: number, request: JoinGroupRequest): void {
  w.string(request.groupId).int32(request.sessionTimeoutMs)
  if (v >= 1) w.int32(request.rebalanceTimeoutMs)
  w.string(request.memberId)
  if (v >= 5) w.nullableString(request.groupInstanceId)
  w.string(request.protocolType)
  w.array(request.protocols, (p, protocol) => p.string(protocol.name).bytes(protocol.metadata).taggedFields())
  if (v >= 8) w.nullableString(request.reason)
  w.taggedFields()
}

export function encodeJoinGroupResponse(w: KafkaWriter, v: number, response: JoinGroupResponse): void {
  if (v >= 2) w.int32(response.throttleTimeMs)
  w.int16(response.errorCode).int32(response.generationId)
  if (v >= 7) w.nullableString(response.protocolType).nullableString(response.protocolName)
  else w.string(response.protocolName ?? '')
  w.string(response.leader)
  if (v >= 9) w.bool(response.skipAssignment)
  w.string(response.memberId)
  w.array(response.members, (m, member) => {
    m.string(member.memberId)
    if (v >= 5) m.nullableString(member.groupInstanceId)
    m.bytes(member.metadata).taggedFields()
  })
  w.taggedFields()
}

export function decodeJoinGroupResponse(r: KafkaReader, v: number): JoinGroupResponse {
  const throttleTimeMs = v >= 2 ? r.int32() : 0
  const errorCode = r.int16()
  const generationId = r.int32()
  const protocolType = v >= 7 ? r.nullableString() : null
  const protocolName = v >= 7 ? r.nullableString() : r.string()
  const leader = r.string()
  const skipAssignment = v >= 9 ? r.bool() : false
  const memberId = r.string()
  const members = r.array((m) => {
    const member = { memberId: m.string(), groupInstanceId: v >= 5 ? m.nullableString() : null, metadata: m.bytes() }
    m.taggedFields()
    return member
  })
  r.taggedFields()
  return { throttleTimeMs, errorCode, generationId, protocolType, protocolName, leader, skipAssignment, memberId, members }
}
