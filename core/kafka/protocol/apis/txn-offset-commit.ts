/**
 * TxnOffsetCommit (key 28), versions 0-5; flexible from 3. A transactional producer commits a
 * consumer group's offsets inside its transaction (consume-transform-produce): they become the
 * group's committed offsets only if the transaction commits.
 *
 * TxnOffsetCommit Request (Version: 0-5) => transactional_id group_id producer_id:int64
 *   producer_epoch:int16 generation_id:int32(3+) member_id(3+) group_instance_id:nullable_string(3+)
 *   [topics] TAG_BUFFER(3+)
 *   topics => name [partitions] TAG_BUFFER(3+)
 *     partitions => partition_index committed_offset:int64 committed_leader_epoch:int32(2+)
 *       committed_metadata:nullable_string TAG_BUFFER(3+)
 * TxnOffsetCommit Response (Version: 0-5) => throttle_time_ms [topics] TAG_BUFFER(3+)
 *   topics => name [partitions] TAG_BUFFER(3+)
 *     partitions => partition_index error_code TAG_BUFFER(3+)
 * From v3 the group's generation and member let the coordinator fence a zombie consumer (KIP-447).
 * In v5 (KIP-890 part 2) the commit also adds the group to the transaction, with no AddOffsetsToTxn.
 * Fields absent from a version decode as Kafka's defaults: generation -1, member "", no instance id,
 * leader epoch -1.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'
import {
  readTopicPartitionErrors,
  readTopics,
  writeTopicPartitionErrors,
  writeTopics,
  type TopicOf,
  type TopicPartitionErrors,
} from './topic-partition-lists.ts'

export const txnOffsetCommitVersions = { min: 0, max: 5, flexibleFrom: 3 } as const

export interface TxnOffsetCommitPartition {
  readonly partitionIndex: number
  readonly committedOffset: number
  readonly committedLeaderEpoch: number
  readonly committedMetadata: string | null
}

export interface TxnOffsetCommitRequest {
  readonly transactionalId: string
  readonly groupId: string
  readonly producerId: number
  readonly producerEpoch: number
  readonly generationId: number
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly topics: ReadonlyArray<TopicOf<TxnOffsetCommitPartition>>
}

export interface TxnOffsetCommitResponse {
  readonly throttleTimeMs: number
  readonly topics: readonly TopicPartitionErrors[]
}

export function decodeTxnOffsetCommitRequest(r: KafkaReader, v: number): TxnOffsetCommitRequest {
  const transactionalId = r.string()
  const groupId = r.string()
  const producerId = r.int64()
  const producerEpoch = r.int16()
  const generationId = v >= 3 ? r.int32() : -1
  const memberId = v >= 3 ? r.string() : ''
  const groupInstanceId = v >= 3 ? r.nullableString() : null
  const topics = readTopics(r, (p): TxnOffsetCommitPartition => {
    const partitionIndex = p.int32()
    const committedOffset = p.int64()
    const committedLeaderEpoch = v >= 2 ? p.int32() : -1
    const committedMetadata = p.nullableString()
    p.taggedFields()
    return { partitionIndex, committedOffset, committedLeaderEpoch, committedMetadata }
  })
  r.taggedFields()
  return { transactionalId, groupId, producerId, producerEpoch, generationId, memberId, groupInstanceId, topics }
}

export function encodeTxnOffsetCommitRequest(w: KafkaWriter, v: number, request: TxnOffsetCommitRequest): void {
  w.string(request.transactionalId).string(request.groupId).int64(request.producerId).int16(request.producerEpoch)
  if (v >= 3) w.int32(request.generationId).string(request.memberId).nullableString(request.groupInstanceId)
  writeTopics(w, request.topics, (p, partition) => {
    p.int32(partition.partitionIndex).int64(partition.committedOffset)
    if (v >= 2) p.int32(partition.committedLeaderEpoch)
    p.nullableString(partition.committedMetadata).taggedFields()
  })
  w.taggedFields()
}

export function encodeTxnOffsetCommitResponse(w: KafkaWriter, _v: number, response: TxnOffsetCommitResponse): void {
  w.int32(response.throttleTimeMs)
  writeTopicPartitionErrors(w, response.topics)
  w.taggedFields()
}

export function decodeTxnOffsetCommitResponse(r: KafkaReader): TxnOffsetCommitResponse {
  const throttleTimeMs = r.int32()
  const topics = readTopicPartitionErrors(r)
  r.taggedFields()
  return { throttleTimeMs, topics }
}
