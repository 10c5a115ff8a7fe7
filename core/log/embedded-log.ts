/**
 * The embedded log engine behind the Log seam: topics of partitions in one data directory, in process.
 * Admin operations (create, delete, grow) run one at a time; appends and reads go straight to the
 * partitions and never wait on them.
 */
import fs from 'node:fs'
import path from 'node:path'
import { runEvery, systemClock, type Clock } from '../clock.ts'
import { TributaryError, storageError } from '../errors.ts'
import { GroupCoordinator } from './groups/coordinator.ts'
import type { GroupMembership } from './groups/group-membership.ts'
import { describeGroup, listGroups } from './groups/group-admin.ts'
import { ClassicGroupConsumer } from './groups/classic-group-consumer.ts'
import { TransactionCoordinator, type TransactionCoordinatorOptions } from './transactions/coordinator.ts'
import { TRANSACTION_STATE_TOPIC } from './transactions/transaction-log.ts'
import type { Allocate } from './file-io.ts'
import type { SkippedRecord } from './internal-topic-log.ts'
import type {
  AppendResult,
  ConsumerGroupDescription,
  ConsumerGroupListing,
  GroupConsumer,
  TopicPartition,
  Log,
  LogRecord,
  OffsetSpec,
  ReadOptions,
  ReadResult,
  StoredRecord,
  SubscribeOptions,
  TopicDescription,
  TransactionalProducer,
  TransactionalProducerOptions,
} from './log.ts'
import type { Partition, PartitionRead, RecoveryEvent } from './partition.ts'
import type { RecoveredProducer } from './recovered-producers.ts'
import { partitionForKey, TopicSpreaders } from './partitioner.ts'
import { ATTR_TRANSACTIONAL, checkBatch, decodeBatchRecords, encodeRecordBatch, readBatchHeader } from './record-batch.ts'
import type { TransactionalAppend } from './transactions/transactional-append.ts'
import { openEmbeddedProducer } from './transactions/embedded-producer.ts'
import { decodeCommittedRecords } from './committed-records.ts'
import { compressBatch } from './compression/compress-batch.ts'
import type { CompressionType } from './compression/compression-codecs.ts'
import { Topic } from './topic.ts'
import { isCompacted, isDeleteRetained, validateTopicName, writeCompressionOf, type TopicConfig } from './topic-config.ts'
import { DEFAULT_COMPACTION_MAP_BYTES } from './compaction.ts'
import { maintainTopics, type MaintenanceReport } from './maintenance.ts'
import { chunkRecords } from './record-chunks.ts'
import { DIR_MODE, tightenDataDir, type TightenedModes } from './data-dir-modes.ts'
import { BatchPool } from './batch-pool.ts'

export interface EmbeddedLogOptions {
  readonly dataDir: string
  readonly clock?: Clock
  /** Called when opening cut a torn or corrupt tail off a segment. */
  readonly onRecovery?: (event: RecoveryEvent) => void
  /** Called for a record of an internal topic (`__consumer_offsets`) that does not parse, which is skipped. */
  readonly onSkippedRecord?: (event: SkippedRecord) => void
  /** Called when opening found files or directories others could read, with what it closed and what it could not. */
  readonly onModesTightened?: (event: TightenedModes) => void
  /** How often retention and compaction run; 0 leaves them to explicit runMaintenance() calls. */
  readonly maintenanceIntervalMs?: number
  /** Told about a maintenance pass that failed; the loop carries on with the next pass. */
  readonly onMaintenanceError?: (error: unknown) => void
  /** Most memory a compaction pass spends on its key map (Kafka's log.cleaner.dedupe.buffer.size); default 128 MiB. */
  readonly compactionMapBytes?: number
  /** The transaction coordinator's timeouts (its clock is the log's). */
  readonly transactions?: Omit<TransactionCoordinatorOptions, 'clock'>
}

export type { MaintenanceReport } from './maintenance.ts'

export interface RawReadOptions extends ReadOptions {
  /**
   * Gives the buffers the read fills; fresh ones by default. The Kafka fetch path lends buffers it
   * takes back once the response has gone out: the batches returned are views into them.
   */
  readonly allocate?: Allocate
}

const DEFAULT_MAX_BYTES = 1024 * 1024
const TRASH_DIR = '.deleted'

