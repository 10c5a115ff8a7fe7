/**
 * DeleteGroups (key 42), versions 0-2; flexible from 2.
 *
 * DeleteGroups Request (Version: 0-2) => [groups_names:string] TAG_BUFFER(2)
 * DeleteGroups Response (Version: 0-2) => throttle_time_ms [results] TAG_BUFFER(2)
 *   results => group_id error_code TAG_BUFFER(2)
 * Each group succeeds or fails on its own: NON_EMPTY_GROUP while it has members,
 * GROUP_ID_NOT_FOUND when there is no such group.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const deleteGroupsVersions = { min: 0, max: 2, flexibleFrom: 2 } as const

export interface DeleteGroupsRequest {
  readonly groupsNames: readonly string[]
}

export interface DeleteGroupsResponse {
  readonly throttleTimeMs: number
  readonly results: ReadonlyArray<{ readonly groupId: string; readonly errorCode: number }>
}

export function decodeDeleteGroupsRequest(r: KafkaReader, _v: number): DeleteGroupsRequest {
  const groupsNames = r.array((g) => g.string())
  r.taggedFields()
  return { groupsNames }
}

export function encodeDeleteGroupsRequest(w: KafkaWriter, _v: number, request: DeleteGroupsRequest): void {
  w.array(request.groupsNames, (g, name) => g.string(name)).taggedFields()
}

export function encodeDeleteGroupsResponse(w: KafkaWriter, _v: number, response: DeleteGroupsResponse): void {
  w.int32(response.throttleTimeMs)
  w.array(response.results, (g, result) => g.string(result.groupId).int16(result.errorCode).taggedFields())
  w.taggedFields()
}

export function decodeDeleteGroupsResponse(r: KafkaReader, _v: number): DeleteGroupsResponse {
  const throttleTimeMs = r.int32()
  const results = r.array((g) => {
    const result = { groupId: g.string(), errorCode: g.int16() }
    g.taggedFields()
    return result
  })
  r.taggedFields()
  return { throttleTimeMs, results }
}
