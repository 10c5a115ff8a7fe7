/**
 * The Log seam over a Kafka cluster, through kafkajs: topics and groups with its admin client,
 * appends with an idempotent producer, reads with its broker client (kafkajs offers no fetch at an
 * offset outside a consumer group). Records land where EmbeddedLog would put them (murmur2 of the
 * key, else one partition per append call), so a hub moved between the two keeps its key order.
 * docs/kafka-log.md has the differences that remain.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import kafkajs, { type Admin, type IHeaders, type Kafka as KafkaClient, type KafkaConfig, type Message } from 'kafkajs'
import { systemClock } from '../clock.ts'
import { isTributaryError, TributaryError } from '../errors.ts'
import { ClassicGroupConsumer } from '../log/groups/classic-group-consumer.ts'
import type {
  AppendResult,
  ConsumerGroupDescription,
  ConsumerGroupListing,
  GroupConsumer,
  Log,
  LogRecord,
  OffsetSpec,
  ReadOptions,
  ReadResult,
  SubscribeOptions,
  TopicDescription,
  TopicPartition,
  TransactionalProducer,
  TransactionalProducerOptions,
} from '../log/log.ts'
import { partitionForKey, TopicSpreaders } from '../log/partitioner.ts'
import { validateTopicName, type TopicConfig } from '../log/topic-config.ts'
import { AppendProducer } from './kafka-log/append-producer.ts'
import { ClusterMetadata, notFound } from './kafka-log/cluster-metadata.ts'
import { fetchPartition } from './kafka-log/fetch-partition.ts'
import { serialAdmin } from './kafka-log/serial-admin.ts'
import { fromKafkaError } from './kafka-log/kafka-error.ts'
import { KafkaGroupAdmin } from './kafka-log/kafka-group-admin.ts'
import { KafkaGroupMembership } from './kafka-log/kafka-group-membership.ts'
import type { GroupMembership } from '../log/groups/group-membership.ts'
import type { Logger } from '../logger.ts'
import { kafkajsLogsTo } from './kafka-log/kafkajs-logs.ts'
import { fromConfigEntries, toConfigEntries } from './kafka-log/kafka-topic-config.ts'
import { BrokerConnections } from './kafka-log/broker-connections.ts'
import { KafkaTransactionalProducer, type Placed } from './kafka-log/transactional-producer.ts'
import { untilEveryBroker } from './kafka-log/every-broker.ts'

// kafkajs is CommonJS: Node's ESM loader sees only the exports it can detect statically.
const { ConfigResourceTypes, Kafka, logLevel } = kafkajs

export interface KafkaLogOptions extends Omit<KafkaConfig, 'brokers' | 'clientId'> {
  readonly brokers: string[]
  /** Default `tributary`. */
  readonly clientId?: string
  /** How long a topic's partition count and leaders are trusted before asking again. Default 5 s. */
  readonly metadataMaxAgeMs?: number
  /**
   * Where the Kafka client's warnings and errors go (a broker lost, a leader moved, a retry): they
   * are what an operator sees of a failover that the log rides out. Default: nowhere.
   */
  readonly logger?: Logger
}

const DEFAULT_MAX_BYTES = 1024 * 1024
/** How long a new topic's partitions may take to get leaders on every broker asked. */
const LEADER_WAIT_MS = 30_000

export class KafkaLog implements Log {
  private readonly kafka: KafkaClient
  private readonly admin: Admin
  private readonly producer: AppendProducer
  private readonly metadata: ClusterMetadata
  private readonly connections: BrokerConnections
  /** Group calls go on connections of their own, so a heartbeat never queues behind a read. */
  private readonly groupConnections: BrokerConnections
  private readonly membership: KafkaGroupMembership
  private readonly groupAdmin: KafkaGroupAdmin
  private readonly spreaders = new TopicSpreaders()
  private readonly consumers = new Set<GroupConsumer>()
  private readonly transactional = new Set<KafkaTransactionalProducer>()
  private closed = false

