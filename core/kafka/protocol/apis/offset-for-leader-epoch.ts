/**
 * OffsetForLeaderEpoch (key 23), versions 2-4; flexible from 4. The Java consumer asks it after a
 * leader change to check that its position is still on the log (KIP-320): the end offset of the
 * given leader epoch, which is where the next epoch began, or the log end for the current epoch.
 * Kafka 4 serves no version below 2.
 *
 * OffsetForLeaderEpoch Request (Version: 2-4) => replica_id(3+) [topics] TAG_BUFFER(4+)
 *   topics => topic [partitions] TAG_BUFFER(4+)
 *     partitions => partition current_leader_epoch leader_epoch TAG_BUFFER(4+)
 * OffsetForLeaderEpoch Response (Version: 2-4) => throttle_time_ms [topics] TAG_BUFFER(4+)
 *   topics => topic [partitions] TAG_BUFFER(4+)
 *     partitions => error_code partition leader_epoch end_offset TAG_BUFFER(4+)
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const offsetForLeaderEpochVersions = { min: 2, max: 4, flexibleFrom: 4 } as const

export interface OffsetForLeaderEpochRequest {
  /** -1 from a consumer; -2 (the default before v3) for a debugging client. */
  readonly replicaId: number
  readonly topics: ReadonlyArray<{
    readonly topic: string
    readonly partitions: ReadonlyArray<{ readonly partition: number; readonly currentLeaderEpoch: number; readonly leaderEpoch: number }>
  }>
}

export interface EpochEndOffset {
  readonly errorCode: number
  readonly partition: number
  readonly leaderEpoch: number
  readonly endOffset: number
}

export interface OffsetForLeaderEpochResponse {
  readonly throttleTimeMs: number
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly EpochEndOffset[] }>
}

export function decodeOffsetForLeaderEpochRequest(r: KafkaReader, v: number): OffsetForLeaderEpochRequest {
  const replicaId = v >= 3 ? r.int32() : -2
  const topics = r.array((t) => {
    const topic = t.string()
    const partitions = t.array((p) => {
      const partition = { partition: p.int32(), currentLeaderEpoch: p.int32(), leaderEpoch: p.int32() }
      p.taggedFields()
      return partition
    })
    t.taggedFields()
    return { topic, partitions }
  })
  r.taggedFields()
  return { replicaId, topics }
}

export function encodeOffsetForLeaderEpochRequest(w: KafkaWriter, v: number, request: OffsetForLeaderEpochRequest): void {
  if (v >= 3) w.int32(request.replicaId)
  w.array(request.topics, (t, topic) => {
    t.string(topic.topic)
    t.array(topic.partitions, (p, partition) =>
      p.int32(partition.partition).int32(partition.currentLeaderEpoch).int32(partition.leaderEpoch).taggedFields(),
    )
    t.taggedFields()
  })
  w.taggedFields()
}

export function encodeOffsetForLeaderEpochResponse(w: KafkaWriter, _v: number, response: OffsetForLeaderEpochResponse): void {
  w.int32(response.throttleTimeMs)
  w.array(response.topics, (t, topic) => {
    t.string(topic.topic)
    t.array(topic.partitions, (p, partition) =>
      p.int16(partition.errorCode).int32(partition.partition).int32(partition.leaderEpoch).int64(partition.endOffset).taggedFields(),
    )
    t.taggedFields()
  })
  w.taggedFields()
}

export function decodeOffsetForLeaderEpochResponse(r: KafkaReader): OffsetForLeaderEpochResponse {
  const throttleTimeMs = r.int32()
  const topics = r.array((t) => {
    const topic = t.string()
    const partitions = t.array((p) => {
      const partition = { errorCode: p.int16(), partition: p.int32(), leaderEpoch: p.int32(), endOffset: p.int64() }
      p.taggedFields()
      return partition
    })
    t.taggedFields()
    return { topic, partitions }
  })
  r.taggedFields()
  return { throttleTimeMs, topics }
}
