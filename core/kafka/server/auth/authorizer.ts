/**
 * The one seam through which the Kafka listener decides who may do what: Kafka's authorizer model
 * (org.apache.kafka.server.authorizer.Authorizer). A request names a principal (`User:<name>` after
 * SASL, `User:ANONYMOUS` without it) and the client's host; a resource is a topic, a group, a
 * transactional id or the cluster; an operation is one of Kafka's ACL operations. Handlers ask before they act and answer
 * TOPIC_/GROUP_/CLUSTER_AUTHORIZATION_FAILED when refused, so the policy behind can change (reserved
 * resources only, or ACLs) without touching them.
 */

/** Kafka's principal of a connection that did not authenticate. */
export const ANONYMOUS_PRINCIPAL = 'User:ANONYMOUS'

/** Kafka's resource types the listener knows; a transactional id is what a transactional producer names itself by. */
export type ResourceType = 'topic' | 'group' | 'cluster' | 'transactionalId'

/** Kafka's ACL operations (AclOperation), by the names its tools print. */
export type AclOperation =
  | 'Read'
  | 'Write'
  | 'Create'
  | 'Delete'
  | 'Alter'
  | 'Describe'
  | 'ClusterAction'
  | 'DescribeConfigs'
  | 'AlterConfigs'
  | 'IdempotentWrite'

export interface Resource {
  readonly type: ResourceType
  /** The topic, group or transactional id; `kafka-cluster` for the cluster, as Kafka names it. */
  readonly name: string
}

export const CLUSTER_RESOURCE: Resource = { type: 'cluster', name: 'kafka-cluster' }

/** Who is asking: the authenticated principal and the address the connection came from. */
export interface Session {
  readonly principal: string
  readonly host: string
}

export interface Authorizer {
  authorize(session: Session, operation: AclOperation, resource: Resource): boolean
}
