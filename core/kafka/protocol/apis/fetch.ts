/**
 * Fetch (key 1), versions 4-13; flexible from 12. Versions 0-3 return message sets older than
 * RecordBatch v2 and are not served. Fetch sessions (KIP-227) are not kept: every answer carries
 * session_id 0, which tells the client to send full fetch requests. v13 names topics by id instead
 * of name (KIP-516); v14+ (tiered storage, replica state) are not served.
 *
 * Fetch Request (Version: 4-13) => replica_id max_wait_ms min_bytes max_bytes isolation_level
 *   session_id(7+) session_epoch(7+) [topics] [forgotten_topics_data](7+) rack_id(11+) TAG_BUFFER(12+)
 *   topics => topic(0-12) topic_id:uuid(13+) [partitions] TAG_BUFFER(12+)
 *   partitions => partition current_leader_epoch(9+) fetch_offset:int64 last_fetched_epoch(12+)
 *     log_start_offset(5+) partition_max_bytes TAG_BUFFER(12+)
 *   forgotten_topics_data => topic(7-12) topic_id:uuid(13+) [partitions:int32] TAG_BUFFER(12+)
 *   (tag 0 of the request, v12+: cluster_id)
 * Fetch Response (Version: 4-13) => throttle_time_ms error_code(7+) session_id(7+) [responses] TAG_BUFFER(12+)
 *   responses => topic(0-12) topic_id:uuid(13+) [partitions] TAG_BUFFER(12+)
 *   partitions => partition_index error_code high_watermark last_stable_offset log_start_offset(5+)
 *     [aborted_transactions] preferred_read_replica(11+) records TAG_BUFFER(12+)
 *   aborted_transactions => producer_id:int64 first_offset:int64 TAG_BUFFER(12+)
 * A field a version does not carry decodes as its default: topic "" from v13, topic_id all zeros
 * before.
 */
import type { KafkaReader } from '../reader.ts'
import { ZERO_UUID } from '../uuid.ts'
import type { KafkaWriter } from '../writer.ts'

export const fetchVersions = { min: 4, max: 13, flexibleFrom: 12 } as const

export interface FetchPartitionRequest {
  readonly partition: number
  readonly currentLeaderEpoch: number
  readonly fetchOffset: number
  readonly partitionMaxBytes: number
}

export interface FetchRequest {
  readonly replicaId: number
  readonly maxWaitMs: number
  readonly minBytes: number
  readonly maxBytes: number
  readonly isolationLevel: number
  readonly sessionId: number
  readonly sessionEpoch: number
  /** topic: v0-12; topicId: v13+. */
  readonly topics: ReadonlyArray<{
    readonly topic: string
    readonly topicId: Buffer
    readonly partitions: readonly FetchPartitionRequest[]
  }>
  readonly rackId: string
}

export interface FetchPartitionResponse {
  readonly partitionIndex: number
  readonly errorCode: number
  readonly highWatermark: number
  readonly lastStableOffset: number
  readonly logStartOffset: number
  /** READ_COMMITTED answers: the aborted transactions the records overlap; absent is an empty list. */
  readonly abortedTransactions?: ReadonlyArray<{ readonly producerId: number; readonly firstOffset: number }>
  /** The stored batches as they are; empty when there is nothing to send. */
  readonly records: readonly Buffer[]
}

export interface FetchResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
  readonly sessionId: number
  /** topic: v0-12; topicId: v13+. */
  readonly topics: ReadonlyArray<{
    readonly topic: string
    readonly topicId: Buffer
    readonly partitions: readonly FetchPartitionResponse[]
  }>
}

