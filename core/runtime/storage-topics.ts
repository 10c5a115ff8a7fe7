/**
 * The names of a worker's internal topics: Kafka Connect's config.storage.topic,
 * offset.storage.topic and status.storage.topic, and the Schema Registry's kafkastore.topic. One
 * prefix names them all, so two worker groups (or two tests) can share one Kafka cluster without
 * running each other's connectors: `_tributary-` gives `_tributary-configs`, `_tributary-offsets`,
 * `_tributary-status` and the registry's `_schemas` (Confluent's default); `_tributary-eu-` gives
 * `_tributary-eu-configs`, … and `_tributary-eu-schemas`. A prefix always begins with
 * `_tributary-`, so every storage topic stays an internal topic (core/log/internal-topics.ts), closed
 * to clients of the listener and the REST API.
 */
import { INTERNAL_TOPIC_PREFIX } from '../log/internal-topics.ts'

export interface StorageTopics {
  /** What names them all; also the start of the group's transactional ids. */
  readonly prefix: string
  readonly configs: string
  readonly offsets: string
  readonly status: string
  /** The built-in Schema Registry's store. */
  readonly schemas: string
}

export const DEFAULT_STORAGE_TOPIC_PREFIX = INTERNAL_TOPIC_PREFIX

/** `_tributary-` and then, optionally, a name of Kafka's topic characters ending in `-`. */
export const STORAGE_TOPIC_PREFIX_RULE = /^_tributary-(?:[A-Za-z0-9._-]{0,180}-)?$/

export function storageTopics(prefix: string = DEFAULT_STORAGE_TOPIC_PREFIX): StorageTopics {
  if (!STORAGE_TOPIC_PREFIX_RULE.test(prefix))
    throw new Error(`storage topic prefix ${JSON.stringify(prefix)} must be _tributary- or _tributary-<name>-`)
  return {
    prefix,
    configs: `${prefix}configs`,
    offsets: `${prefix}offsets`,
    status: `${prefix}status`,
    schemas: prefix === DEFAULT_STORAGE_TOPIC_PREFIX ? '_schemas' : `${prefix}schemas`,
  }
}

/**
 * Which storage topic a name is, under any prefix: the REST API's record browser masks the secrets
 * of every worker group's configs topic, not only its own.
 */
export function storageTopicKind(name: string): 'configs' | 'status' | undefined {
  if (!name.startsWith(INTERNAL_TOPIC_PREFIX)) return undefined
  if (name.endsWith('-configs')) return 'configs'
  if (name.endsWith('-status')) return 'status'
  return undefined
}
