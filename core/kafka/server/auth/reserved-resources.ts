/**
 * The topics and groups that belong to the worker, not to Kafka clients: its internal topics
 * (connector configs with their secrets, source offsets, states, group offsets) and the consumer
 * groups its sink connectors and worker group use. A client that could read or write these could
 * steal secrets, plant a connector that runs at the next start, skip a sink's data or take its
 * partitions, so the listener closes them to everyone not granted them explicitly.
 */
import { isInternalTopic } from '../../../log/internal-topics.ts'
import type { Resource } from './authorizer.ts'

export { INTERNAL_TOPIC_PREFIX, INTERNAL_TOPICS, isInternalTopic } from '../../../log/internal-topics.ts'
/** Sink connectors' groups (`tributary-<connector>`) and dead-letter replays (`tributary-dlq-replay-<topic>`). */
export const RUNTIME_GROUP_PREFIX = 'tributary-'

export class ReservedResources {
  private readonly groups: ReadonlySet<string>

  /** `groups`: further reserved group ids, such as a distributed worker's `group.id`. */
  constructor(groups: readonly string[] = []) {
    this.groups = new Set(groups)
  }

  isReserved(resource: Resource): boolean {
    if (resource.type === 'topic') return isInternalTopic(resource.name)
    if (resource.type === 'group') return resource.name.startsWith(RUNTIME_GROUP_PREFIX) || this.groups.has(resource.name)
    return false
  }
}
