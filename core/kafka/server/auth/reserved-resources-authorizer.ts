/**
 * The listener's authorizer when no ACLs are configured: every principal may do anything to
 * ordinary topics and groups, as a Kafka broker without an authorizer allows; the worker's reserved
 * topics and groups are open only to super users (Kafka's `super.users`), who must have
 * authenticated: User:ANONYMOUS is never one, so without SASL nobody reaches them.
 */
import { ANONYMOUS_PRINCIPAL, type AclOperation, type Authorizer, type Resource, type Session } from './authorizer.ts'
import type { ReservedResources } from './reserved-resources.ts'

export class ReservedResourcesAuthorizer implements Authorizer {
  private readonly reserved: ReservedResources
  private readonly superUsers: ReadonlySet<string>

  constructor(reserved: ReservedResources, superUsers: readonly string[] = []) {
    this.reserved = reserved
    this.superUsers = new Set(superUsers.filter((principal) => principal !== ANONYMOUS_PRINCIPAL))
  }

  isSuperUser(session: Session): boolean {
    return this.superUsers.has(session.principal)
  }

  authorize(session: Session, _operation: AclOperation, resource: Resource): boolean {
    return !this.reserved.isReserved(resource) || this.isSuperUser(session)
  }
}