export function decodeFetchRequest(r: KafkaReader, v: number): FetchRequest {
  const replicaId = r.int32()
  const maxWaitMs = r.int32()
  const minBytes = r.int32()
  const maxBytes = r.int32()
  const isolationLevel = r.int8()
  const sessionId = v >= 7 ? r.int32() : 0
  const sessionEpoch = v >= 7 ? r.int32() : -1
  const topics = r.array((t) => {
    const topic = v <= 12 ? t.string() : ''
    const topicId = v >= 13 ? t.uuid() : ZERO_UUID
    const partitions = t.array((p) => {
      const partition = p.int32()
      const currentLeaderEpoch = v >= 9 ? p.int32() : -1
      const fetchOffset = p.int64()
      if (v >= 12) p.int32()
      if (v >= 5) p.int64()
      const partitionMaxBytes = p.int32()
      p.taggedFields()
      return { partition, currentLeaderEpoch, fetchOffset, partitionMaxBytes }
    })
    t.taggedFields()
    return { topic, topicId, partitions }
  })
  if (v >= 7) {
    r.array((f) => {
      if (v <= 12) f.string()
      else f.uuid()
      f.array((p) => p.int32())
      f.taggedFields()
    })
  }
  const rackId = v >= 11 ? r.string() : ''
  r.taggedFields()
  return { replicaId, maxWaitMs, minBytes, maxBytes, isolationLevel, sessionId, sessionEpoch, topics, rackId }
}

export function encodeFetchRequest(w: KafkaWriter, v: number, request: FetchRequest): void {
  w.int32(request.replicaId).int32(request.maxWaitMs).int32(request.minBytes).int32(request.maxBytes).int8(request.isolationLevel)
  if (v >= 7) w.int32(request.sessionId).int32(request.sessionEpoch)
  w.array(request.topics, (t, topic) => {
    if (v <= 12) t.string(topic.topic)
    else t.uuid(topic.topicId)
    t.array(topic.partitions, (p, partition) => {
      p.int32(partition.partition)
      if (v >= 9) p.int32(partition.currentLeaderEpoch)
      p.int64(partition.fetchOffset)
      if (v >= 12) p.int32(-1)
      if (v >= 5) p.int64(-1)
      p.int32(partition.partitionMaxBytes).taggedFields()
    })
    t.taggedFields()
  })
  if (v >= 7) w.array([], () => undefined)
  if (v >= 11) w.string(request.rackId)
  w.taggedFields()
}

export function encodeFetchResponse(w: KafkaWriter, v: number, response: FetchResponse): void {
  w.int32(response.throttleTimeMs)
  if (v >= 7) w.int16(response.errorCode).int32(response.sessionId)
  w.array(response.topics, (t, topic) => {
    if (v <= 12) t.string(topic.topic)
    else t.uuid(topic.topicId)
    t.array(topic.partitions, (p, partition) => {
      p.int32(partition.partitionIndex).int16(partition.errorCode).int64(partition.highWatermark).int64(partition.lastStableOffset)
      if (v >= 5) p.int64(partition.logStartOffset)
      // An empty list rather than null when there is none to name, which every client reads.
      p.array(partition.abortedTransactions ?? [], (a, txn) => {
        a.int64(txn.producerId).int64(txn.firstOffset)
        a.taggedFields()
      })
      if (v >= 11) p.int32(-1)
      p.concatenatedBytes(partition.records)
      p.taggedFields()
    })
    t.taggedFields()
  })
  w.taggedFields()
}

export function decodeFetchResponse(r: KafkaReader, v: number): FetchResponse {
  const throttleTimeMs = r.int32()
  const errorCode = v >= 7 ? r.int16() : 0
  const sessionId = v >= 7 ? r.int32() : 0
  const topics = r.array((t) => {
    const topic = v <= 12 ? t.string() : ''
    const topicId = v >= 13 ? t.uuid() : ZERO_UUID
    const partitions = t.array((p) => {
      const partitionIndex = p.int32()
      const errorCode = p.int16()
      const highWatermark = p.int64()
      const lastStableOffset = p.int64()
      const logStartOffset = v >= 5 ? p.int64() : -1
      const abortedTransactions =
        p.nullableArray((a) => {
          const aborted = { producerId: a.int64(), firstOffset: a.int64() }
          a.taggedFields()
          return aborted
        }) ?? []
      if (v >= 11) p.int32()
      const records = p.nullableBytes()
      p.taggedFields()
      return {
        partitionIndex,
        errorCode,
        highWatermark,
        lastStableOffset,
        logStartOffset,
        abortedTransactions,
        records: records === null || records.length === 0 ? [] : [records],
      }
    })
    t.taggedFields()
    return { topic, topicId, partitions }
  })
  r.taggedFields()
  return { throttleTimeMs, errorCode, sessionId, topics }
}
