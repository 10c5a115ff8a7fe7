/**
 * ListOffsets (key 2), versions 0-8; flexible from 6.
 *
 * ListOffsets Request (Version: 0-8) => replica_id isolation_level(2+) [topics] TAG_BUFFER(6+)
 *   topics => name [partitions] TAG_BUFFER(6+)
 *   partitions => partition_index current_leader_epoch(4+) timestamp:int64 max_num_offsets(0) TAG_BUFFER(6+)
 *   timestamp -1 asks for the log end, -2 for the log start, otherwise the first offset at or after it;
 *   from v7 -3 asks for the record with the largest timestamp (KIP-734), from v8 -4 for the local log
 *   start (KIP-405: the log start, as nothing is tiered here). v7 and v8 change no field.
 * ListOffsets Response (Version: 0-8) => throttle_time_ms(2+) [topics] TAG_BUFFER(6+)
 *   topics => name [partitions] TAG_BUFFER(6+)
 *   partitions => partition_index error_code [old_style_offsets](0) timestamp(1+) offset(1+)
 *     leader_epoch(4+) TAG_BUFFER(6+)
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const listOffsetsVersions = { min: 0, max: 8, flexibleFrom: 6 } as const

export const LATEST_TIMESTAMP = -1
export const EARLIEST_TIMESTAMP = -2
/** v7+. */
export const MAX_TIMESTAMP = -3
/** v8+. */
export const EARLIEST_LOCAL_TIMESTAMP = -4

export interface ListOffsetsRequest {
  readonly replicaId: number
  readonly isolationLevel: number
  readonly topics: ReadonlyArray<{
    readonly name: string
    readonly partitions: ReadonlyArray<{ readonly partitionIndex: number; readonly currentLeaderEpoch: number; readonly timestamp: number }>
  }>
}

export interface ListOffsetsPartitionResponse {
  readonly partitionIndex: number
  readonly errorCode: number
  readonly timestamp: number
  readonly offset: number
  readonly leaderEpoch: number
}

export interface ListOffsetsResponse {
  readonly throttleTimeMs: number
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: readonly ListOffsetsPartitionResponse[] }>
}

export function decodeListOffsetsRequest(r: KafkaReader, v: number): ListOffsetsRequest {
  const replicaId = r.int32()
  const isolationLevel = v >= 2 ? r.int8() : 0
  const topics = r.array((t) => {
    const name = t.string()
    const partitions = t.array((p) => {
      const partitionIndex = p.int32()
      const currentLeaderEpoch = v >= 4 ? p.int32() : -1
      const timestamp = p.int64()
      if (v === 0) p.int32()
      p.taggedFields()
      return { partitionIndex, currentLeaderEpoch, timestamp }
    })
    t.taggedFields()
    return { name, partitions }
  })
  r.taggedFields()
  return { replicaId, isolationLevel, topics }
}

export function encodeListOffsetsRequest(w: KafkaWriter, v: number, request: ListOffsetsRequest): void {
  w.int32(request.replicaId)
  if (v >= 2) w.int8(request.isolationLevel)
  w.array(request.topics, (t, topic) => {
    t.string(topic.name)
    t.array(topic.partitions, (p, partition) => {
      p.int32(partition.partitionIndex)
      if (v >= 4) p.int32(partition.currentLeaderEpoch)
      p.int64(partition.timestamp)
      if (v === 0) p.int32(1)
      p.taggedFields()
    })
    t.taggedFields()
  })
  w.taggedFields()
}

export function encodeListOffsetsResponse(w: KafkaWriter, v: number, response: ListOffsetsResponse): void {
  if (v >= 2) w.int32(response.throttleTimeMs)
  w.array(response.topics, (t, topic) => {
    t.string(topic.name)
    t.array(topic.partitions, (p, partition) => {
      p.int32(partition.partitionIndex).int16(partition.errorCode)
      if (v === 0) p.array(partition.offset >= 0 ? [partition.offset] : [], (o, offset) => o.int64(offset))
      if (v >= 1) p.int64(partition.timestamp).int64(partition.offset)
      if (v >= 4) p.int32(partition.leaderEpoch)
      p.taggedFields()
    })
    t.taggedFields()
  })
  w.taggedFields()
}

export function decodeListOffsetsResponse(r: KafkaReader, v: number): ListOffsetsResponse {
  const throttleTimeMs = v >= 2 ? r.int32() : 0
  const topics = r.array((t) => {
    const name = t.string()
    const partitions = t.array((p) => {
      const partitionIndex = p.int32()
      const errorCode = p.int16()
      let offset = -1
      let timestamp = -1
      if (v === 0) offset = p.array((o) => o.int64())[0] ?? -1
      if (v >= 1) {
        timestamp = p.int64()
        offset = p.int64()
      }
      const leaderEpoch = v >= 4 ? p.int32() : -1
      p.taggedFields()
      return { partitionIndex, errorCode, timestamp, offset, leaderEpoch }
    })
    t.taggedFields()
    return { name, partitions }
  })
  r.taggedFields()
  return { throttleTimeMs, topics }
}