export class EmbeddedLog implements Log {
  readonly dataDir: string
  readonly clock: Clock
  private readonly topicsDir: string
  private readonly compactionMapBytes: number
  private readonly topics = new Map<string, Topic>()
  private readonly spreaders = new TopicSpreaders()
  private readonly onRecovery: ((event: RecoveryEvent) => void) | undefined
  /** Memory the records of append() are encoded into, shared by every partition. */
  private readonly batchPool = new BatchPool()
  private readonly onModesTightened: ((event: TightenedModes) => void) | undefined
  private readonly onSkippedRecord: ((event: SkippedRecord) => void) | undefined
  private adminChain: Promise<unknown> = Promise.resolve()
  private closed = false
  private coordinator: Promise<GroupCoordinator> | undefined
  private readonly transactionOptions: Omit<TransactionCoordinatorOptions, 'clock'>
  private transactionCoordinator: Promise<TransactionCoordinator> | undefined
  private openedTransactionCoordinator: TransactionCoordinator | undefined
  private readonly consumers = new Set<GroupConsumer>()
  private readonly maintenanceStop = new AbortController()
  private maintenanceLoop: Promise<void> = Promise.resolve()

  private constructor(options: EmbeddedLogOptions) {
    this.dataDir = options.dataDir
    this.clock = options.clock ?? systemClock
    this.topicsDir = path.join(options.dataDir, 'topics')
    this.onRecovery = options.onRecovery
    this.onModesTightened = options.onModesTightened
    this.onSkippedRecord = options.onSkippedRecord
    this.compactionMapBytes = options.compactionMapBytes ?? DEFAULT_COMPACTION_MAP_BYTES
    this.transactionOptions = options.transactions ?? {}
  }

  /** The directories the log keeps its own files in (topic segments, deleted topics), which nothing else may touch. */
  get storageDirs(): string[] {
    return [this.topicsDir, path.join(this.dataDir, TRASH_DIR)]
  }

  static async open(options: EmbeddedLogOptions): Promise<EmbeddedLog> {
    const log = new EmbeddedLog(options)
    await log.load()
    // Transactions a crash left undecided hold readers back: complete them before anyone reads.
    if (log.hasTopic(TRANSACTION_STATE_TOPIC)) await log.transactions()
    const interval = options.maintenanceIntervalMs ?? 30_000
    if (interval > 0) log.maintenanceLoop = log.maintainEvery(interval, options.onMaintenanceError)
    return log
  }

  private async load(): Promise<void> {
    let modes: TightenedModes
    try {
      await fs.promises.mkdir(this.topicsDir, { recursive: true, mode: DIR_MODE })
      // A delete that crashed half way left its directory here; finish it.
      await fs.promises.rm(path.join(this.dataDir, TRASH_DIR), { recursive: true, force: true })
      modes = await tightenDataDir(this.dataDir)
    } catch (error) {
      throw storageError('open data directory', this.dataDir, error)
    }
    if (modes.tightened.length > 0 || modes.failed.length > 0) this.onModesTightened?.(modes)
    for (const entry of await fs.promises.readdir(this.topicsDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue
      const directory = path.join(this.topicsDir, entry.name)
      if (!fs.existsSync(path.join(directory, 'topic.json'))) {
        // A create that crashed before its metadata was durable: nothing in it was ever acknowledged.
        await fs.promises.rm(directory, { recursive: true, force: true })
        continue
      }
      const topic = await Topic.open(directory, this.topicOptions())
      this.topics.set(topic.name, topic)
    }
  }

  /** Tells the owner about a record of an internal topic that was skipped. */
  reportSkippedRecord(event: SkippedRecord): void {
    this.onSkippedRecord?.(event)
  }

  private topicOptions() {
    return { clock: this.clock, batchPool: this.batchPool, ...(this.onRecovery ? { onRecovery: this.onRecovery } : {}) }
  }

  private admin<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.adminChain.then(() => {
      this.assertOpen()
      return operation()
    })
    this.adminChain = result.catch(() => undefined) // the caller gets the failure from `result`; the chain only orders the next operation
    return result
  }

