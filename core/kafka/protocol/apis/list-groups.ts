/**
 * ListGroups (key 16), versions 0-5; flexible from 3.
 *
 * ListGroups Request (Version: 0-2) => (empty)
 * ListGroups Request (Version: 3-5) => [states_filter:string](4+) [types_filter:string](5+) TAG_BUFFER
 * ListGroups Response (Version: 0-5) => throttle_time_ms(1+) error_code [groups] TAG_BUFFER(3)
 *   groups => group_id protocol_type group_state(4+) group_type(5+) TAG_BUFFER(3)
 * An empty states filter (KIP-518) lists groups in every state, an empty types filter (KIP-848)
 * groups of every type (classic, consumer, share, streams).
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const listGroupsVersions = { min: 0, max: 5, flexibleFrom: 3 } as const

export interface ListGroupsRequest {
  readonly statesFilter: readonly string[]
  readonly typesFilter: readonly string[]
}

export interface ListedGroup {
  readonly groupId: string
  readonly protocolType: string
  readonly groupState: string
  readonly groupType: string
}

export interface ListGroupsResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
  readonly groups: readonly ListedGroup[]
}

export function decodeListGroupsRequest(r: KafkaReader, v: number): ListGroupsRequest {
  const statesFilter = v >= 4 ? r.array((s) => s.string()) : []
  const typesFilter = v >= 5 ? r.array((s) => s.string()) : []
  r.taggedFields()
  return { statesFilter, typesFilter }
}

export function encodeListGroupsRequest(w: KafkaWriter, v: number, request: ListGroupsRequest): void {
  if (v >= 4) w.array(request.statesFilter, (s, state) => s.string(state))
  if (v >= 5) w.array(request.typesFilter, (s, type) => s.string(type))
  w.taggedFields()
}

export function encodeListGroupsResponse(w: KafkaWriter, v: number, response: ListGroupsResponse): void {
  if (v >= 1) w.int32(response.throttleTimeMs)
  w.int16(response.errorCode)
  w.array(response.groups, (g, group) => {
    g.string(group.groupId).string(group.protocolType)
    if (v >= 4) g.string(group.groupState)
    if (v >= 5) g.string(group.groupType)
    g.taggedFields()
  })
  w.taggedFields()
}

export function decodeListGroupsResponse(r: KafkaReader, v: number): ListGroupsResponse {
  const throttleTimeMs = v >= 1 ? r.int32() : 0
  const errorCode = r.int16()
  const groups = r.array((g) => {
    const group = {
      groupId: g.string(),
      protocolType: g.string(),
      groupState: v >= 4 ? g.string() : '',
      groupType: v >= 5 ? g.string() : '',
    }
    g.taggedFields()
    return group
  })
  r.taggedFields()
  return { throttleTimeMs, errorCode, groups }
}
