/**
 * Topic configs as Kafka clients see them: the keys of the log's topic config (Kafka's own names,
 * plus `durability`) with string values. CreateTopics checks a client's configs here; CreateTopics v5
 * and DescribeConfigs list a topic's configs from here, each marked as set on the topic or default;
 * AlterConfigs and IncrementalAlterConfigs learn here which keys exist and which hold lists.
 */
import { TributaryError } from '../../errors.ts'
import { parseTopicConfig, topicConfigSchema, type TopicConfig } from '../../log/topic-config.ts'
import type { ConfigValue } from '../protocol/apis/create-topics.ts'
import { ConfigSource, ConfigType, type DescribedConfig } from '../protocol/apis/describe-configs.ts'

/** `partitions` is a topic config in the log but a request field (num_partitions) in Kafka. */
type TopicConfigKey = Exclude<keyof TopicConfig, 'partitions'>

/** Each key's Kafka config type; typed by the schema, so a key added there must be added here. */
const configTypes: Record<TopicConfigKey, number> = {
  'cleanup.policy': ConfigType.LIST,
  'retention.ms': ConfigType.LONG,
  'retention.bytes': ConfigType.LONG,
  'segment.bytes': ConfigType.INT,
  'segment.ms': ConfigType.LONG,
  'flush.messages': ConfigType.LONG,
  'flush.ms': ConfigType.LONG,
  durability: ConfigType.STRING,
  'max.message.bytes': ConfigType.INT,
  'delete.retention.ms': ConfigType.LONG,
  'min.compaction.lag.ms': ConfigType.LONG,
  'min.cleanable.dirty.ratio': ConfigType.DOUBLE,
  'index.interval.bytes': ConfigType.INT,
  'compression.type': ConfigType.STRING,
  'message.timestamp.type': ConfigType.STRING,
}

const topicConfigKeys = (Object.keys(configTypes) as TopicConfigKey[]).sort()

export function isTopicConfigKey(name: string): name is TopicConfigKey {
  return Object.hasOwn(configTypes, name)
}

/** Whether a config holds a comma-separated list, which IncrementalAlterConfigs may append to or subtract from. */
export function isListConfig(name: TopicConfigKey): boolean {
  return configTypes[name] === ConfigType.LIST
}

/**
 * A client's configs for a new topic, checked: the topic config input to create it with (without
 * `partitions`), or TRB_CONFIG_INVALID naming every key that is unknown or has a bad value. Unknown
 * keys are refused rather than ignored, so a client never believes a setting took effect.
 */
export function topicConfigFromKafka(topic: string, configs: readonly ConfigValue[]): Record<string, string> {
  const input: Record<string, string> = {}
  const problems: string[] = []
  for (const { name, value } of configs) {
    if (!isTopicConfigKey(name))
      problems.push(`${name}: not a topic config this broker supports (supported: ${topicConfigKeys.join(', ')})`)
    else if (value === null) problems.push(`${name}: a null value is not supported`)
    // The schema reads numbers with Number(), which takes '' for 0.
    else if (value.trim() === '') problems.push(`${name}: an empty value is not valid`)
    else input[name] = value
  }
  if (problems.length > 0) {
    throw new TributaryError('TRB_CONFIG_INVALID', `invalid config for topic ${topic}: ${problems.join('; ')}`, {
      details: { topic, problems },
    })
  }
  parseTopicConfig(topic, input)
  return input
}

export interface TopicConfigEntryOptions {
  /** The keys set on the topic; the others are reported as defaults. */
  readonly overrides: readonly string[]
  readonly includeSynonyms: boolean
  readonly includeDocumentation: boolean
}

/** Every topic config key with its value, in name order. */
export function topicConfigEntries(config: TopicConfig, options: TopicConfigEntryOptions): DescribedConfig[] {
  const overrides = new Set(options.overrides)
  return topicConfigKeys.map((name) => {
    const value = String(config[name])
    const source = overrides.has(name) ? ConfigSource.TOPIC_CONFIG : ConfigSource.DEFAULT_CONFIG
    return {
      name,
      value,
      readOnly: false,
      isDefault: source === ConfigSource.DEFAULT_CONFIG,
      configSource: source,
      isSensitive: false,
      // The value in effect is the only synonym: no broker-wide setting stands behind a topic default.
      synonyms: options.includeSynonyms ? [{ name, value, source }] : [],
      configType: configTypes[name],
      documentation: options.includeDocumentation ? (topicConfigSchema.shape[name].description ?? null) : null,
    }
  })
}
