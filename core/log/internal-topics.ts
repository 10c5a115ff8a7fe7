/**
 * The topics that belong to the worker, not to its users: connector configs (with their secrets),
 * source offsets, states, ACLs and stores (`_tributary-*`), group offsets and transaction state
 * (Kafka's `__consumer_offsets`, `__transaction_state`) and the schema registry's `_schemas`. The
 * Kafka listener closes them to clients; the REST API and connectors may not write, create or delete
 * them either, or a caller could plant a connector config that skips validation, or read secrets.
 */

/** `_tributary-configs`, `-offsets`, `-status`, `-acls` and any store topic the worker adds later. */
export const INTERNAL_TOPIC_PREFIX = '_tributary-'
/** Group offsets, transaction state (Kafka's names) and the schema registry's store. */
export const INTERNAL_TOPICS: ReadonlySet<string> = new Set(['__consumer_offsets', '__transaction_state', '_schemas'])

export function isInternalTopic(name: string): boolean {
  return name.startsWith(INTERNAL_TOPIC_PREFIX) || INTERNAL_TOPICS.has(name)
}