  private constructor(options: KafkaLogOptions) {
    const { metadataMaxAgeMs, logger, ...kafkaOptions } = options
    const logging = logger === undefined ? { logLevel: logLevel.NOTHING } : { logLevel: logLevel.WARN, logCreator: kafkajsLogsTo(logger) }
    const config: KafkaConfig = { clientId: 'tributary', ...logging, ...kafkaOptions }
    this.kafka = new Kafka(config)
    this.admin = serialAdmin(this.kafka.admin())
    this.producer = new AppendProducer(this.kafka)
    this.metadata = new ClusterMetadata(this.admin, metadataMaxAgeMs ?? 5_000)
    this.connections = new BrokerConnections(config, this.kafka.logger())
    this.groupConnections = new BrokerConnections(config, this.kafka.logger())
    this.membership = new KafkaGroupMembership(this.groupConnections, () => this.metadata.anyBroker())
    this.groupAdmin = new KafkaGroupAdmin(this.admin, this.membership)
  }

  /** Connects the admin client and the producer; fails at once when the cluster cannot be reached. */
  static async connect(options: KafkaLogOptions): Promise<KafkaLog> {
    let log: KafkaLog | undefined
    try {
      log = new KafkaLog(options)
      await log.admin.connect()
      await log.producer.ready()
      return log
    } catch (error) {
      await log?.close().catch(() => undefined) // the connect error is the one to report
      throw fromKafkaError(error, `connecting to Kafka at ${options.brokers.join(',')}`)
    }
  }

  async createTopic(name: string, config: Partial<TopicConfig> | Readonly<Record<string, unknown>> = {}): Promise<TopicDescription> {
    this.assertOpen()
    validateTopicName(name)
    const { partitions, entries } = toConfigEntries(name, config)
    let created: boolean
    try {
      // kafkajs's own wait for leaders gives up when a broker has yet to hear of the topic.
      created = await this.admin.createTopics({
        topics: [{ topic: name, numPartitions: partitions, configEntries: entries }],
        waitForLeaders: false,
      })
    } catch (error) {
      throw fromKafkaError(error, `creating topic ${name}`, { topic: name })
    }
    if (!created) throw new TributaryError('TRB_TOPIC_EXISTS', `topic ${name} already exists`, { details: { topic: name } })
    await this.metadata.awaitLeaders(name, partitions, LEADER_WAIT_MS)
    await untilEveryBroker(await this.metadata.allBrokers(), this.connections, name, { partitions }, LEADER_WAIT_MS)
    return this.metadata.whileSettling(name, LEADER_WAIT_MS, () => this.describeTopic(name))
  }

  async deleteTopic(name: string): Promise<void> {
    this.assertOpen()
    // kafkajs retries an unknown topic for seconds; asking first answers at once.
    await this.metadata.leaders(name, { fresh: true })
    try {
      await this.admin.deleteTopics({ topics: [name] })
    } catch (error) {
      throw fromKafkaError(error, `deleting topic ${name}`, { topic: name })
    } finally {
      this.metadata.forget(name)
      this.spreaders.forget(name)
    }
    await untilEveryBroker(await this.metadata.allBrokers(), this.connections, name, 'absent', LEADER_WAIT_MS)
  }

  /** Topic names, without internal ones (`__consumer_offsets`) unless asked, as EmbeddedLog lists them. */
  async listTopics(options: { includeInternal?: boolean } = {}): Promise<string[]> {
    this.assertOpen()
    try {
      const names = await this.admin.listTopics()
      return names.filter((name) => options.includeInternal || !name.startsWith('__')).sort()
    } catch (error) {
      throw fromKafkaError(error, 'listing topics')
    }
  }

