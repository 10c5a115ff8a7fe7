/**
 * Produce (key 0), versions 3-9; flexible from 9. Versions 0-2 carry message sets older than
 * RecordBatch v2, which the log does not store, so they are not served.
 *
 * Produce Request (Version: 3-9) => transactional_id acks:int16 timeout_ms:int32 [topic_data] TAG_BUFFER(9+)
 *   topic_data => name [partition_data] TAG_BUFFER(9+)
 *   partition_data => index:int32 records:nullable_bytes TAG_BUFFER(9+)
 * Produce Response (Version: 3-9) => [responses] throttle_time_ms TAG_BUFFER(9+)
 *   responses => name [partition_responses] TAG_BUFFER(9+)
 *   partition_responses => index error_code base_offset:int64 log_append_time_ms:int64
 *     log_start_offset:int64(5+) [record_errors](8+) error_message(8+) TAG_BUFFER(9+)
 *   record_errors => batch_index:int32 batch_index_error_message:nullable_string TAG_BUFFER(9+)
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const produceVersions = { min: 3, max: 9, flexibleFrom: 9 } as const

export interface ProducePartitionData {
  readonly index: number
  readonly records: Buffer | null
}

export interface ProduceRequest {
  readonly transactionalId: string | null
  readonly acks: number
  readonly timeoutMs: number
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: readonly ProducePartitionData[] }>
}

export interface ProducePartitionResponse {
  readonly index: number
  readonly errorCode: number
  readonly baseOffset: number
  readonly logAppendTimeMs: number
  readonly logStartOffset: number
  readonly recordErrors: ReadonlyArray<{ readonly batchIndex: number; readonly message: string | null }>
  readonly errorMessage: string | null
}

export interface ProduceResponse {
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: readonly ProducePartitionResponse[] }>
  readonly throttleTimeMs: number
}

export function decodeProduceRequest(r: KafkaReader, _v: number): ProduceRequest {
  const transactionalId = r.nullableString()
  const acks = r.int16()
  const timeoutMs = r.int32()
  const topics = r.array((t) => {
    const name = t.string()
    const partitions = t.array((p) => {
      const partition = { index: p.int32(), records: p.nullableBytes() }
      p.taggedFields()
      return partition
    })
    t.taggedFields()
    return { name, partitions }
  })
  r.taggedFields()
  return { transactionalId, acks, timeoutMs, topics }
}

export function encodeProduceRequest(w: KafkaWriter, _v: number, request: ProduceRequest): void {
  w.nullableString(request.transactionalId).int16(request.acks).int32(request.timeoutMs)
  w.array(request.topics, (t, topic) => {
    t.string(topic.name)
    t.array(topic.partitions, (p, partition) => {
      p.int32(partition.index).nullableBytes(partition.records).taggedFields()
    })
    t.taggedFields()
  })
  w.taggedFields()
}

export function encodeProduceResponse(w: KafkaWriter, v: number, response: ProduceResponse): void {
  w.array(response.topics, (t, topic) => {
    t.string(topic.name)
    t.array(topic.partitions, (p, partition) => {
      p.int32(partition.index).int16(partition.errorCode).int64(partition.baseOffset).int64(partition.logAppendTimeMs)
      if (v >= 5) p.int64(partition.logStartOffset)
      if (v >= 8) {
        p.array(partition.recordErrors, (e, error) => {
          e.int32(error.batchIndex).nullableString(error.message).taggedFields()
        })
        p.nullableString(partition.errorMessage)
      }
      p.taggedFields()
    })
    t.taggedFields()
  })
  w.int32(response.throttleTimeMs)
  w.taggedFields()
}

export function decodeProduceResponse(r: KafkaReader, v: number): ProduceResponse {
  const topics = r.array((t) => {
    const name = t.string()
    const partitions = t.array((p) => {
      const index = p.int32()
      const errorCode = p.int16()
      const baseOffset = p.int64()
      const logAppendTimeMs = p.int64()
      const logStartOffset = v >= 5 ? p.int64() : -1
      let recordErrors: Array<{ batchIndex: number; message: string | null }> = []
      let errorMessage: string | null = null
      if (v >= 8) {
        recordErrors = p.array((e) => {
          const error = { batchIndex: e.int32(), message: e.nullableString() }
          e.taggedFields()
          return error
        })
        errorMessage = p.nullableString()
      }
      p.taggedFields()
      return { index, errorCode, baseOffset, logAppendTimeMs, logStartOffset, recordErrors, errorMessage }
    })
    t.taggedFields()
    return { name, partitions }
  })
  const throttleTimeMs = r.int32()
  r.taggedFields()
  return { topics, throttleTimeMs }
}
