/**
 * One Kafka ACL (an AclBinding): who (principal, host) may or may not do what (operation) to which
 * resources (a type, and a name taken literally or as a prefix), with conversions from and to the
 * wire's numbers and the matching rules of Kafka's authorizer and of its ACL filters.
 */
import { AclOperationCode, AclPatternType, AclPermissionType, AclResourceType } from '../../protocol/acl-codes.ts'
import type { AclFilter } from '../../protocol/apis/describe-acls.ts'
import type { AclOperation, Resource, ResourceType } from './authorizer.ts'

export type AclPattern = 'literal' | 'prefixed'
export type AclGrant = AclOperation | 'All'

export interface AclBinding {
  readonly resourceType: ResourceType
  readonly resourceName: string
  readonly patternType: AclPattern
  /** `User:<name>`, or `User:*` for every principal. */
  readonly principal: string
  /** An address, or `*` for any. */
  readonly host: string
  readonly operation: AclGrant
  readonly permission: 'allow' | 'deny'
}

/** Kafka's wildcard: a literal resource named `*` matches every resource of its type. */
export const WILDCARD = '*'
export const WILDCARD_PRINCIPAL = 'User:*'

const RESOURCE_TYPES: ReadonlyArray<readonly [ResourceType, number]> = [
  ['topic', AclResourceType.TOPIC],
  ['group', AclResourceType.GROUP],
  ['cluster', AclResourceType.CLUSTER],
  ['transactionalId', AclResourceType.TRANSACTIONAL_ID],
]
const OPERATIONS: ReadonlyArray<readonly [AclGrant, number]> = [
  ['All', AclOperationCode.ALL],
  ['Read', AclOperationCode.READ],
  ['Write', AclOperationCode.WRITE],
  ['Create', AclOperationCode.CREATE],
  ['Delete', AclOperationCode.DELETE],
  ['Alter', AclOperationCode.ALTER],
  ['Describe', AclOperationCode.DESCRIBE],
  ['ClusterAction', AclOperationCode.CLUSTER_ACTION],
  ['DescribeConfigs', AclOperationCode.DESCRIBE_CONFIGS],
  ['AlterConfigs', AclOperationCode.ALTER_CONFIGS],
  ['IdempotentWrite', AclOperationCode.IDEMPOTENT_WRITE],
]

export const resourceTypeCode = (type: ResourceType): number => RESOURCE_TYPES.find(([name]) => name === type)![1]
export const resourceTypeOf = (code: number): ResourceType | undefined => RESOURCE_TYPES.find(([, c]) => c === code)?.[0]
export const operationCode = (operation: AclGrant): number => OPERATIONS.find(([name]) => name === operation)![1]
export const operationOf = (code: number): AclGrant | undefined => OPERATIONS.find(([, c]) => c === code)?.[0]
export const patternCode = (pattern: AclPattern): number => (pattern === 'literal' ? AclPatternType.LITERAL : AclPatternType.PREFIXED)
export const permissionCode = (permission: 'allow' | 'deny'): number =>
  permission === 'allow' ? AclPermissionType.ALLOW : AclPermissionType.DENY

/** Kafka's implications: Describe comes with Read, Write, Delete and Alter; DescribeConfigs with AlterConfigs. */
const IMPLIED_BY: Partial<Record<AclOperation, readonly AclOperation[]>> = {
  Describe: ['Read', 'Write', 'Delete', 'Alter'],
  DescribeConfigs: ['AlterConfigs'],
}

/** True when the binding's pattern covers the resource. */
export function coversResource(acl: AclBinding, resource: Resource): boolean {
  if (acl.resourceType !== resource.type) return false
  if (acl.patternType === 'prefixed') return resource.name.startsWith(acl.resourceName)
  return acl.resourceName === WILDCARD || acl.resourceName === resource.name
}

export function appliesTo(acl: AclBinding, principal: string, host: string): boolean {
  return (acl.principal === principal || acl.principal === WILDCARD_PRINCIPAL) && (acl.host === host || acl.host === WILDCARD)
}

/** For an allow: does it grant `operation`? For a deny: does it refuse it (All, or the operation itself)? */
export function grants(acl: AclBinding, operation: AclOperation): boolean {
  if (acl.operation === 'All' || acl.operation === operation) return true
  return acl.permission === 'allow' && (IMPLIED_BY[operation] ?? []).includes(acl.operation as AclOperation)
}

/** Kafka's filter matching (AclBindingFilter.matches), for DescribeAcls and DeleteAcls. */
export function matchesFilter(acl: AclBinding, filter: AclFilter): boolean {
  if (filter.resourceTypeFilter !== AclResourceType.ANY && resourceTypeOf(filter.resourceTypeFilter) !== acl.resourceType) return false
  if (filter.principalFilter !== null && filter.principalFilter !== acl.principal) return false
  if (filter.hostFilter !== null && filter.hostFilter !== acl.host) return false
  if (filter.operation !== AclOperationCode.ANY && operationOf(filter.operation) !== acl.operation) return false
  if (filter.permissionType !== AclPermissionType.ANY && filter.permissionType !== permissionCode(acl.permission)) return false
  const name = filter.resourceNameFilter
  switch (filter.patternTypeFilter) {
    case AclPatternType.ANY:
      return name === null || name === acl.resourceName
    case AclPatternType.MATCH:
      return name === null || coversResource(acl, { type: acl.resourceType, name })
    case AclPatternType.LITERAL:
      return acl.patternType === 'literal' && (name === null || name === acl.resourceName)
    case AclPatternType.PREFIXED:
      return acl.patternType === 'prefixed' && (name === null || name === acl.resourceName)
    default:
      return false
  }
}

/** A stable key for the binding: the same ACL created twice is stored once. */
export function aclKey(acl: AclBinding): string {
  return JSON.stringify([acl.resourceType, acl.patternType, acl.resourceName, acl.principal, acl.host, acl.operation, acl.permission])
}
