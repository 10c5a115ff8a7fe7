/**
 * What the three ACL handlers share: turning a creation from the wire into a binding (or saying, as
 * Kafka does, why it is not one), and a binding back into the wire's numbers.
 */
import { AclPatternType, AclPermissionType } from '../../protocol/acl-codes.ts'
import type { AclCreation } from '../../protocol/apis/create-acls.ts'
import {
  operationCode,
  operationOf,
  patternCode,
  permissionCode,
  resourceTypeCode,
  resourceTypeOf,
  type AclBinding,
} from '../auth/acl-binding.ts'
import { CLUSTER_RESOURCE } from '../auth/authorizer.ts'

/** The binding a creation asks for, or the reason it cannot be one (answered INVALID_REQUEST). */
export function bindingOf(creation: AclCreation): AclBinding | string {
  const resourceType = resourceTypeOf(creation.resourceType)
  if (resourceType === undefined)
    return `resource type ${creation.resourceType} is not supported: only TOPIC (2), GROUP (3), CLUSTER (4) and TRANSACTIONAL_ID (5)`
  if (creation.resourcePatternType !== AclPatternType.LITERAL && creation.resourcePatternType !== AclPatternType.PREFIXED) {
    return `pattern type ${creation.resourcePatternType} is not valid for an ACL: use LITERAL (3) or PREFIXED (4)`
  }
  if (creation.resourceName === '') return 'the resource name must not be empty'
  if (resourceType === 'cluster' && creation.resourceName !== CLUSTER_RESOURCE.name)
    return `the only valid name for the CLUSTER resource is ${CLUSTER_RESOURCE.name}`
  if (!/^User:.+$/.test(creation.principal)) return `invalid principal ${creation.principal}: expected User:<name> or User:*`
  if (creation.host === '') return 'the host must not be empty: use * for any'
  const operation = operationOf(creation.operation)
  if (operation === undefined) return `operation ${creation.operation} is not valid for an ACL`
  if (creation.permissionType !== AclPermissionType.ALLOW && creation.permissionType !== AclPermissionType.DENY) {
    return `permission type ${creation.permissionType} is not valid for an ACL: use ALLOW (3) or DENY (2)`
  }
  return {
    resourceType,
    resourceName: creation.resourceName,
    patternType: creation.resourcePatternType === AclPatternType.LITERAL ? 'literal' : 'prefixed',
    principal: creation.principal,
    host: creation.host,
    operation,
    permission: creation.permissionType === AclPermissionType.ALLOW ? 'allow' : 'deny',
  }
}

/** The binding in the wire's numbers. */
export function wireAcl(acl: AclBinding): AclCreation {
  return {
    resourceType: resourceTypeCode(acl.resourceType),
    resourceName: acl.resourceName,
    resourcePatternType: patternCode(acl.patternType),
    principal: acl.principal,
    host: acl.host,
    operation: operationCode(acl.operation),
    permissionType: permissionCode(acl.permission),
  }
}