  createTopic(name: string, config: Partial<TopicConfig> | Readonly<Record<string, unknown>> = {}): Promise<TopicDescription> {
    return this.admin(async () => {
      validateTopicName(name)
      if (this.topics.has(name)) throw new TributaryError('TRB_TOPIC_EXISTS', `topic ${name} already exists`, { details: { topic: name } })
      const topic = await Topic.create(path.join(this.topicsDir, name), name, config, this.topicOptions())
      this.topics.set(name, topic)
      return topic.describe()
    })
  }

  deleteTopic(name: string): Promise<void> {
    return this.admin(async () => {
      const topic = this.topicOrThrow(name)
      this.topics.delete(name)
      this.spreaders.forget(name)
      await topic.close()
      const trash = path.join(this.dataDir, TRASH_DIR)
      try {
        await fs.promises.mkdir(trash, { recursive: true, mode: DIR_MODE })
        const doomed = path.join(trash, `${name}-${topic.id}`)
        await fs.promises.rename(topic.directory, doomed)
        await fs.promises.rm(doomed, { recursive: true, force: true })
      } catch (error) {
        throw storageError('delete topic', topic.directory, error)
      }
    })
  }

  /** Topic names, without internal ones (`__consumer_offsets`) unless asked, as Kafka's admin client lists them. */
  async listTopics(options: { includeInternal?: boolean } = {}): Promise<string[]> {
    return [...this.topics.keys()].filter((name) => options.includeInternal || !name.startsWith('__')).sort()
  }

  /** The consumer-group coordinator; its offsets topic is created the first time groups are used. */
  groups(): Promise<GroupCoordinator> {
    this.assertOpen()
    this.coordinator ??= GroupCoordinator.open(this)
    return this.coordinator
  }

  /**
   * The transaction coordinator; `__transaction_state` is created the first time transactions are
   * used, and once it exists the coordinator opens with the log (recovering what a crash left).
   */
  transactions(): Promise<TransactionCoordinator> {
    this.assertOpen()
    this.transactionCoordinator ??= TransactionCoordinator.open(this, this.transactionOptions).then((coordinator) => {
      this.openedTransactionCoordinator = coordinator
      return coordinator
    })
    return this.transactionCoordinator
  }

  /** The transaction coordinator if it has opened, for callers that may not wait (the produce path). */
  get openedTransactions(): TransactionCoordinator | undefined {
    return this.openedTransactionCoordinator
  }

  /** Kafka's transactional producer, on the coordinator the listener serves too. */
  transactionalProducer(transactionalId: string, options?: TransactionalProducerOptions): Promise<TransactionalProducer> {
    this.assertOpen()
    return openEmbeddedProducer(this, transactionalId, options)
  }

  /** The Log seam's view of the coordinator: the embedded one answers the group calls in process. */
  groupMembership(): Promise<GroupMembership> {
    return this.groups()
  }

  async subscribe(options: SubscribeOptions): Promise<GroupConsumer> {
    const consumer = await ClassicGroupConsumer.subscribe({ log: this, membership: await this.groups(), clock: this.clock }, options)
    this.consumers.add(consumer)
    return consumer
  }

  async listGroups(): Promise<ConsumerGroupListing[]> {
    return listGroups(await this.groups())
  }

  async describeGroup(groupId: string): Promise<ConsumerGroupDescription> {
    return describeGroup(await this.groups(), this, groupId)
  }

  async alterGroupOffsets(groupId: string, offsets: ReadonlyArray<TopicPartition & { readonly offset: number | null }>): Promise<void> {
    await (await this.groups()).alterOffsets(groupId, offsets)
  }

  async deleteGroup(groupId: string): Promise<void> {
    await (await this.groups()).deleteGroup(groupId)
  }

  async describeTopic(name: string): Promise<TopicDescription> {
    return this.topicOrThrow(name).describe()
  }

  createPartitions(name: string, count: number): Promise<TopicDescription> {
    return this.admin(async () => {
      const topic = this.topicOrThrow(name)
      if (!Number.isInteger(count) || count <= topic.partitions.length) {
        throw new TributaryError(
          'TRB_TOPIC_INVALID_PARTITIONS',
          `topic ${name} has ${topic.partitions.length} partitions; the new count must be larger, not ${count}`,
          { details: { topic: name, current: topic.partitions.length, requested: count } },
        )
      }
      await topic.addPartitions(count, this.topicOptions())
      return topic.describe()
    })
  }

