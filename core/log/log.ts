/**
 * The Log seam: the only way the runtime reaches storage. EmbeddedLog implements it in process;
 * KafkaLog implements it over kafkajs. Offsets are int64 in Kafka; here they are JS numbers, exact up
 * to 2^53 (285 years at a million records a second), which keeps the hot path free of bigint.
 */
import type { TopicConfig } from './topic-config.ts'

export interface RecordHeader {
  readonly key: string
  readonly value: Buffer | null
}

/** A record to append. `partition` pins it; otherwise the key's murmur2 hash or the sticky spreader picks. */
export interface LogRecord {
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers?: readonly RecordHeader[]
  /** Create time in ms; defaults to the clock's now at append. */
  readonly timestamp?: number
  readonly partition?: number
}

/** A record read back from a partition. */
export interface StoredRecord {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly timestamp: number
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers: readonly RecordHeader[]
}

export interface AppendResult {
  readonly partition: number
  readonly offset: number
}

export interface ReadOptions {
  /** Soft limit: at least one whole batch is returned even when it is larger. Default 1 MiB. */
  readonly maxBytes?: number
  /** How long a read at the end of the log waits for an append. 0 answers at once. Default 0. */
  readonly maxWaitMs?: number
  readonly signal?: AbortSignal
}

export interface ReadResult {
  /** Records at or after the requested offset, in offset order. */
  readonly records: readonly StoredRecord[]
  /** The offset to read from next. */
  readonly nextOffset: number
  /** The end of the readable log (one past the last readable offset). */
  readonly highWatermark: number
  readonly logStartOffset: number
}

export type OffsetSpec = 'earliest' | 'latest' | { readonly timestamp: number }

export interface PartitionDescription {
  readonly partition: number
  readonly logStartOffset: number
  readonly highWatermark: number
  readonly sizeBytes: number
  readonly segments: number
}

export interface TopicDescription {
  readonly name: string
  readonly id: string
  readonly config: TopicConfig
  readonly partitions: readonly PartitionDescription[]
}

export interface TopicPartition {
  readonly topic: string
  readonly partition: number
}

export interface Log {
  createTopic(name: string, config?: Partial<TopicConfig>): Promise<TopicDescription>
  deleteTopic(name: string): Promise<void>
  listTopics(): Promise<string[]>
  describeTopic(name: string): Promise<TopicDescription>
  /** Grows a topic to `count` partitions (Kafka allows growing only). */
  createPartitions(name: string, count: number): Promise<TopicDescription>
  /** Appends and resolves once the records are durable per the topic's `durability` mode. */
  append(topic: string, records: readonly LogRecord[]): Promise<AppendResult[]>
  read(topic: string, partition: number, offset: number, options?: ReadOptions): Promise<ReadResult>
  /** earliest, latest, or the first offset whose timestamp is >= the given one (latest when none is). */
  listOffset(topic: string, partition: number, spec: OffsetSpec): Promise<number>
  close(): Promise<void>
}
