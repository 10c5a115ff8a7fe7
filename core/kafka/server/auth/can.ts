/**
 * What handlers ask before they act: whether this request's principal may do `operation` to the
 * named topic, group or transactional id, or to the cluster. Refusals are logged at debug level only, so a client
 * cannot fill the log by asking again and again.
 */
import { TributaryError } from '../../../errors.ts'
import type { RequestContext } from '../api-handler.ts'
import { CLUSTER_RESOURCE, type AclOperation, type Resource } from './authorizer.ts'

export function canTopic(context: RequestContext, operation: AclOperation, name: string): boolean {
  return ask(context, operation, { type: 'topic', name })
}

export function canGroup(context: RequestContext, operation: AclOperation, name: string): boolean {
  return ask(context, operation, { type: 'group', name })
}

/** Throws GROUP_AUTHORIZATION_FAILED (30) unless the principal may do `operation` to the group. */
export function requireGroup(context: RequestContext, operation: AclOperation, groupId: string): void {
  if (!canGroup(context, operation, groupId)) {
    throw new TributaryError('TRB_GROUP_AUTHORIZATION_FAILED', `not authorized to ${operation.toLowerCase()} group ${groupId}`, {
      details: { groupId, operation },
    })
  }
}

export function canTransactionalId(context: RequestContext, operation: AclOperation, transactionalId: string): boolean {
  return ask(context, operation, { type: 'transactionalId', name: transactionalId })
}

/** Throws TRANSACTIONAL_ID_AUTHORIZATION_FAILED (53) unless the principal may do `operation` to the transactional id. */
export function requireTransactionalId(context: RequestContext, operation: AclOperation, transactionalId: string): void {
  if (!canTransactionalId(context, operation, transactionalId)) {
    throw new TributaryError(
      'TRB_TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
      `not authorized to ${operation.toLowerCase()} transactional id ${transactionalId}`,
      { details: { transactionalId, operation } },
    )
  }
}

export function canCluster(context: RequestContext, operation: AclOperation): boolean {
  return ask(context, operation, CLUSTER_RESOURCE)
}

function ask(context: RequestContext, operation: AclOperation, resource: Resource): boolean {
  const allowed = context.broker.authorizer.authorize(context.session, operation, resource)
  if (!allowed) {
    context.broker.logger.debug(
      { principal: context.session.principal, host: context.session.host, operation, resource: `${resource.type}:${resource.name}` },
      'refused a Kafka request: not authorized',
    )
  }
  return allowed
}
