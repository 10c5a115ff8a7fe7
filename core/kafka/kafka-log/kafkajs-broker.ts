/**
 * kafkajs's broker client, which its public API keeps to itself: the one way to Fetch from a chosen
 * offset without a consumer group, and to speak the group protocol for a member kafkajs does not
 * run. Only the calls KafkaLog makes are typed here; the shapes are kafkajs 2.2's (package.json pins
 * the major version).
 */
import { createRequire } from 'node:module'
import type { KafkaConfig, Logger as KafkajsLogger } from 'kafkajs'

const require = createRequire(import.meta.url)

/** A record as kafkajs decodes it from a fetched batch. */
export interface KafkajsMessage {
  readonly offset: string
  readonly timestamp: string
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers: Readonly<Record<string, Buffer | null | ReadonlyArray<Buffer | null>>>
  readonly isControlRecord: boolean
  readonly batchContext?: {
    readonly firstOffset: string
    readonly lastOffsetDelta: number
    readonly producerId?: string
    readonly inTransaction?: boolean
  }
}

export interface KafkajsFetchPartition {
  readonly partition: number
  readonly errorCode: number
  readonly highWatermark: string
  /** log_start_offset; kafkajs spells it this way (Fetch v5+). */
  readonly lastStartOffset?: string
  /** last_stable_offset (Fetch v4+). */
  readonly lastStableOffset?: string
  readonly abortedTransactions?: ReadonlyArray<{ readonly producerId: string; readonly firstOffset: string }>
  readonly messages: readonly KafkajsMessage[]
}

export interface KafkajsFetchRequest {
  readonly replicaId: number
  readonly isolationLevel: number
  readonly maxWaitTime: number
  readonly minBytes: number
  readonly maxBytes: number
  readonly topics: ReadonlyArray<{ topic: string; partitions: ReadonlyArray<{ partition: number; fetchOffset: string; maxBytes: number }> }>
}

export interface KafkajsJoinGroupResponse {
  readonly generationId: number
  readonly groupProtocol: string
  readonly leaderId: string
  readonly memberId: string
  readonly members: ReadonlyArray<{ readonly memberId: string; readonly groupInstanceId?: string | null; readonly memberMetadata: Buffer }>
}

export interface KafkajsBroker {
  connect(): Promise<void>
  disconnect(): Promise<void>
  findGroupCoordinator(request: { groupId: string; coordinatorType: number }): Promise<{ coordinator: BrokerAddress }>
  joinGroup(request: {
    groupId: string
    sessionTimeout: number
    rebalanceTimeout: number
    memberId: string
    protocolType: string
    groupProtocols: ReadonlyArray<{ name: string; metadata: Buffer }>
  }): Promise<KafkajsJoinGroupResponse>
  syncGroup(request: {
    groupId: string
    generationId: number
    memberId: string
    groupAssignment: ReadonlyArray<{ memberId: string; memberAssignment: Buffer }>
  }): Promise<{ memberAssignment: Buffer | null }>
  heartbeat(request: { groupId: string; groupGenerationId: number; memberId: string }): Promise<unknown>
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>
  offsetFetch(request: {
    groupId: string
    topics: ReadonlyArray<{ topic: string; partitions: ReadonlyArray<{ partition: number }> }>
  }): Promise<{ responses: ReadonlyArray<{ topic: string; partitions: ReadonlyArray<{ partition: number; offset: string }> }> }>
  offsetCommit(request: {
    groupId: string
    groupGenerationId: number
    memberId: string
    topics: ReadonlyArray<{ topic: string; partitions: ReadonlyArray<{ partition: number; offset: string }> }>
  }): Promise<unknown>
  fetch(
    request: KafkajsFetchRequest,
  ): Promise<{ responses: ReadonlyArray<{ topicName: string; partitions: readonly KafkajsFetchPartition[] }> }>
  /** Metadata of these topics as this broker sees it; a topic it does not know throws (UNKNOWN_TOPIC_OR_PARTITION). */
  metadata(
    topics: readonly string[],
  ): Promise<{ topicMetadata: ReadonlyArray<{ topic: string; partitionMetadata: ReadonlyArray<{ partitionId: number; leader: number }> }> }>
}

type BrokerConstructor = new (options: Record<string, unknown>) => KafkajsBroker
type ConnectionPoolConstructor = new (options: Record<string, unknown>) => unknown

const Broker = require('kafkajs/src/broker') as BrokerConstructor
const ConnectionPool = require('kafkajs/src/network/connectionPool') as ConnectionPoolConstructor
const defaultSocketFactory = require('kafkajs/src/network/socketFactory') as () => unknown

export interface BrokerAddress {
  readonly host: string
  readonly port: number
}

/** A broker client with its own connections, configured as the KafkaLog's Kafka instance is. */
export function createKafkajsBroker(address: BrokerAddress, config: KafkaConfig, logger: KafkajsLogger): KafkajsBroker {
  const connectionPool = new ConnectionPool({
    host: address.host,
    port: address.port,
    clientId: config.clientId,
    ssl: config.ssl,
    sasl: config.sasl,
    logger,
    socketFactory: config.socketFactory ?? defaultSocketFactory(),
    connectionTimeout: config.connectionTimeout ?? 1_000,
    requestTimeout: config.requestTimeout ?? 30_000,
    enforceRequestTimeout: config.enforceRequestTimeout ?? true,
  })
  // Asking a broker about a topic must never create it (a deleted topic would come back).
  return new Broker({
    connectionPool,
    logger,
    authenticationTimeout: config.authenticationTimeout ?? 10_000,
    allowAutoTopicCreation: false,
  })
}
