/**
 * OffsetFetch (key 9), versions 0-8; flexible from 6.
 *
 * OffsetFetch Request (Version: 0-8) => group_id(0-7) [topics](0-7, nullable 2+) [groups](8+) require_stable:bool(7+) TAG_BUFFER(6+)
 *   topics => name [partition_indexes:int32] TAG_BUFFER(6+)
 *   groups => group_id [topics](nullable) TAG_BUFFER
 * OffsetFetch Response (Version: 0-8) => throttle_time_ms(3+) [topics](0-7) error_code(2-7) [groups](8+) TAG_BUFFER(6+)
 *   topics => name [partitions] TAG_BUFFER(6+)
 *     partitions => partition_index committed_offset:int64 committed_leader_epoch:int32(5+)
 *       metadata:nullable_string error_code TAG_BUFFER(6+)
 *   groups => group_id [topics] error_code TAG_BUFFER
 * Null topics (v2+) ask for every committed offset of the group. v8 fetches several groups at once
 * (KIP-709): the single group's fields give way to a list of groups, each answered with its own
 * topics and error code. Fields a version does not carry decode as their defaults (empty group id
 * and lists, error 0). v9 (member id and epoch, KIP-848) is not served.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const offsetFetchVersions = { min: 0, max: 8, flexibleFrom: 6 } as const

/** null: every partition the group has committed. */
export type OffsetFetchRequestTopics = ReadonlyArray<{ readonly name: string; readonly partitionIndexes: readonly number[] }> | null

export interface OffsetFetchRequest {
  /** v0-7. */
  readonly groupId: string
  /** v0-7. */
  readonly topics: OffsetFetchRequestTopics
  /** v8+. */
  readonly groups: ReadonlyArray<{ readonly groupId: string; readonly topics: OffsetFetchRequestTopics }>
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

export type OffsetFetchResponseTopics = ReadonlyArray<{ readonly name: string; readonly partitions: readonly OffsetFetchPartition[] }>

export interface OffsetFetchResponseGroup {
  readonly groupId: string
  readonly topics: OffsetFetchResponseTopics
  readonly errorCode: number
}

export interface OffsetFetchResponse {
  readonly throttleTimeMs: number
  /** v0-7. */
  readonly topics: OffsetFetchResponseTopics
  /** v2-7. */
  readonly errorCode: number
  /** v8+. */
  readonly groups: readonly OffsetFetchResponseGroup[]
}

export function decodeOffsetFetchRequest(r: KafkaReader, v: number): OffsetFetchRequest {
  const readTopic = (t: KafkaReader) => {
    const topic = { name: t.string(), partitionIndexes: t.array((p) => p.int32()) }
    t.taggedFields()
    return topic
  }
  const groupId = v <= 7 ? r.string() : ''
  const topics = v >= 8 ? [] : v >= 2 ? r.nullableArray(readTopic) : r.array(readTopic)
  const groups =
    v >= 8
      ? r.array((g) => {
          const group = { groupId: g.string(), topics: g.nullableArray(readTopic) }
          g.taggedFields()
          return group
        })
      : []
  const requireStable = v >= 7 ? r.bool() : false
  r.taggedFields()
  return { groupId, topics, groups, requireStable }
}

export function encodeOffsetFetchRequest(w: KafkaWriter, v: number, request: OffsetFetchRequest): void {
  const writeTopics = (t: KafkaWriter, topics: OffsetFetchRequestTopics) =>
    t.nullableArray(topics, (tt, topic) => {
      tt.string(topic.name)
        .array(topic.partitionIndexes, (p, index) => p.int32(index))
        .taggedFields()
    })
  if (v <= 7) {
    w.string(request.groupId)
    writeTopics(w, v >= 2 ? request.topics : (request.topics ?? []))
  }
  if (v >= 8)
    w.array(request.groups, (g, group) => {
      writeTopics(g.string(group.groupId), group.topics).taggedFields()
    })
  if (v >= 7) w.bool(request.requireStable)
  w.taggedFields()
}

export function encodeOffsetFetchResponse(w: KafkaWriter, v: number, response: OffsetFetchResponse): void {
  const writeTopics = (t: KafkaWriter, topics: OffsetFetchResponseTopics) =>
    t.array(topics, (tt, topic) => {
      tt.string(topic.name)
      tt.array(topic.partitions, (p, partition) => {
        p.int32(partition.partitionIndex).int64(partition.committedOffset)
        if (v >= 5) p.int32(partition.committedLeaderEpoch)
        p.nullableString(partition.metadata).int16(partition.errorCode).taggedFields()
      })
      tt.taggedFields()
    })
  if (v >= 3) w.int32(response.throttleTimeMs)
  if (v <= 7) writeTopics(w, response.topics)
  if (v >= 2 && v <= 7) w.int16(response.errorCode)
  if (v >= 8)
    w.array(response.groups, (g, group) => {
      writeTopics(g.string(group.groupId), group.topics).int16(group.errorCode).taggedFields()
    })
  w.taggedFields()
}

export function decodeOffsetFetchResponse(r: KafkaReader, v: number): OffsetFetchResponse {
  const readTopics = (t: KafkaReader): OffsetFetchResponseTopics =>
    t.array((tt) => {
      const name = tt.string()
      const partitions = tt.array((p): OffsetFetchPartition => {
        const partitionIndex = p.int32()
        const committedOffset = p.int64()
        const committedLeaderEpoch = v >= 5 ? p.int32() : -1
        const partition = { partitionIndex, committedOffset, committedLeaderEpoch, metadata: p.nullableString(), errorCode: p.int16() }
        p.taggedFields()
        return partition
      })
      tt.taggedFields()
      return { name, partitions }
    })
  const throttleTimeMs = v >= 3 ? r.int32() : 0
  const topics = v <= 7 ? readTopics(r) : []
  const errorCode = v >= 2 && v <= 7 ? r.int16() : 0
  const groups =
    v >= 8
      ? r.array((g): OffsetFetchResponseGroup => {
          const group = { groupId: g.string(), topics: readTopics(g), errorCode: g.int16() }
          g.taggedFields()
          return group
        })
      : []
  r.taggedFields()
  return { throttleTimeMs, topics, errorCode, groups }
}