  /**
   * Partitions from the topic's metadata and offsets, config from DescribeConfigs. Kafka's Metadata
   * as kafkajs speaks it carries no topic id, so the name stands in for it; kafkajs cannot describe
   * log directories either, so `sizeBytes` and `segments` read 0.
   */
  async describeTopic(name: string): Promise<TopicDescription> {
    this.assertOpen()
    const leaders = await this.metadata.leaders(name, { fresh: true })
    try {
      const [offsets, described] = await Promise.all([
        this.admin.fetchTopicOffsets(name),
        this.admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name }], includeSynonyms: false }),
      ])
      const entries = (described.resources[0]?.configEntries ?? []).map((entry) => ({ name: entry.configName, value: entry.configValue }))
      const partitions = offsets
        .map((p) => ({ partition: p.partition, logStartOffset: Number(p.low), highWatermark: Number(p.high), sizeBytes: 0, segments: 0 }))
        .sort((a, b) => a.partition - b.partition)
      return { name, id: name, config: fromConfigEntries(leaders.length, entries), partitions }
    } catch (error) {
      throw fromKafkaError(error, `describing topic ${name}`, { topic: name })
    }
  }

  async createPartitions(name: string, count: number): Promise<TopicDescription> {
    this.assertOpen()
    const current = (await this.metadata.leaders(name, { fresh: true })).length
    if (!Number.isInteger(count) || count <= current) {
      throw new TributaryError(
        'TRB_TOPIC_INVALID_PARTITIONS',
        `topic ${name} has ${current} partitions; the new count must be larger, not ${count}`,
        { details: { topic: name, current, requested: count } },
      )
    }
    try {
      await this.admin.createPartitions({ topicPartitions: [{ topic: name, count }] })
    } catch (error) {
      throw fromKafkaError(error, `growing topic ${name} to ${count} partitions`, { topic: name })
    } finally {
      this.metadata.forget(name)
    }
    // As after CreateTopics: the new partitions' leaders reach each broker a moment after the controller answers.
    await this.metadata.awaitLeaders(name, count, LEADER_WAIT_MS)
    await untilEveryBroker(await this.metadata.allBrokers(), this.connections, name, { partitions: count }, LEADER_WAIT_MS)
    return this.metadata.whileSettling(name, LEADER_WAIT_MS, () => this.describeTopic(name))
  }

  /**
   * Sends each partition's share of the records as one batch and waits for every in-sync replica
   * (acks -1). Offsets are each batch's base offset plus the record's place in it, in input order.
   * Appends land in the order they were called, as in EmbeddedLog: the place is taken before the
   * first await.
   */
  async append(topic: string, records: readonly LogRecord[]): Promise<AppendResult[]> {
    this.assertOpen()
    const slot = this.producer.reserve()
    let placed: Placed
    try {
      placed = await this.place(topic, records)
    } catch (error) {
      slot.cancel()
      throw error
    }
    if (records.length === 0) {
      slot.cancel()
      return []
    }
    return placed.results(await slot.send(topic, placed.byPartition))
  }

  /** Where each record goes (its partition, or murmur2 of its key, or the topic's sticky partition), as Kafka messages by partition. */
  private async place(topic: string, records: readonly LogRecord[]): Promise<Placed> {
    const count = await this.metadata.partitionCount(topic)
    // A loop, not Math.max(...): an append may hold more records than a call takes arguments.
    const highest = records.reduce((most, record) => Math.max(most, record.partition ?? 0), 0)
    const partitions = highest >= count ? (await this.metadata.leaders(topic, { fresh: true })).length : count
    const sticky = this.spreaders.next(topic, partitions)
    const targets = records.map((record) => record.partition ?? (record.key === null ? sticky : partitionForKey(record.key, partitions)))
    const byPartition = new Map<number, Message[]>()
    targets.forEach((partition, i) => {
      if (!Number.isInteger(partition) || partition < 0 || partition >= partitions) throw notFound(topic, partition)
      const list = byPartition.get(partition) ?? byPartition.set(partition, []).get(partition)!
      list.push(toMessage(records[i]!))
    })
    return {
      byPartition,
      // Offsets are each batch's base offset plus the record's place in it, in input order.
      results: (bases) => {
        const next = new Map<number, number>()
        return targets.map((partition) => {
          const index = next.get(partition) ?? 0
          next.set(partition, index + 1)
          return { partition, offset: bases.get(partition)! + index }
        })
      },
    }
  }

  /**
   * kafkajs's transactional producer (idempotent, one request in flight); connecting it sends
   * InitProducerId, which fences every earlier producer of the id.
   */
  async transactionalProducer(transactionalId: string, options: TransactionalProducerOptions = {}): Promise<TransactionalProducer> {
    this.assertOpen()
    const producer = await KafkaTransactionalProducer.connect(
      this.kafka,
      transactionalId,
      options,
      (topic, records) => this.place(topic, records),
      (topic, partition, offset, timeoutMs) => this.untilStable(topic, partition, offset, timeoutMs),
    )
    this.transactional.add(producer)
    return {
      transactionalId,
      begin: () => producer.begin(),
      close: async () => {
        this.transactional.delete(producer)
        await producer.close()
      },
    }
  }

  /** Waits until the partition's last stable offset is past `offset` (a commit's marker written); gives up quietly after `timeoutMs`. */
  private async untilStable(topic: string, partition: number, offset: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
      // Read just past the records: the answer carries the last stable offset, and the batch there is
      // at most the commit marker, where reading at `offset` would fetch the whole batch just written.
      // A failed read is tried again until the deadline: the wait is a courtesy, and the commit stands either way.
      const read = await this.read(topic, partition, offset + 1, { isolation: 'read_committed', maxBytes: 1 }).catch(() => undefined)
      if ((read !== undefined && read.lastStableOffset > offset) || Date.now() > deadline) return
      await sleep(pause)
    }
  }

  /** A Fetch from the partition's leader on a connection of its own, so a long wait holds up nothing else. */
  async read(topic: string, partition: number, offset: number, options: ReadOptions = {}): Promise<ReadResult> {
    this.assertOpen()
    const leader = await this.metadata.leaderOf(topic, partition)
    if (!Number.isInteger(offset) || offset < 0) {
      throw new TributaryError('TRB_LOG_OFFSET_OUT_OF_RANGE', `offset ${offset} is outside ${topic}-${partition}`, {
        details: { topic, partition, offset },
      })
    }
    try {
      return await this.connections.with(leader, (broker) =>
        fetchPartition(broker, {
          topic,
          partition,
          offset,
          maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
          maxWaitMs: options.maxWaitMs ?? 0,
          signal: options.signal,
          isolation: options.isolation,
          onAbandon: () => this.connections.abandon(broker),
        }),
      )
    } catch (error) {
      const mapped = fromKafkaError(error, `reading ${topic}-${partition}`, { topic, partition, offset })
      // The leader may have moved or the topic changed: look again next time.
      if (mapped.code === 'TRB_TOPIC_NOT_FOUND' || mapped.retriable) this.metadata.forget(topic)
      throw mapped
    }
  }

  /** DeleteRecords through kafkajs's admin client, then the partition's low watermark read back. */
  async deleteRecords(topic: string, partition: number, beforeOffset: number): Promise<number> {
    this.assertOpen()
    await this.metadata.leaderOf(topic, partition)
    try {
      // kafkajs finds the partition's leader in metadata it must have loaded already.
      await this.admin.fetchTopicMetadata({ topics: [topic] })
      await this.admin.deleteTopicRecords({ topic, partitions: [{ partition, offset: String(beforeOffset) }] })
      const found = (await this.admin.fetchTopicOffsets(topic)).find((p) => p.partition === partition)
      if (!found) throw notFound(topic, partition)
      return Number(found.low)
    } catch (error) {
      throw fromKafkaError(error, `deleting records of ${topic}-${partition} before ${beforeOffset}`, {
        topic,
        partition,
        offset: beforeOffset,
      })
    }
  }

  /** Kafka's ListOffsets; a timestamp past every record answers the log end, as EmbeddedLog does. */
  async listOffset(topic: string, partition: number, spec: OffsetSpec): Promise<number> {
    this.assertOpen()
    await this.metadata.leaderOf(topic, partition)
    try {
      if (spec === 'earliest' || spec === 'latest') {
        const found = (await this.admin.fetchTopicOffsets(topic)).find((p) => p.partition === partition)
        if (!found) throw notFound(topic, partition)
        return Number(spec === 'earliest' ? found.low : found.high)
      }
      const found = (await this.admin.fetchTopicOffsetsByTimestamp(topic, spec.timestamp)).find((p) => p.partition === partition)
      if (!found) throw notFound(topic, partition)
      return Number(found.offset)
    } catch (error) {
      throw fromKafkaError(error, `looking up an offset in ${topic}-${partition}`, { topic, partition })
    }
  }

  /** The topic's partition count (cached as appends use it); undefined when it does not exist. */
  async partitionCount(topic: string): Promise<number | undefined> {
    try {
      return await this.metadata.partitionCount(topic)
    } catch (error) {
      if (isTributaryError(error, 'TRB_TOPIC_NOT_FOUND')) return undefined
      throw error
    }
  }

  /** The cluster's group coordinators, reached through the FindCoordinator answer for each group. */
  groupMembership(): Promise<GroupMembership> {
    this.assertOpen()
    return Promise.resolve(this.membership)
  }

  /**
   * A member speaking the classic group protocol to the group's coordinator on the cluster (the
   * same member EmbeddedLog runs), reading through this log. Static membership is refused: kafkajs's
   * broker client cannot send group.instance.id.
   */
  async subscribe(options: SubscribeOptions): Promise<GroupConsumer> {
    this.assertOpen()
    const consumer = await ClassicGroupConsumer.subscribe({ log: this, membership: this.membership, clock: systemClock }, options)
    this.consumers.add(consumer)
    return consumer
  }

  listGroups(): Promise<ConsumerGroupListing[]> {
    this.assertOpen()
    return this.groupAdmin.listGroups()
  }

  describeGroup(groupId: string): Promise<ConsumerGroupDescription> {
    this.assertOpen()
    return this.groupAdmin.describeGroup(groupId)
  }

  alterGroupOffsets(groupId: string, offsets: ReadonlyArray<TopicPartition & { readonly offset: number | null }>): Promise<void> {
    this.assertOpen()
    return this.groupAdmin.alterGroupOffsets(groupId, offsets)
  }

  deleteGroup(groupId: string): Promise<void> {
    this.assertOpen()
    return this.groupAdmin.deleteGroup(groupId)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    // Members leave first, so their partitions move at once.
    await Promise.allSettled([...this.consumers, ...this.transactional].map((member) => member.close()))
    const results = await Promise.allSettled([
      this.connections.close(),
      this.groupConnections.close(),
      this.producer.close(),
      this.admin.disconnect(),
    ])
    const failed = results.find((result) => result.status === 'rejected')
    if (failed) throw fromKafkaError(failed.reason, 'closing the Kafka connections')
  }

  private assertOpen(): void {
    if (this.closed) throw new TributaryError('TRB_LOG_CLOSED', 'the log is closed')
  }
}

/** kafkajs folds headers into an object: a repeated key becomes a list under that key. */
function toMessage(record: LogRecord): Message {
  const headers: IHeaders = {}
  for (const { key, value } of record.headers ?? []) {
    const existing = headers[key]
    const one = value as Buffer
    headers[key] = existing === undefined ? one : [...(Array.isArray(existing) ? existing : [existing]), one]
  }
  return { key: record.key, value: record.value, headers, timestamp: String(record.timestamp ?? Date.now()) }
}
