/**
 * SyncGroup (key 14), versions 0-5; flexible from 4.
 *
 * SyncGroup Request (Version: 0-5) => group_id generation_id member_id group_instance_id:nullable_string(3+)
 *   protocol_type:nullable_string(5+) protocol_name:nullable_string(5+) [assignments] TAG_BUFFER(4)
 *   assignments => member_id assignment:bytes TAG_BUFFER(4)
 * SyncGroup Response (Version: 0-5) => throttle_time_ms(1+) error_code protocol_type:nullable_string(5+)
 *   protocol_name:nullable_string(5+) assignment:bytes TAG_BUFFER(4)
 * The leader sends every member's assignment; followers send none and wait for theirs.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const syncGroupVersions = { min: 0, max: 5, flexibleFrom: 4 } as const

export interface SyncGroupAssignment {
  readonly memberId: string
  readonly assignment: Buffer
}

export interface SyncGroupRequest {
  readonly groupId: string
  readonly generationId: number
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly protocolType: string | null
  readonly protocolName: string | null
  readonly assignments: readonly SyncGroupAssignment[]
}

export interface SyncGroupResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
  readonly protocolType: string | null
  readonly protocolName: string | null
  readonly assignment: Buffer
}

export function decodeSyncGroupRequest(r: KafkaReader, v: number): SyncGroupRequest {
  const groupId = r.string()
  const generationId = r.int32()
  const memberId = r.string()
  const groupInstanceId = v >= 3 ? r.nullableString() : null
  const protocolType = v >= 5 ? r.nullableString() : null
  const protocolName = v >= 5 ? r.nullableString() : null
  const assignments = r.array((a) => {
    const assignment = { memberId: a.string(), assignment: a.bytes() }
    a.taggedFields()
    return assignment
  })
  r.taggedFields()
  return { groupId, generationId, memberId, groupInstanceId, protocolType, protocolName, assignments }
}

export function encodeSyncGroupRequest(w: KafkaWriter, v: number, request: SyncGroupRequest): void {
  w.string(request.groupId).int32(request.generationId).string(request.memberId)
  if (v >= 3) w.nullableString(request.groupInstanceId)
  if (v >= 5) w.nullableString(request.protocolType).nullableString(request.protocolName)
  w.array(request.assignments, (a, assignment) => a.string(assignment.memberId).bytes(assignment.assignment).taggedFields())
  w.taggedFields()
}

export function encodeSyncGroupResponse(w: KafkaWriter, v: number, response: SyncGroupResponse): void {
  if (v >= 1) w.int32(response.throttleTimeMs)
  w.int16(response.errorCode)
  if (v >= 5) w.nullableString(response.protocolType).nullableString(response.protocolName)
  w.bytes(response.assignment).taggedFields()
}

export function decodeSyncGroupResponse(r: KafkaReader, v: number): SyncGroupResponse {
  const throttleTimeMs = v >= 1 ? r.int32() : 0
  const errorCode = r.int16()
  const protocolType = v >= 5 ? r.nullableString() : null
  const protocolName = v >= 5 ? r.nullableString() : null
  const assignment = r.bytes()
  r.taggedFields()
  return { throttleTimeMs, errorCode, protocolType, protocolName, assignment }
}
