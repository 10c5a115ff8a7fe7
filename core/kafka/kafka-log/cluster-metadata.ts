/**
 * Which partitions a topic has and which broker leads each, cached for a short while: appends need
 * the partition count to partition by key, reads need the leader's address. A miss (a partition
 * past the cached count, a leader that moved) is answered by asking the cluster again.
 */
import type { Admin, PartitionMetadata } from 'kafkajs'
import { TributaryError } from '../../errors.ts'
import { fromKafkaError } from './kafka-error.ts'
import type { BrokerAddress } from './kafkajs-broker.ts'

interface TopicLayout {
  /** Leader node id per partition, by partition number. */
  readonly leaders: readonly number[]
  readonly fetchedAt: number
}

export class ClusterMetadata {
  private readonly admin: Admin
  private readonly maxAgeMs: number
  private readonly topics = new Map<string, TopicLayout>()
  private brokers = new Map<number, BrokerAddress>()

  constructor(admin: Admin, maxAgeMs: number) {
    this.admin = admin
    this.maxAgeMs = maxAgeMs
  }

  /** The topic's leaders by partition; TRB_TOPIC_NOT_FOUND when it does not exist. */
  async leaders(topic: string, options: { fresh?: boolean } = {}): Promise<readonly number[]> {
    const cached = this.topics.get(topic)
    if (cached && !options.fresh && Date.now() - cached.fetchedAt < this.maxAgeMs) return cached.leaders
    let partitions: PartitionMetadata[] | undefined
    try {
      const [found] = (await this.admin.fetchTopicMetadata({ topics: [topic] })).topics
      partitions = found?.partitions
    } catch (error) {
      this.topics.delete(topic)
      throw fromKafkaError(error, `looking up topic ${topic}`, { topic })
    }
    if (!partitions) throw notFound(topic)
    const leaders: number[] = []
    for (const p of partitions) leaders[p.partitionId] = p.leader
    this.topics.set(topic, { leaders, fetchedAt: Date.now() })
    return leaders
  }

  /**
   * Waits until every one of the topic's `partitions` has a leader, as the broker asked sees it. A
   * KRaft controller answers CreateTopics once it has recorded the topic, before the brokers have
   * heard of it, so a broker may call a topic created a moment ago unknown: that is asked again.
   */
  async awaitLeaders(topic: string, partitions: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      try {
        const leaders = await this.leaders(topic, { fresh: true })
        if (leaders.length >= partitions && leaders.every((leader) => leader >= 0)) return
      } catch (error) {
        const waitable = error instanceof TributaryError && (error.code === 'TRB_TOPIC_NOT_FOUND' || error.retriable)
        if (!waitable || Date.now() > deadline) throw error
      }
      if (Date.now() > deadline)
        throw new TributaryError('TRB_LOG_UNAVAILABLE', `topic ${topic} has partitions without a leader after ${timeoutMs} ms`, {
          details: { topic },
        })
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  /**
   * Runs `call` again while a broker answers that the topic is unknown or that it does not lead a
   * partition (a retriable error): right after CreateTopics, the broker kafkajs asks next may have
   * yet to hear of the topic or of its leaders.
   */
  async whileSettling<T>(topic: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      try {
        return await call()
      } catch (error) {
        const settling = error instanceof TributaryError && (error.code === 'TRB_TOPIC_NOT_FOUND' || error.retriable)
        if (!settling || Date.now() > deadline) throw error
        this.forget(topic)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  }

  /** The partition's leader; asks again before saying a partition does not exist. */
  async leaderOf(topic: string, partition: number): Promise<BrokerAddress> {
    let leaders = await this.leaders(topic)
    if (leaders[partition] === undefined) leaders = await this.leaders(topic, { fresh: true })
    const nodeId = leaders[partition]
    if (nodeId === undefined || !Number.isInteger(partition) || partition < 0) throw notFound(topic, partition)
    return this.addressOf(nodeId)
  }

  async partitionCount(topic: string): Promise<number> {
    return (await this.leaders(topic)).length
  }

  /** Forgets a topic, after this log changed it or a broker said the cache is stale. */
  forget(topic: string): void {
    this.topics.delete(topic)
  }

  /** Every broker of the cluster, as the cluster lists them now. */
  async allBrokers(): Promise<BrokerAddress[]> {
    await this.loadBrokers()
    return [...this.brokers.values()]
  }

  /** Some broker of the cluster, to ask what any broker answers (FindCoordinator). */
  async anyBroker(): Promise<BrokerAddress> {
    if (this.brokers.size === 0) await this.loadBrokers()
    const [first] = this.brokers.values()
    if (!first) throw new TributaryError('TRB_LOG_UNAVAILABLE', 'the cluster lists no brokers')
    return first
  }

  private async addressOf(nodeId: number): Promise<BrokerAddress> {
    let address = this.brokers.get(nodeId)
    if (address) return address
    await this.loadBrokers()
    address = this.brokers.get(nodeId)
    if (!address)
      throw new TributaryError('TRB_LOG_UNAVAILABLE', `broker ${nodeId} leads a partition but is not in the cluster's metadata`, {
        details: { nodeId },
      })
    return address
  }

  private async loadBrokers(): Promise<void> {
    try {
      const { brokers } = await this.admin.describeCluster()
      this.brokers = new Map(brokers.map((broker) => [broker.nodeId, { host: broker.host, port: broker.port }]))
    } catch (error) {
      throw fromKafkaError(error, 'looking up the brokers')
    }
  }
}

export function notFound(topic: string, partition?: number): TributaryError {
  return partition === undefined
    ? new TributaryError('TRB_TOPIC_NOT_FOUND', `topic ${topic} does not exist`, { details: { topic } })
    : new TributaryError('TRB_TOPIC_NOT_FOUND', `topic ${topic} has no partition ${partition}`, { details: { topic, partition } })
}
