/**
 * DeleteAcls (key 31), versions 0-3; flexible from 2.
 *
 * DeleteAcls Request (Version: 0-3) => [filters] TAG_BUFFER(2)
 *   filters => (as DescribeAcls' request: describe-acls.ts) TAG_BUFFER(2)
 * DeleteAcls Response (Version: 0-3) => throttle_time_ms [filter_results] TAG_BUFFER(2)
 *   filter_results => error_code error_message:nullable_string [matching_acls] TAG_BUFFER(2)
 *     matching_acls => error_code error_message:nullable_string resource_type:int8 resource_name:string
 *                      pattern_type:int8(1+) principal:string host:string operation:int8 permission_type:int8 TAG_BUFFER(2)
 */
import { AclPatternType } from '../acl-codes.ts'
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'
import { readAclFilter, writeAclFilter, type AclFilter } from './describe-acls.ts'

export const deleteAclsVersions = { min: 0, max: 3, flexibleFrom: 2 } as const

export interface DeleteAclsRequest {
  readonly filters: readonly AclFilter[]
}

export interface DeletedAcl {
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly resourceType: number
  readonly resourceName: string
  readonly patternType: number
  readonly principal: string
  readonly host: string
  readonly operation: number
  readonly permissionType: number
}

export interface DeleteAclsResponse {
  readonly throttleTimeMs: number
  readonly filterResults: ReadonlyArray<{
    readonly errorCode: number
    readonly errorMessage: string | null
    readonly matchingAcls: readonly DeletedAcl[]
  }>
}

export function decodeDeleteAclsRequest(r: KafkaReader, v: number): DeleteAclsRequest {
  const filters = r.array((f) => {
    const filter = readAclFilter(f, v)
    f.taggedFields()
    return filter
  })
  r.taggedFields()
  return { filters }
}

export function encodeDeleteAclsRequest(w: KafkaWriter, v: number, request: DeleteAclsRequest): void {
  w.array(request.filters, (f, filter) => {
    writeAclFilter(f, v, filter)
    f.taggedFields()
  })
  w.taggedFields()
}

export function encodeDeleteAclsResponse(w: KafkaWriter, v: number, response: DeleteAclsResponse): void {
  w.int32(response.throttleTimeMs)
  w.array(response.filterResults, (f, result) => {
    f.int16(result.errorCode).nullableString(result.errorMessage)
    f.array(result.matchingAcls, (m, acl) => {
      m.int16(acl.errorCode).nullableString(acl.errorMessage).int8(acl.resourceType).string(acl.resourceName)
      if (v >= 1) m.int8(acl.patternType)
      m.string(acl.principal).string(acl.host).int8(acl.operation).int8(acl.permissionType).taggedFields()
    })
    f.taggedFields()
  })
  w.taggedFields()
}

export function decodeDeleteAclsResponse(r: KafkaReader, v: number): DeleteAclsResponse {
  const throttleTimeMs = r.int32()
  const filterResults = r.array((f) => {
    const errorCode = f.int16()
    const errorMessage = f.nullableString()
    const matchingAcls = f.array((m): DeletedAcl => {
      const errorCode = m.int16()
      const errorMessage = m.nullableString()
      const resourceType = m.int8()
      const resourceName = m.string()
      const patternType = v >= 1 ? m.int8() : AclPatternType.LITERAL
      const acl = {
        errorCode,
        errorMessage,
        resourceType,
        resourceName,
        patternType,
        principal: m.string(),
        host: m.string(),
        operation: m.int8(),
        permissionType: m.int8(),
      }
      m.taggedFields()
      return acl
    })
    f.taggedFields()
    return { errorCode, errorMessage, matchingAcls }
  })
  r.taggedFields()
  return { throttleTimeMs, filterResults }
}
