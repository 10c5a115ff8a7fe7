/**
 * The Log seam: the only way the runtime reaches storage. EmbeddedLog implements it in process;
 * KafkaLog implements it over kafkajs. Offsets are int64 in Kafka; here they are JS numbers, exact up
 * to 2^53 (285 years at a million records a second), which keeps the hot path free of bigint.
 */
import type { GroupMembership } from './groups/group-membership.ts'
import type { TopicConfig } from './topic-config.ts'
import type { TopicPartition } from './topic-partition.ts'

export type { TopicPartition }

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

/**
 * Kafka's isolation levels: read_uncommitted sees every record up to the high watermark;
 * read_committed stops at the last stable offset and never sees records of aborted transactions.
 * Neither sees control records (transaction markers), though offsets advance past them.
 */
export type IsolationLevel = 'read_uncommitted' | 'read_committed'

export interface ReadOptions {
  /** Soft limit: at least one whole batch is returned even when it is larger. Default 1 MiB. */
  readonly maxBytes?: number
  /** How long a read at the end of the log waits for an append. 0 answers at once. Default 0. */
  readonly maxWaitMs?: number
  readonly signal?: AbortSignal
  /** Default read_uncommitted. */
  readonly isolation?: IsolationLevel
}

export interface ReadResult {
  /** Records at or after the requested offset, in offset order. */
  readonly records: readonly StoredRecord[]
  /** The offset to read from next. */
  readonly nextOffset: number
  /** The end of the readable log (one past the last readable offset). */
  readonly highWatermark: number
  /** The first offset of the oldest transaction not yet decided, else the high watermark. */
  readonly lastStableOffset: number
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

export interface SubscribeOptions {
  readonly groupId: string
  readonly topics: readonly string[]
  /** How partitions are shared out: Kafka's range (default) or roundrobin assignor. */
  readonly assignor?: 'range' | 'roundrobin'
  /** Where to start in a partition with no committed offset. Default earliest. */
  readonly autoOffsetReset?: 'earliest' | 'latest'
  /** A member silent for this long is dropped and its partitions move. Default 30 s. */
  readonly sessionTimeoutMs?: number
  /** How long a rebalance waits for members to rejoin. Default 60 s. */
  readonly rebalanceTimeoutMs?: number
  /** Default 3 s. */
  readonly heartbeatIntervalMs?: number
  readonly clientId?: string
  /** Static membership: a member that comes back under the same id takes its old place. */
  readonly groupInstanceId?: string
  /** Kafka's isolation.level: read_committed skips aborted transactions and stops at the last stable offset. Default read_uncommitted. */
  readonly isolation?: IsolationLevel
}

export interface PollOptions {
  /** How long to wait when no assigned partition has records. Default 0. */
  readonly maxWaitMs?: number
  /** Soft limit per partition read. Default 1 MiB. */
  readonly maxBytes?: number
  /** Most records one poll hands out (Kafka's max.poll.records); the rest come with the next poll. */
  readonly maxRecords?: number
  readonly signal?: AbortSignal
}

export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number
}

/**
 * A member of a consumer group: it is given a share of the topics' partitions, reads them from the
 * group's committed offsets, and commits its progress. Kafka's consumer semantics.
 */
export interface GroupConsumer {
  readonly groupId: string
  /** The partitions this member holds now (after the last rebalance it took part in). */
  assignment(): TopicPartition[]
  /** Records from the assigned partitions; joins or rejoins the group first when needed. */
  poll(options?: PollOptions): Promise<StoredRecord[]>
  /** Commits the given offsets (the next offset to read), or the positions of all assigned partitions. */
  commit(offsets?: readonly TopicPartitionOffset[]): Promise<void>
  /** The next offset poll() reads from an assigned partition. */
  position(topic: string, partition: number): number | undefined
  /** Leaves the group, so its partitions move at once instead of after the session timeout. */
  close(): Promise<void>
}

export interface ConsumerGroupListing {
  readonly groupId: string
  /** Kafka's group states: Empty, PreparingRebalance, CompletingRebalance, Stable, Dead. */
  readonly state: string
  readonly members: number
}

export interface ConsumerGroupDescription extends ConsumerGroupListing {
  readonly assignor: string
  readonly memberships: ReadonlyArray<{
    readonly memberId: string
    readonly clientId: string
    readonly assignment: readonly TopicPartition[]
  }>
  /** Committed offsets with the log end and the lag between them. */
  readonly offsets: ReadonlyArray<TopicPartitionOffset & { readonly logEndOffset: number; readonly lag: number }>
}

/**
 * One of Kafka's transactions: appends to any topics and partitions, and a consumer group's offsets,
 * that read_committed readers see all at once when it commits, or never when it aborts. Calls are
 * made one at a time, in order.
 */
export interface LogTransaction {
  /** As Log.append (same partitioning), inside the transaction. */
  append(topic: string, records: readonly LogRecord[]): Promise<AppendResult[]>
  /** Kafka's sendOffsetsToTransaction: the group's committed offsets move only if the transaction commits. */
  commitGroupOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>
  commit(): Promise<void>
  abort(): Promise<void>
}

/**
 * Kafka's transactional producer, for exactly-once sources and topic pipelines. Opening one for a
 * transactional id fences every earlier producer of that id, in this process or another: their next
 * call fails with TRB_PRODUCER_FENCED, and a transaction they left open is aborted.
 */
export interface TransactionalProducer {
  readonly transactionalId: string
  /** Starts a transaction; the previous one must have committed or aborted. */
  begin(): Promise<LogTransaction>
  close(): Promise<void>
}

export interface TransactionalProducerOptions {
  /** Kafka's transaction.timeout.ms: a transaction open longer is aborted by the coordinator. Default 60 s. */
  readonly transactionTimeoutMs?: number
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
  /**
   * Kafka's DeleteRecords: the partition's records before `beforeOffset` (-1: the high watermark) are
   * deleted for good and its log start offset moves there (never back); resolves with the new log start
   * offset once it is durable. Past the high watermark: TRB_LOG_OFFSET_OUT_OF_RANGE; a topic whose
   * cleanup.policy is only compact: TRB_LOG_POLICY_VIOLATION.
   */
  deleteRecords(topic: string, partition: number, beforeOffset: number): Promise<number>
  /** earliest, latest, or the first offset whose timestamp is >= the given one (latest when none is). */
  listOffset(topic: string, partition: number, spec: OffsetSpec): Promise<number>
  /** Joins a consumer group; committed offsets live in the log itself (`__consumer_offsets`). */
  subscribe(options: SubscribeOptions): Promise<GroupConsumer>
  listGroups(): Promise<ConsumerGroupListing[]>
  describeGroup(groupId: string): Promise<ConsumerGroupDescription>
  /** Sets (or, with null, removes) committed offsets of a group that has no members. */
  alterGroupOffsets(groupId: string, offsets: ReadonlyArray<TopicPartition & { readonly offset: number | null }>): Promise<void>
  deleteGroup(groupId: string): Promise<void>
  /**
   * The group coordinator's classic protocol calls (JoinGroup, SyncGroup, Heartbeat, …), for members
   * that are not consumers: workers forming a Connect group. Absent where a log has no coordinator.
   */
  groupMembership?(): Promise<GroupMembership>
  /** A transactional producer under this id, fencing earlier ones. Absent where a log has no transactions. */
  transactionalProducer?(transactionalId: string, options?: TransactionalProducerOptions): Promise<TransactionalProducer>
  close(): Promise<void>
}
