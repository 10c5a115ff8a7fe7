/**
 * Kafka's ACL authorizer (StandardAuthorizer) over the listener's stored ACLs:
 * - a super user (`super.users`) may do anything; User:ANONYMOUS is never one;
 * - a deny that applies wins over any allow;
 * - otherwise an allow that applies grants the operation (with Kafka's implied operations: Read,
 *   Write, Delete and Alter imply Describe), and a topic's Create is granted by Create on the cluster;
 * - a resource no ACL covers at all is open to everyone when allow.everyone.if.no.acl.found is on.
 * The worker's reserved topics and groups, and managing ACLs (Alter and Describe on the cluster),
 * are granted only explicitly: by an allow naming the principal itself (not User:*) and a pattern
 * that itself names a reserved resource (`_tributary-configs`, or the prefix `_tributary-`), never by
 * wildcards or the no-ACL rule, and never to User:ANONYMOUS.
 */
import { coversResource, appliesTo, grants, WILDCARD, WILDCARD_PRINCIPAL, type AclBinding } from './acl-binding.ts'
import type { AclStore } from './acl-store.ts'
import { ANONYMOUS_PRINCIPAL, CLUSTER_RESOURCE, type AclOperation, type Authorizer, type Resource, type Session } from './authorizer.ts'
import type { ReservedResources } from './reserved-resources.ts'

export interface AclAuthorizerOptions {
  readonly acls: AclStore
  readonly reserved: ReservedResources
  readonly superUsers?: readonly string[]
  /** Kafka's allow.everyone.if.no.acl.found. */
  readonly allowEveryoneIfNoAclFound: boolean
}

export class AclAuthorizer implements Authorizer {
  private readonly acls: AclStore
  private readonly reserved: ReservedResources
  private readonly superUsers: ReadonlySet<string>
  private readonly allowEveryoneIfNoAclFound: boolean

  constructor(options: AclAuthorizerOptions) {
    this.acls = options.acls
    this.reserved = options.reserved
    this.superUsers = new Set((options.superUsers ?? []).filter((principal) => principal !== ANONYMOUS_PRINCIPAL))
    this.allowEveryoneIfNoAclFound = options.allowEveryoneIfNoAclFound
  }

  authorize(session: Session, operation: AclOperation, resource: Resource): boolean {
    if (this.superUsers.has(session.principal)) return true
    const isReserved = this.isReserved(operation, resource)
    if (isReserved && session.principal === ANONYMOUS_PRINCIPAL) return false
    const covering = this.acls.list().filter((acl) => coversResource(acl, resource))
    const applying = covering.filter((acl) => appliesTo(acl, session.principal, session.host))
    if (applying.some((acl) => acl.permission === 'deny' && grants(acl, operation))) return false
    const allows = applying.filter((acl) => acl.permission === 'allow' && grants(acl, operation))
    if (isReserved) return allows.some((acl) => this.isExplicit(acl))
    if (allows.length > 0) return true
    if (resource.type === 'topic' && operation === 'Create' && this.authorize(session, 'Create', CLUSTER_RESOURCE)) return true
    return covering.length === 0 && this.allowEveryoneIfNoAclFound
  }

  /** The worker's own topics and groups, and the management of ACLs themselves. */
  private isReserved(operation: AclOperation, resource: Resource): boolean {
    if (resource.type === 'cluster') return operation === 'Alter' || operation === 'Describe'
    return this.reserved.isReserved(resource)
  }

  /** An allow for this principal by name, on a pattern that itself names a reserved resource. */
  private isExplicit(acl: AclBinding): boolean {
    if (acl.principal === WILDCARD_PRINCIPAL) return false
    if (acl.resourceType === 'cluster') return true
    return acl.resourceName !== WILDCARD && this.reserved.isReserved({ type: acl.resourceType, name: acl.resourceName })
  }
}
