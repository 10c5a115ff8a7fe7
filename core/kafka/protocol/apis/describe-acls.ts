/**
 * DescribeAcls (key 29), versions 0-3; flexible from 2.
 *
 * DescribeAcls Request (Version: 0-3) => resource_type_filter:int8 resource_name_filter:nullable_string
 *   pattern_type_filter:int8(1+) principal_filter:nullable_string host_filter:nullable_string
 *   operation:int8 permission_type:int8 TAG_BUFFER(2)
 * DescribeAcls Response (Version: 0-3) => throttle_time_ms error_code error_message:nullable_string
 *   [resources] TAG_BUFFER(2)
 *   resources => resource_type:int8 resource_name:string pattern_type:int8(1+) [acls] TAG_BUFFER(2)
 *     acls => principal:string host:string operation:int8 permission_type:int8 TAG_BUFFER(2)
 * The filter fields are shared with DeleteAcls: `AclFilter`, read and written here.
 */
import { AclPatternType } from '../acl-codes.ts'
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const describeAclsVersions = { min: 0, max: 3, flexibleFrom: 2 } as const

/** null name, principal or host: any; ANY (1) type, pattern, operation or permission: any. */
export interface AclFilter {
  readonly resourceTypeFilter: number
  readonly resourceNameFilter: string | null
  readonly patternTypeFilter: number
  readonly principalFilter: string | null
  readonly hostFilter: string | null
  readonly operation: number
  readonly permissionType: number
}

export interface DescribedAclResource {
  readonly resourceType: number
  readonly resourceName: string
  readonly patternType: number
  readonly acls: ReadonlyArray<{
    readonly principal: string
    readonly host: string
    readonly operation: number
    readonly permissionType: number
  }>
}

export interface DescribeAclsResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly resources: readonly DescribedAclResource[]
}

export function readAclFilter(r: KafkaReader, v: number): AclFilter {
  const resourceTypeFilter = r.int8()
  const resourceNameFilter = r.nullableString()
  const patternTypeFilter = v >= 1 ? r.int8() : AclPatternType.LITERAL
  return {
    resourceTypeFilter,
    resourceNameFilter,
    patternTypeFilter,
    principalFilter: r.nullableString(),
    hostFilter: r.nullableString(),
    operation: r.int8(),
    permissionType: r.int8(),
  }
}

export function writeAclFilter(w: KafkaWriter, v: number, filter: AclFilter): void {
  w.int8(filter.resourceTypeFilter).nullableString(filter.resourceNameFilter)
  if (v >= 1) w.int8(filter.patternTypeFilter)
  w.nullableString(filter.principalFilter).nullableString(filter.hostFilter).int8(filter.operation).int8(filter.permissionType)
}

export function decodeDescribeAclsRequest(r: KafkaReader, v: number): AclFilter {
  const filter = readAclFilter(r, v)
  r.taggedFields()
  return filter
}

export function encodeDescribeAclsRequest(w: KafkaWriter, v: number, filter: AclFilter): void {
  writeAclFilter(w, v, filter)
  w.taggedFields()
}

export function encodeDescribeAclsResponse(w: KafkaWriter, v: number, response: DescribeAclsResponse): void {
  w.int32(response.throttleTimeMs).int16(response.errorCode).nullableString(response.errorMessage)
  w.array(response.resources, (r, resource) => {
    r.int8(resource.resourceType).string(resource.resourceName)
    if (v >= 1) r.int8(resource.patternType)
    r.array(resource.acls, (a, acl) => a.string(acl.principal).string(acl.host).int8(acl.operation).int8(acl.permissionType).taggedFields())
    r.taggedFields()
  })
  w.taggedFields()
}

export function decodeDescribeAclsResponse(r: KafkaReader, v: number): DescribeAclsResponse {
  const throttleTimeMs = r.int32()
  const errorCode = r.int16()
  const errorMessage = r.nullableString()
  const resources = r.array((e): DescribedAclResource => {
    const resourceType = e.int8()
    const resourceName = e.string()
    const patternType = v >= 1 ? e.int8() : AclPatternType.LITERAL
    const acls = e.array((a) => {
      const acl = { principal: a.string(), host: a.string(), operation: a.int8(), permissionType: a.int8() }
      a.taggedFields()
      return acl
    })
    e.taggedFields()
    return { resourceType, resourceName, patternType, acls }
  })
  r.taggedFields()
  return { throttleTimeMs, errorCode, errorMessage, resources }
}
