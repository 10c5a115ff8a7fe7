/**
 * Our topic config ⇄ a Kafka topic's config entries. The keys are Kafka's own, so most pass as they
 * are; three do not:
 * - `partitions` is a CreateTopics field (num_partitions), not a config entry.
 * - `durability` has no Kafka key. `fsync` (acknowledge after fsync) is what Kafka does with
 *   `flush.messages=1`, so that is what it becomes; `async` is Kafka's normal behaviour and sends
 *   nothing. Reading back, a cluster that reports `durability` (Tributary's listener does) is
 *   believed; otherwise `flush.messages=1` reads as fsync and anything else as async.
 * - `compression.type: none` is accepted as a synonym that Kafka's topic config lacks; it is sent as
 *   `uncompressed`.
 * Only the keys a caller set are sent, so the cluster's own defaults apply to the rest.
 */
import { parseTopicConfig, topicConfigSchema, type TopicConfig } from '../../log/topic-config.ts'

export interface ConfigEntry {
  readonly name: string
  readonly value: string
}

type ConfigKey = Exclude<keyof TopicConfig, 'partitions'>

/** Checks the caller's config (TRB_CONFIG_INVALID) and returns it as Kafka config entries. */
export function toConfigEntries(topic: string, input: Readonly<Record<string, unknown>>): { partitions: number; entries: ConfigEntry[] } {
  const config = parseTopicConfig(topic, input)
  const entries: ConfigEntry[] = []
  for (const key of Object.keys(input) as Array<keyof TopicConfig>) {
    if (key === 'partitions' || input[key] === undefined) continue
    if (key === 'durability') {
      if (config.durability === 'fsync' && input['flush.messages'] === undefined) entries.push({ name: 'flush.messages', value: '1' })
      continue
    }
    // Kafka's topic config calls no compression `uncompressed`; `none` is the producer's word for it.
    if (key === 'compression.type' && config[key] === 'none') entries.push({ name: key, value: 'uncompressed' })
    else entries.push({ name: key, value: String(config[key]) })
  }
  return { partitions: config.partitions, entries }
}

/**
 * A described topic's entries as our config. A value the schema cannot hold (Kafka's
 * `flush.messages` default is 2^63-1, past what a JS number holds exactly) is clamped or, failing
 * that, left at our default, so describing never fails on a cluster's own settings.
 */
export function fromConfigEntries(partitions: number, entries: readonly ConfigEntry[]): TopicConfig {
  const values = new Map(entries.map((entry) => [entry.name, entry.value]))
  const config: Record<string, unknown> = { partitions }
  for (const key of Object.keys(topicConfigSchema.shape) as ConfigKey[]) {
    const raw = values.get(key)
    if (raw === undefined || key === ('partitions' as string)) continue
    const value =
      /^-?\d+$/.test(raw) && Math.abs(Number(raw)) > Number.MAX_SAFE_INTEGER ? Math.sign(Number(raw)) * Number.MAX_SAFE_INTEGER : raw
    if (topicConfigSchema.shape[key].safeParse(value).success) config[key] = value
  }
  if (!values.has('durability')) config.durability = values.get('flush.messages') === '1' ? 'fsync' : 'async'
  return parseTopicConfig('(described)', config)
}