  /** Changes topic config keys (not partitions) on a live topic. */
  alterTopicConfig(name: string, changes: Readonly<Record<string, unknown>>): Promise<TopicDescription> {
    return this.admin(async () => {
      const topic = this.topicOrThrow(name)
      await topic.alterConfig(changes)
      return topic.describe()
    })
  }

  append(topicName: string, records: readonly LogRecord[]): Promise<AppendResult[]> {
    return this.appendAs(topicName, records, undefined)
  }

  /** append, or with `transaction` an append of a transactional producer (transactions/embedded-producer.ts). */
  async appendAs(topicName: string, records: readonly LogRecord[], transaction: TransactionalAppend | undefined): Promise<AppendResult[]> {
    this.assertOpen()
    const topic = this.topicOrThrow(topicName)
    if (records.length === 0) return []
    const partitionCount = topic.partitions.length
    if (isCompacted(topic.config) && records.some((record) => record.key === null)) {
      throw new TributaryError('TRB_LOG_INVALID_BATCH', `topic ${topicName} is compacted: every record needs a key`, {
        details: { topic: topicName },
      })
    }
    const now = this.clock.now()
    // Keyless records of one call stay together on one partition (Kafka's sticky partitioner).
    const sticky = this.spreaders.next(topicName, partitionCount)
    const targets = new Int32Array(records.length)
    let single = -1
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!
      const partition = record.partition ?? (record.key === null ? sticky : partitionForKey(record.key, partitionCount))
      if (!Number.isInteger(partition) || partition < 0 || partition >= partitionCount) {
        throw new TributaryError('TRB_TOPIC_NOT_FOUND', `topic ${topicName} has no partition ${partition}`, {
          details: { topic: topicName, partition },
        })
      }
      targets[i] = partition
      single = i === 0 || single === partition ? partition : -2
    }
    const maxBatchBytes = topic.config['max.message.bytes']
    const compression = writeCompressionOf(topic.config)
    if (transaction !== undefined) {
      await transaction.join(single >= 0 ? [single] : [...new Set(targets)])
      this.assertOpen()
    }
    if (single >= 0) {
      // The common case, one partition: the caller's records are encoded as they are.
      // Not awaited here: the records are encoded already, and nothing keeps them while the disk flushes.
      return this.appendChunked(topic.partitions[single]!, records, maxBatchBytes, compression, now, transaction).then((offsets) =>
        offsets.map((offset) => ({ partition: single, offset })),
      )
    }
    const byPartition = new Map<number, number[]>()
    targets.forEach((partition, i) => {
      const list = byPartition.get(partition)
      if (list) list.push(i)
      else byPartition.set(partition, [i])
    })
    const results = new Array<AppendResult>(records.length)
    await Promise.all(
      [...byPartition].map(async ([partition, indexes]) => {
        const offsets = await this.appendChunked(
          topic.partitions[partition]!,
          indexes.map((i) => records[i]!),
          maxBatchBytes,
          compression,
          now,
          transaction,
        )
        indexes.forEach((recordIndex, n) => {
          results[recordIndex] = { partition, offset: offsets[n]! }
        })
      }),
    )
    return results
  }

  /**
   * Encodes records as one batch, or as several in order when together they would pass
   * max.message.bytes (as a Kafka producer splits by batch.size); the batches share one group
   * commit. Only a single record larger than the limit is refused. Each batch is compressed with the
   * topic's compression.type; the split counts uncompressed bytes. Returns each record's offset.
   */
  private appendChunked(
    partition: Partition,
    records: readonly LogRecord[],
    maxBatchBytes: number,
    compression: CompressionType,
    now: number,
    transaction: TransactionalAppend | undefined,
  ): Promise<number[]> {
    const chunks = chunkRecords(records, maxBatchBytes)
    const lengths = chunks.map((part) => part.length)
    // A transaction's batches carry its producer and the transactional flag, checked just before they queue.
    transaction?.check(partition.partition)
    // Uncompressed batches are encoded straight into pooled memory, which the partition releases once written.
    const allocate = compression === 'none' ? this.batchPool.allocate : undefined
    const appended = chunks.map((part) =>
      partition.appendBatch(
        compressBatch(
          transaction === undefined
            ? encodeRecordBatch(part, 0, undefined, undefined, now, 0, allocate)
            : encodeRecordBatch(
                part,
                0,
                transaction.producer(partition.partition, part.length),
                undefined,
                now,
                ATTR_TRANSACTIONAL,
                allocate,
              ),
          compression,
        ),
      ),
    )
    return Promise.all(appended).then((bases) => lengths.flatMap((length, i) => Array.from({ length }, (_, n) => bases[i]! + n)))
  }

  /**
   * Appends an encoded batch as a Kafka producer sent it (offsets are assigned here). The Kafka
   * listener's produce path uses this so the client's bytes are stored as they came.
   */
  async appendBatch(topicName: string, partition: number, batch: Buffer): Promise<number> {
    return this.queueBatch(topicName, partition, batch)
  }

  /**
   * appendBatch in two steps: the batch is checked and takes its offsets before this returns (a
   * refused batch throws here and takes none), and the promise resolves once it is durable. Batches
   * queued one after another are stored in that order and share the partition's next fsync, so the
   * listener can queue a connection's next produce while the last one waits for the disk.
   */
  queueBatch(topicName: string, partition: number, batch: Buffer): Promise<number> {
    this.assertOpen()
    const target = this.partitionOrThrow(topicName, partition)
    const problem = checkBatch(batch, 0)
    if (problem !== undefined) {
      throw new TributaryError('TRB_LOG_INVALID_BATCH', `refused a batch for ${topicName}-${partition}: ${problem}`, {
        details: { topic: topicName, partition, problem },
      })
    }
    const header = readBatchHeader(batch, 0)
    if (header.sizeBytes !== batch.length) {
      throw new TributaryError(
        'TRB_LOG_INVALID_BATCH',
        `refused a batch for ${topicName}-${partition}: ${batch.length - header.sizeBytes} bytes after its end`,
      )
    }
    const config = this.topicConfig(topicName)
    if (batch.length > config['max.message.bytes']) {
      throw new TributaryError(
        'TRB_LOG_RECORD_TOO_LARGE',
        `batch of ${batch.length} bytes exceeds max.message.bytes ${config['max.message.bytes']} of ${topicName}`,
        {
          details: { topic: topicName, sizeBytes: batch.length, limit: config['max.message.bytes'] },
        },
      )
    }
    if (isCompacted(config) && hasKeylessRecord(batch, topicName, partition)) {
      throw new TributaryError('TRB_LOG_INVALID_BATCH', `topic ${topicName} is compacted: every record needs a key`, {
        details: { topic: topicName },
      })
    }
    return target.appendBatch(batch)
  }

  async read(topicName: string, partition: number, offset: number, options: ReadOptions = {}): Promise<ReadResult> {
    const raw = await this.readBatches(topicName, partition, offset, options)
    const records: StoredRecord[] = []
    let nextOffset = offset
    if (raw.abortedTransactions) decodeCommittedRecords(raw.batches, raw.abortedTransactions, topicName, partition, offset, records)
    for (const batch of raw.batches) {
      if (!raw.abortedTransactions) decodeBatchRecords(batch, topicName, partition, offset, records)
      nextOffset = Math.max(nextOffset, readBatchHeader(batch, 0).lastOffset + 1)
    }
    return {
      records,
      nextOffset,
      highWatermark: raw.highWatermark,
      lastStableOffset: raw.lastStableOffset,
      logStartOffset: raw.logStartOffset,
    }
  }

  /** Raw batches as stored, for callers (the Kafka fetch path) that send them on as they are. */
  readBatches(topicName: string, partition: number, offset: number, options: RawReadOptions = {}): Promise<PartitionRead> {
    this.assertOpen()
    return this.partitionOrThrow(topicName, partition).read(
      offset,
      options.maxBytes ?? DEFAULT_MAX_BYTES,
      options.maxWaitMs ?? 0,
      options.signal,
      options.isolation,
      options.allocate,
    )
  }

  /**
   * Kafka's DeleteRecords: records of the partition before `beforeOffset` (-1: the high watermark) are
   * gone for good, and the new log start offset (low watermark) is returned once it is durable. Past
   * the high watermark is out of range; a topic that only compacts refuses it, as Kafka's policy does.
   */
  deleteRecords(topicName: string, partition: number, beforeOffset: number): Promise<number> {
    return this.admin(async () => {
      const target = this.partitionOrThrow(topicName, partition)
      if (!isDeleteRetained(this.topicConfig(topicName))) {
        throw new TributaryError(
          'TRB_LOG_POLICY_VIOLATION',
          `records of ${topicName}-${partition} cannot be deleted: its cleanup.policy is compact`,
          { details: { topic: topicName, partition } },
        )
      }
      return target.deleteRecordsBefore(beforeOffset === -1 ? target.highWatermark : beforeOffset)
    })
  }

  async listOffset(topicName: string, partition: number, spec: OffsetSpec): Promise<number> {
    this.assertOpen()
    const target = this.partitionOrThrow(topicName, partition)
    if (spec === 'earliest') return target.logStartOffset
    if (spec === 'latest') return target.highWatermark
    return target.offsetForTimestamp(spec.timestamp)
  }

  /** A producer's last batches on the partition as its log held them at open, once (see recovered-producers.ts); undefined when unknown. */
  takeRecoveredProducer(topicName: string, partition: number, producerId: number): RecoveredProducer | undefined {
    return this.topics.get(topicName)?.partitions[partition]?.takeRecoveredProducer(producerId)
  }

  /** The partitions of a topic, for retention and compaction. */
  partitionsOf(topicName: string): readonly Partition[] {
    return this.topicOrThrow(topicName).partitions
  }

  topicConfig(topicName: string): TopicConfig {
    return this.topicOrThrow(topicName).config
  }

  /** The topic's config keys that were set rather than left at their defaults (`partitions` included). */
  topicConfigOverrides(topicName: string): readonly string[] {
    return this.topicOrThrow(topicName).configOverrides
  }

  hasTopic(name: string): boolean {
    return this.topics.has(name)
  }

  async partitionCount(name: string): Promise<number | undefined> {
    return this.topics.get(name)?.partitions.length
  }

  /**
   * One pass of retention (delete policy) and compaction (compact policy) over every partition. It
   * runs in the admin queue, so no topic is deleted under it; appends and reads carry on meanwhile.
   */
  runMaintenance(): Promise<MaintenanceReport> {
    return this.admin(() => maintainTopics(this.topics.values(), this.clock, this.compactionMapBytes))
  }

  private maintainEvery(intervalMs: number, onError: ((error: unknown) => void) | undefined): Promise<void> {
    const signal = this.maintenanceStop.signal
    return runEvery(this.clock, intervalMs, signal, async () => {
      try {
        await this.runMaintenance()
      } catch (error) {
        if (!signal.aborted) onError?.(error)
      }
    })
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.maintenanceStop.abort()
    await this.maintenanceLoop
    // Consumers left open would heartbeat forever; they leave their groups with the log.
    await Promise.allSettled([...this.consumers].map((consumer) => consumer.close()))
    // A coordinator that failed to open has nothing to close, and its failure went to whoever awaited it.
    if (this.transactionCoordinator) await (await this.transactionCoordinator.catch(() => undefined))?.close()
    if (this.coordinator) await (await this.coordinator).close()
    await this.adminChain
    this.closed = true
    const results = await Promise.allSettled([...this.topics.values()].map((topic) => topic.close()))
    const failed = results.find((result) => result.status === 'rejected')
    if (failed) throw failed.reason
  }

  private topicOrThrow(name: string): Topic {
    const topic = this.topics.get(name)
    if (!topic) throw new TributaryError('TRB_TOPIC_NOT_FOUND', `topic ${name} does not exist`, { details: { topic: name } })
    return topic
  }

  private partitionOrThrow(topicName: string, partition: number): Partition {
    const target = this.topicOrThrow(topicName).partitions[partition]
    if (!target)
      throw new TributaryError('TRB_TOPIC_NOT_FOUND', `topic ${topicName} has no partition ${partition}`, {
        details: { topic: topicName, partition },
      })
    return target
  }

  private assertOpen(): void {
    if (this.closed) throw new TributaryError('TRB_LOG_CLOSED', 'the log is closed')
  }
}

function hasKeylessRecord(batch: Buffer, topic: string, partition: number): boolean {
  const records: StoredRecord[] = []
  decodeBatchRecords(batch, topic, partition, 0, records)
  return records.some((record) => record.key === null)
}
