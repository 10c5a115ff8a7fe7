/**
 * OffsetDelete (key 47), version 0; not flexible. The Java Admin client's
 * deleteConsumerGroupOffsets: removes a group's committed offsets for some partitions.
 *
 * OffsetDelete Request (Version: 0) => group_id [topics]
 *   topics => name [partitions]
 *     partitions => partition_index
 * OffsetDelete Response (Version: 0) => error_code throttle_time_ms [topics]
 *   topics => name [partitions]
 *     partitions => partition_index error_code
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const offsetDeleteVersions = { min: 0, max: 0, flexibleFrom: Infinity } as const

export interface OffsetDeleteRequest {
  readonly groupId: string
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: readonly number[] }>
}

export interface OffsetDeleteResponse {
  readonly errorCode: number
  readonly throttleTimeMs: number
  readonly topics: ReadonlyArray<{
    readonly name: string
    readonly partitions: ReadonlyArray<{ readonly partitionIndex: number; readonly errorCode: number }>
  }>
}

export function decodeOffsetDeleteRequest(r: KafkaReader): OffsetDeleteRequest {
  const groupId = r.string()
  const topics = r.array((t) => ({ name: t.string(), partitions: t.array((p) => p.int32()) }))
  return { groupId, topics }
}

export function encodeOffsetDeleteRequest(w: KafkaWriter, _v: number, request: OffsetDeleteRequest): void {
  w.string(request.groupId)
  w.array(request.topics, (t, topic) => {
    t.string(topic.name)
    t.array(topic.partitions, (p, partition) => p.int32(partition))
  })
}

export function encodeOffsetDeleteResponse(w: KafkaWriter, _v: number, response: OffsetDeleteResponse): void {
  w.int16(response.errorCode).int32(response.throttleTimeMs)
  w.array(response.topics, (t, topic) => {
    t.string(topic.name)
    t.array(topic.partitions, (p, partition) => p.int32(partition.partitionIndex).int16(partition.errorCode))
  })
}

export function decodeOffsetDeleteResponse(r: KafkaReader): OffsetDeleteResponse {
  const errorCode = r.int16()
  const throttleTimeMs = r.int32()
  const topics = r.array((t) => ({ name: t.string(), partitions: t.array((p) => ({ partitionIndex: p.int32(), errorCode: p.int16() })) }))
  return { errorCode, throttleTimeMs, topics }
}
