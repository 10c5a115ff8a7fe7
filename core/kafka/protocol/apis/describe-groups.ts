/**
 * DescribeGroups (key 15), versions 0-6; flexible from 5.
 *
 * DescribeGroups Request (Version: 0-6) => [groups:string] include_authorized_operations:bool(3+) TAG_BUFFER(5)
 * DescribeGroups Response (Version: 0-6) => throttle_time_ms(1+) [groups] TAG_BUFFER(5)
 *   groups => error_code error_message:nullable_string(6+) group_id group_state protocol_type protocol_data [members]
 *     authorized_operations:int32(3+) TAG_BUFFER(5)
 *     members => member_id group_instance_id:nullable_string(4+) client_id client_host
 *       member_metadata:bytes member_assignment:bytes TAG_BUFFER(5)
 * protocol_data is the chosen protocol's name (the assignor, for consumers). authorized_operations
 * is a bit per ACL operation, INT32_MIN when the client did not ask for it. From v6 a group that does
 * not exist is GROUP_ID_NOT_FOUND with a message, where older versions describe it as Dead.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const describeGroupsVersions = { min: 0, max: 6, flexibleFrom: 5 } as const

/** authorized_operations when they were not asked for. */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648

export interface DescribeGroupsRequest {
  readonly groups: readonly string[]
  readonly includeAuthorizedOperations: boolean
}

export interface DescribedGroupMember {
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly clientId: string
  readonly clientHost: string
  readonly memberMetadata: Buffer
  readonly memberAssignment: Buffer
}

export interface DescribedGroup {
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly groupId: string
  readonly groupState: string
  readonly protocolType: string
  readonly protocolData: string
  readonly members: readonly DescribedGroupMember[]
  readonly authorizedOperations: number
}

export interface DescribeGroupsResponse {
  readonly throttleTimeMs: number
  readonly groups: readonly DescribedGroup[]
}

export function decodeDescribeGroupsRequest(r: KafkaReader, v: number): DescribeGroupsRequest {
  const groups = r.array((g) => g.string())
  const includeAuthorizedOperations = v >= 3 ? r.bool() : false
  r.taggedFields()
  return { groups, includeAuthorizedOperations }
}

export function encodeDescribeGroupsRequest(w: KafkaWriter, v: number, request: DescribeGroupsRequest): void {
  w.array(request.groups, (g, group) => g.string(group))
  if (v >= 3) w.bool(request.includeAuthorizedOperations)
  w.taggedFields()
}

export function encodeDescribeGroupsResponse(w: KafkaWriter, v: number, response: DescribeGroupsResponse): void {
  if (v >= 1) w.int32(response.throttleTimeMs)
  w.array(response.groups, (g, group) => {
    g.int16(group.errorCode)
    if (v >= 6) g.nullableString(group.errorMessage)
    g.string(group.groupId).string(group.groupState).string(group.protocolType).string(group.protocolData)
    g.array(group.members, (m, member) => {
      m.string(member.memberId)
      if (v >= 4) m.nullableString(member.groupInstanceId)
      m.string(member.clientId).string(member.clientHost).bytes(member.memberMetadata).bytes(member.memberAssignment).taggedFields()
    })
    if (v >= 3) g.int32(group.authorizedOperations)
    g.taggedFields()
  })
  w.taggedFields()
}

export function decodeDescribeGroupsResponse(r: KafkaReader, v: number): DescribeGroupsResponse {
  const throttleTimeMs = v >= 1 ? r.int32() : 0
  const groups = r.array((g): DescribedGroup => {
    const errorCode = g.int16()
    const errorMessage = v >= 6 ? g.nullableString() : null
    const groupId = g.string()
    const groupState = g.string()
    const protocolType = g.string()
    const protocolData = g.string()
    const members = g.array((m): DescribedGroupMember => {
      const memberId = m.string()
      const groupInstanceId = v >= 4 ? m.nullableString() : null
      const member = {
        memberId,
        groupInstanceId,
        clientId: m.string(),
        clientHost: m.string(),
        memberMetadata: m.bytes(),
        memberAssignment: m.bytes(),
      }
      m.taggedFields()
      return member
    })
    const authorizedOperations = v >= 3 ? g.int32() : AUTHORIZED_OPERATIONS_OMITTED
    g.taggedFields()
    return { errorCode, errorMessage, groupId, groupState, protocolType, protocolData, members, authorizedOperations }
  })
  r.taggedFields()
  return { throttleTimeMs, groups }
}
