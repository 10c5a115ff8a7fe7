/**
 * DeleteRecords (key 21), versions 0-2; flexible from 2. The Java Admin client's deleteRecords and
 * kafkajs's deleteTopicRecords: moves each partition's log start offset (low watermark) up to an
 * offset, -1 meaning the high watermark.
 *
 * DeleteRecords Request (Version: 0-2) => [topics] timeout_ms TAG_BUFFER(2+)
 *   topics => name [partitions] TAG_BUFFER(2+)
 *     partitions => partition_index offset TAG_BUFFER(2+)
 * DeleteRecords Response (Version: 0-2) => throttle_time_ms [topics] TAG_BUFFER(2+)
 *   topics => name [partitions] TAG_BUFFER(2+)
 *     partitions => partition_index low_watermark error_code TAG_BUFFER(2+)
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const deleteRecordsVersions = { min: 0, max: 2, flexibleFrom: 2 } as const

export interface DeleteRecordsRequest {
  readonly topics: ReadonlyArray<{
    readonly name: string
    readonly partitions: ReadonlyArray<{ readonly partitionIndex: number; readonly offset: number }>
  }>
  readonly timeoutMs: number
}

export interface DeleteRecordsPartitionResult {
  readonly partitionIndex: number
  readonly lowWatermark: number
  readonly errorCode: number
}

export interface DeleteRecordsResponse {
  readonly throttleTimeMs: number
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: readonly DeleteRecordsPartitionResult[] }>
}

export function decodeDeleteRecordsRequest(r: KafkaReader): DeleteRecordsRequest {
  const topics = r.array((t) => {
    const name = t.string()
    const partitions = t.array((p) => {
      const partition = { partitionIndex: p.int32(), offset: p.int64() }
      p.taggedFields()
      return partition
    })
    t.taggedFields()
    return { name, partitions }
  })
  const timeoutMs = r.int32()
  r.taggedFields()
  return { topics, timeoutMs }
}

export function encodeDeleteRecordsRequest(w: KafkaWriter, _v: number, request: DeleteRecordsRequest): void {
  w.array(request.topics, (t, topic) => {
    t.string(topic.name)
    t.array(topic.partitions, (p, partition) => p.int32(partition.partitionIndex).int64(partition.offset).taggedFields())
    t.taggedFields()
  })
  w.int32(request.timeoutMs).taggedFields()
}

export function encodeDeleteRecordsResponse(w: KafkaWriter, _v: number, response: DeleteRecordsResponse): void {
  w.int32(response.throttleTimeMs)
  w.array(response.topics, (t, topic) => {
    t.string(topic.name)
    t.array(topic.partitions, (p, partition) =>
      p.int32(partition.partitionIndex).int64(partition.lowWatermark).int16(partition.errorCode).taggedFields(),
    )
    t.taggedFields()
  })
  w.taggedFields()
}

export function decodeDeleteRecordsResponse(r: KafkaReader): DeleteRecordsResponse {
  const throttleTimeMs = r.int32()
  const topics = r.array((t) => {
    const name = t.string()
    const partitions = t.array((p) => {
      const partition = { partitionIndex: p.int32(), lowWatermark: p.int64(), errorCode: p.int16() }
      p.taggedFields()
      return partition
    })
    t.taggedFields()
    return { name, partitions }
  })
  r.taggedFields()
  return { throttleTimeMs, topics }
}
