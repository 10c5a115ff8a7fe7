/**
 * OffsetCommit (key 8), versions 0-8; flexible from 8.
 *
 * OffsetCommit Request (Version: 0-8) => group_id generation_id(1+) member_id(1+)
 *   group_instance_id:nullable_string(7+) retention_time_ms:int64(2-4) [topics] TAG_BUFFER(8)
 *   topics => name [partitions] TAG_BUFFER(8)
 *     partitions => partition_index committed_offset:int64 committed_leader_epoch:int32(6+)
 *       commit_timestamp:int64(1) committed_metadata:nullable_string TAG_BUFFER(8)
 * OffsetCommit Response (Version: 0-8) => throttle_time_ms(3+) [topics] TAG_BUFFER(8)
 *   topics => name [partitions] TAG_BUFFER(8)
 *     partitions => partition_index error_code TAG_BUFFER(8)
 * v0 (offsets kept in ZooKeeper) carries no generation: it decodes as generation -1 and member "",
 * a commit from outside the group. Fields absent from a version decode as Kafka's defaults (-1).
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

export const offsetCommitVersions = { min: 0, max: 8, flexibleFrom: 8 } as const

export interface OffsetCommitPartition {
  readonly partitionIndex: number
  readonly committedOffset: number
  readonly committedLeaderEpoch: number
  readonly commitTimestamp: number
  readonly committedMetadata: string | null
}

export interface OffsetCommitRequest {
  readonly groupId: string
  readonly generationId: number
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly retentionTimeMs: number
  readonly topics: ReadonlyArray<TopicOf<OffsetCommitPartition>>
}

export interface OffsetCommitResponse {
  readonly throttleTimeMs: number
  readonly topics: readonly TopicPartitionErrors[]
}

export function decodeOffsetCommitRequest(r: KafkaReader, v: number): OffsetCommitRequest {
  const groupId = r.string()
  const generationId = v >= 1 ? r.int32() : -1
  const memberId = v >= 1 ? r.string() : ''
  const groupInstanceId = v >= 7 ? r.nullableString() : null
  const retentionTimeMs = v >= 2 && v <= 4 ? r.int64() : -1
  const topics = readTopics(r, (p): OffsetCommitPartition => {
    const partitionIndex = p.int32()
    const committedOffset = p.int64()
    const committedLeaderEpoch = v >= 6 ? p.int32() : -1
    const commitTimestamp = v === 1 ? p.int64() : -1
    const committedMetadata = p.nullableString()
    p.taggedFields()
    return { partitionIndex, committedOffset, committedLeaderEpoch, commitTimestamp, committedMetadata }
  })
  r.taggedFields()
  return { groupId, generationId, memberId, groupInstanceId, retentionTimeMs, topics }
}

export function encodeOffsetCommitRequest(w: KafkaWriter, v: number, request: OffsetCommitRequest): void {
  w.string(request.groupId)
  if (v >= 1) w.int32(request.generationId).string(request.memberId)
  if (v >= 7) w.nullableString(request.groupInstanceId)
  if (v >= 2 && v <= 4) w.int64(request.retentionTimeMs)
  writeTopics(w, request.topics, (p, partition) => {
    p.int32(partition.partitionIndex).int64(partition.committedOffset)
    if (v >= 6) p.int32(partition.committedLeaderEpoch)
    if (v === 1) p.int64(partition.commitTimestamp)
    p.nullableString(partition.committedMetadata).taggedFields()
  })
  w.taggedFields()
}

export function encodeOffsetCommitResponse(w: KafkaWriter, v: number, response: OffsetCommitResponse): void {
  if (v >= 3) w.int32(response.throttleTimeMs)
  writeTopicPartitionErrors(w, response.topics)
  w.taggedFields()
}

export function decodeOffsetCommitResponse(r: KafkaReader, v: number): OffsetCommitResponse {
  const throttleTimeMs = v >= 3 ? r.int32() : 0
  const topics = readTopicPartitionErrors(r)
  r.taggedFields()
  return { throttleTimeMs, topics }
}
