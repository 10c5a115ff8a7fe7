/**
 * Per-topic configuration, with Kafka's key names. Values arrive as numbers or as the strings Kafka
 * clients and REST callers send; both are accepted and normalised here, once.
 */
import { z } from 'zod'
import { TributaryError } from '../errors.ts'
import type { CompressionType } from './compression/compression-codecs.ts'

const DAY_MS = 24 * 60 * 60 * 1000

/** The most partitions a topic may have. */
export const MAX_PARTITIONS = 10_000

const count = (min: number) => z.coerce.number().int().min(min).max(Number.MAX_SAFE_INTEGER)
/** Kafka's convention: -1 means "no limit". */
const limitOrUnlimited = z.coerce.number().int().min(-1).max(Number.MAX_SAFE_INTEGER)

export const topicConfigSchema = z
  .object({
    partitions: count(1).max(MAX_PARTITIONS).default(1).describe('Number of partitions'),
    'cleanup.policy': z
      .enum(['delete', 'compact', 'compact,delete', 'delete,compact'])
      .default('delete')
      .describe('delete drops old segments; compact keeps the newest record per key'),
    'retention.ms': limitOrUnlimited.default(7 * DAY_MS).describe('Age after which a closed segment is deleted; -1 keeps forever'),
    'retention.bytes': limitOrUnlimited.default(-1).describe('Partition size above which the oldest segments are deleted; -1 for no limit'),
    'segment.bytes': count(1024)
      .max(2 ** 31 - 1)
      .default(256 * 1024 * 1024)
      .describe('Size at which the active segment rolls'),
    'segment.ms': count(1)
      .default(7 * DAY_MS)
      .describe('Age at which the active segment rolls'),
    'flush.messages': count(1).default(Number.MAX_SAFE_INTEGER).describe('async mode: fsync after this many records'),
    'flush.ms': count(0).default(1000).describe('async mode: fsync at least this often'),
    durability: z
      .enum(['fsync', 'async'])
      .default('fsync')
      .describe('fsync: acknowledge after fsync; async: after the write reaches the OS'),
    'max.message.bytes': count(64)
      .max(2 ** 30)
      .default(1_048_588)
      .describe('Largest record batch accepted'),
    'delete.retention.ms': count(0).default(DAY_MS).describe('How long a compacted topic keeps tombstones'),
    'min.compaction.lag.ms': count(0).default(0).describe('Records younger than this are not compacted'),
    'min.cleanable.dirty.ratio': z.coerce
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe('Share of uncompacted bytes that triggers compaction'),
    'index.interval.bytes': count(0).default(4096).describe('Bytes between offset index entries'),
    'compression.type': z
      .enum(['producer', 'uncompressed', 'none', 'gzip', 'snappy', 'lz4', 'zstd'])
      .default('producer')
      .describe(
        'Codec for the batches the engine writes itself (connectors, REST); producer and uncompressed (or none) write them uncompressed. Batches from Kafka producers are stored as sent',
      ),
    // Kafka Streams sets it on every internal topic it creates. Only CreateTime: batches are stored
    // with the producer's timestamps, never restamped as LogAppendTime would have them.
    'message.timestamp.type': z
      .enum(['CreateTime'])
      .default('CreateTime')
      .describe("Record timestamps are the producer's (CreateTime); LogAppendTime is not supported"),
  })
  .strict()

export type TopicConfig = z.infer<typeof topicConfigSchema>
export type TopicConfigInput = z.input<typeof topicConfigSchema>

export function isCompacted(config: TopicConfig): boolean {
  return config['cleanup.policy'].includes('compact')
}

export function isDeleteRetained(config: TopicConfig): boolean {
  return config['cleanup.policy'].includes('delete')
}

/** The codec the engine compresses its own batches with: Kafka's `uncompressed` and `producer` both mean none. */
export function writeCompressionOf(config: TopicConfig): CompressionType {
  const type = config['compression.type']
  return type === 'producer' || type === 'uncompressed' ? 'none' : type
}

export function parseTopicConfig(topic: string, input: Readonly<Record<string, unknown>> = {}): TopicConfig {
  const result = topicConfigSchema.safeParse(input)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(config)'}: ${issue.message}`)
  throw new TributaryError('TRB_CONFIG_INVALID', `invalid config for topic ${topic}: ${problems.join('; ')}`, {
    details: { topic, problems },
  })
}

const LEGAL_NAME = /^[a-zA-Z0-9._-]+$/
export const MAX_TOPIC_NAME_LENGTH = 249

/** Kafka's topic naming rules, so a name valid here is valid on a Kafka cluster too. */
export function validateTopicName(name: string): void {
  const problem =
    name.length === 0
      ? 'is empty'
      : name === '.' || name === '..'
        ? 'cannot be "." or ".."'
        : name.length > MAX_TOPIC_NAME_LENGTH
          ? `is longer than ${MAX_TOPIC_NAME_LENGTH} characters`
          : !LEGAL_NAME.test(name)
            ? 'may contain only ASCII letters, digits, ".", "_" and "-"'
            : undefined
  if (problem) {
    throw new TributaryError('TRB_TOPIC_INVALID_NAME', `topic name "${name}" ${problem}`, { details: { topic: name } })
  }
}
