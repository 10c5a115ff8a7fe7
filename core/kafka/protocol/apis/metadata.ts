/**
 * Metadata (key 3), versions 0-13; flexible from 9.
 *
 * Metadata Request (Version: 0-13) => [topics] allow_auto_topic_creation(4+)
 *   include_cluster_authorized_operations(8-10) include_topic_authorized_operations(8+) TAG_BUFFER(9+)
 *   topics => topic_id:uuid(10+) name:string (nullable 10+) TAG_BUFFER(9+)
 *   v0: an empty list means every topic; v1+: null means every topic, empty means none.
 * Metadata Response (Version: 0-13) => throttle_time_ms(3+) [brokers] cluster_id(2+) controller_id(1+)
 *   [topics] cluster_authorized_operations(8-10) error_code:int16(13+) TAG_BUFFER(9+)
 *   brokers => node_id host port rack(1+) TAG_BUFFER(9+)
 *   topics => error_code name topic_id(10+) is_internal(1+) [partitions] topic_authorized_operations(8+) TAG_BUFFER(9+)
 *   partitions => error_code partition_index leader_id leader_epoch(7+) [replica_nodes] [isr_nodes]
 *     [offline_replicas](5+) TAG_BUFFER(9+)
 */
import type { KafkaReader } from '../reader.ts'
import { ZERO_UUID } from '../uuid.ts'
import type { KafkaWriter } from '../writer.ts'

export const metadataVersions = { min: 0, max: 13, flexibleFrom: 9 } as const

const UNKNOWN_OPERATIONS = -2147483648

export interface MetadataRequest {
  /** null: every topic. */
  readonly topics: ReadonlyArray<{ readonly topicId: Buffer; readonly name: string | null }> | null
  readonly allowAutoTopicCreation: boolean
  readonly includeTopicAuthorizedOperations: boolean
}

export interface MetadataBroker {
  readonly nodeId: number
  readonly host: string
  readonly port: number
  readonly rack: string | null
}

export interface MetadataPartition {
  readonly errorCode: number
  readonly partitionIndex: number
  readonly leaderId: number
  readonly leaderEpoch: number
  readonly replicaNodes: readonly number[]
  readonly isrNodes: readonly number[]
  readonly offlineReplicas: readonly number[]
}

export interface MetadataTopic {
  readonly errorCode: number
  readonly name: string | null
  readonly topicId: Buffer
  readonly isInternal: boolean
  readonly partitions: readonly MetadataPartition[]
}

export interface MetadataResponse {
  readonly throttleTimeMs: number
  readonly brokers: readonly MetadataBroker[]
  readonly clusterId: string | null
  readonly controllerId: number
  readonly topics: readonly MetadataTopic[]
  /** v13+: an error for the whole request (Kafka's REBOOTSTRAP_REQUIRED); 0 otherwise. */
  readonly errorCode: number
}

export function decodeMetadataRequest(r: KafkaReader, v: number): MetadataRequest {
  const list = r.nullableArray((t) => {
    const topicId = v >= 10 ? t.uuid() : ZERO_UUID
    const name = v >= 10 ? t.nullableString() : t.string()
    t.taggedFields()
    return { topicId, name }
  })
  const topics = v === 0 && list !== null && list.length === 0 ? null : list
  const allowAutoTopicCreation = v >= 4 ? r.bool() : true
  if (v >= 8 && v <= 10) r.bool()
  const includeTopicAuthorizedOperations = v >= 8 ? r.bool() : false
  r.taggedFields()
  return { topics, allowAutoTopicCreation, includeTopicAuthorizedOperations }
}

export function encodeMetadataRequest(w: KafkaWriter, v: number, request: MetadataRequest): void {
  const topics = request.topics === null && v === 0 ? [] : request.topics
  w.nullableArray(topics, (t, topic) => {
    if (v >= 10) t.uuid(topic.topicId)
    t.nullableString(topic.name)
    t.taggedFields()
  })
  if (v >= 4) w.bool(request.allowAutoTopicCreation)
  if (v >= 8 && v <= 10) w.bool(false)
  if (v >= 8) w.bool(request.includeTopicAuthorizedOperations)
  w.taggedFields()
}

export function encodeMetadataResponse(w: KafkaWriter, v: number, response: MetadataResponse): void {
  if (v >= 3) w.int32(response.throttleTimeMs)
  w.array(response.brokers, (b, broker) => {
    b.int32(broker.nodeId).string(broker.host).int32(broker.port)
    if (v >= 1) b.nullableString(broker.rack)
    b.taggedFields()
  })
  if (v >= 2) w.nullableString(response.clusterId)
  if (v >= 1) w.int32(response.controllerId)
  w.array(response.topics, (t, topic) => {
    t.int16(topic.errorCode)
    if (v >= 12) t.nullableString(topic.name)
    else t.string(topic.name ?? '')
    if (v >= 10) t.uuid(topic.topicId)
    if (v >= 1) t.bool(topic.isInternal)
    t.array(topic.partitions, (p, partition) => {
      p.int16(partition.errorCode).int32(partition.partitionIndex).int32(partition.leaderId)
      if (v >= 7) p.int32(partition.leaderEpoch)
      p.array(partition.replicaNodes, (n, node) => n.int32(node))
      p.array(partition.isrNodes, (n, node) => n.int32(node))
      if (v >= 5) p.array(partition.offlineReplicas, (n, node) => n.int32(node))
      p.taggedFields()
    })
    if (v >= 8) t.int32(UNKNOWN_OPERATIONS)
    t.taggedFields()
  })
  if (v >= 8 && v <= 10) w.int32(UNKNOWN_OPERATIONS)
  if (v >= 13) w.int16(response.errorCode)
  w.taggedFields()
}

export function decodeMetadataResponse(r: KafkaReader, v: number): MetadataResponse {
  const throttleTimeMs = v >= 3 ? r.int32() : 0
  const brokers = r.array((b) => {
    const broker = { nodeId: b.int32(), host: b.string(), port: b.int32(), rack: v >= 1 ? b.nullableString() : null }
    b.taggedFields()
    return broker
  })
  const clusterId = v >= 2 ? r.nullableString() : null
  const controllerId = v >= 1 ? r.int32() : -1
  const topics = r.array((t) => {
    const errorCode = t.int16()
    const name = v >= 12 ? t.nullableString() : t.string()
    const topicId = v >= 10 ? t.uuid() : ZERO_UUID
    const isInternal = v >= 1 ? t.bool() : false
    const partitions = t.array((p) => {
      const partition = {
        errorCode: p.int16(),
        partitionIndex: p.int32(),
        leaderId: p.int32(),
        leaderEpoch: v >= 7 ? p.int32() : -1,
        replicaNodes: p.array((n) => n.int32()),
        isrNodes: p.array((n) => n.int32()),
        offlineReplicas: v >= 5 ? p.array((n) => n.int32()) : [],
      }
      p.taggedFields()
      return partition
    })
    if (v >= 8) t.int32()
    t.taggedFields()
    return { errorCode, name, topicId, isInternal, partitions }
  })
  if (v >= 8 && v <= 10) r.int32()
  const errorCode = v >= 13 ? r.int16() : 0
  r.taggedFields()
  return { throttleTimeMs, brokers, clusterId, controllerId, topics, errorCode }
}
