/**
 * CreateAcls (key 30), versions 0-3; flexible from 2.
 *
 * CreateAcls Request (Version: 0-3) => [creations] TAG_BUFFER(2)
 *   creations => resource_type:int8 resource_name:string resource_pattern_type:int8(1+) principal:string
 *                host:string operation:int8 permission_type:int8 TAG_BUFFER(2)
 * CreateAcls Response (Version: 0-3) => throttle_time_ms [results] TAG_BUFFER(2)
 *   results => error_code error_message:nullable_string TAG_BUFFER(2)
 * Before v1 every pattern is LITERAL (3). One result per creation, in order.
 */
import { AclPatternType } from '../acl-codes.ts'
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const createAclsVersions = { min: 0, max: 3, flexibleFrom: 2 } as const

export interface AclCreation {
  readonly resourceType: number
  readonly resourceName: string
  readonly resourcePatternType: number
  readonly principal: string
  readonly host: string
  readonly operation: number
  readonly permissionType: number
}

export interface CreateAclsRequest {
  readonly creations: readonly AclCreation[]
}

export interface CreateAclsResponse {
  readonly throttleTimeMs: number
  readonly results: ReadonlyArray<{ readonly errorCode: number; readonly errorMessage: string | null }>
}

export function decodeCreateAclsRequest(r: KafkaReader, v: number): CreateAclsRequest {
  const creations = r.array((c): AclCreation => {
    const resourceType = c.int8()
    const resourceName = c.string()
    const resourcePatternType = v >= 1 ? c.int8() : AclPatternType.LITERAL
    const creation = {
      resourceType,
      resourceName,
      resourcePatternType,
      principal: c.string(),
      host: c.string(),
      operation: c.int8(),
      permissionType: c.int8(),
    }
    c.taggedFields()
    return creation
  })
  r.taggedFields()
  return { creations }
}

export function encodeCreateAclsRequest(w: KafkaWriter, v: number, request: CreateAclsRequest): void {
  w.array(request.creations, (c, creation) => {
    c.int8(creation.resourceType).string(creation.resourceName)
    if (v >= 1) c.int8(creation.resourcePatternType)
    c.string(creation.principal).string(creation.host).int8(creation.operation).int8(creation.permissionType).taggedFields()
  })
  w.taggedFields()
}

export function encodeCreateAclsResponse(w: KafkaWriter, _v: number, response: CreateAclsResponse): void {
  w.int32(response.throttleTimeMs)
  w.array(response.results, (r, result) => r.int16(result.errorCode).nullableString(result.errorMessage).taggedFields())
  w.taggedFields()
}

export function decodeCreateAclsResponse(r: KafkaReader, _v: number): CreateAclsResponse {
  const throttleTimeMs = r.int32()
  const results = r.array((e) => {
    const result = { errorCode: e.int16(), errorMessage: e.nullableString() }
    e.taggedFields()
    return result
  })
  r.taggedFields()
  return { throttleTimeMs, results }
}
