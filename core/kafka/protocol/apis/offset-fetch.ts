/**
 * OffsetFetch (key 9), versions 0-7; flexible from 6.
 *
 * OffsetFetch Request (Version: 0-7) => group_id [topics] (nullable 2+) require_stable:bool(7+) TAG_BUFFER(6)
 *   topics => name [partition_indexes:int32] TAG_BUFFER(6)
 * OffsetFetch Response (Version: 0-7) => throttle_time_ms(3+) [topics] error_code(2+) TAG_BUFFER(6)
 *   topics => name [partitions] TAG_BUFFER(6)
 *     partitions => partition_index committed_offset:int64 committed_leader_epoch:int32(5+)
 *       metadata:nullable_string error_code TAG_BUFFER(6)
 * Null topics (v2+) ask for every committed offset of the group. v8+ fetch several groups at once
 * in another layout and are not served.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const offsetFetchVersions = { min: 0, max: 7, flexibleFrom: 6 } as const

export interface OffsetFetchRequest {
  readonly groupId: string
  /** null: every partition the group has committed. */
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitionIndexes: readonly number[] }> | null
  readonly requireStable: boolean
}

export interface OffsetFetchPartition {
  readonly partitionIndex: number
  /** -1 when the group has no offset for the partition. */
  readonly committedOffset: number
  readonly committedLeaderEpoch: number
  readonly metadata: string | null
  readonly errorCode: number
}

export interface OffsetFetchResponse {
  readonly throttleTimeMs: number
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: readonly OffsetFetchPartition[] }>
  readonly errorCode: number
}

export function decodeOffsetFetchRequest(r: KafkaReader, v: number): OffsetFetchRequest {
  const groupId = r.string()
  const readTopic = (t: KafkaReader) => {
    const topic = { name: t.string(), partitionIndexes: t.array((p) => p.int32()) }
    t.taggedFields()
    return topic
  }
  const topics = v >= 2 ? r.nullableArray(readTopic) : r.array(readTopic)
  const requireStable = v >= 7 ? r.bool() : false
  r.taggedFields()
  return { groupId, topics, requireStable }
}

export function encodeOffsetFetchRequest(w: KafkaWriter, v: number, request: OffsetFetchRequest): void {
  w.string(request.groupId)
  w.nullableArray(v >= 2 ? request.topics : request.topics ?? [], (t, topic) => {
    t.string(topic.name).array(topic.partitionIndexes, (p, index) => p.int32(index)).taggedFields()
  })
  if (v >= 7) w.bool(request.requireStable)
  w.taggedFields()
}

export function encodeOffsetFetchResponse(w: KafkaWriter, v: number, response: OffsetFetchResponse): void {
  if (v >= 3) w.int32(response.throttleTimeMs)
  w.array(response.topics, (t, topic) => {
    t.string(topic.name)
    t.array(topic.partitions, (p, partition) => {
      p.int32(partition.partitionIndex).int64(partition.committedOffset)
      if (v >= 5) p.int32(partition.committedLeaderEpoch)
      p.nullableString(partition.metadata).int16(partition.errorCode).taggedFields()
    })
    t.taggedFields()
  })
  if (v >= 2) w.int16(response.errorCode)
  w.taggedFields()
}

export function decodeOffsetFetchResponse(r: KafkaReader, v: number): OffsetFetchResponse {
  const throttleTimeMs = v >= 3 ? r.int32() : 0
  const topics = r.array((t) => {
    const name = t.string()
    const partitions = t.array((p): OffsetFetchPartition => {
      const partitionIndex = p.int32()
      const committedOffset = p.int64()
      const committedLeaderEpoch = v >= 5 ? p.int32() : -1
      const partition = { partitionIndex, committedOffset, committedLeaderEpoch, metadata: p.nullableString(), errorCode: p.int16() }
      p.taggedFields()
      return partition
    })
    t.taggedFields()
    return { name, partitions }
  })
  const errorCode = v >= 2 ? r.int16() : 0
  r.taggedFields()
  return { throttleTimeMs, topics, errorCode }
}
