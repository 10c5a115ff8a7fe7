/**
 * CreatePartitions (key 37), versions 0-3; flexible from 2.
 *
 * CreatePartitions Request (Version: 0-3) => [topics] timeout_ms:int32 validate_only TAG_BUFFER(2)
 *   topics => name count:int32 [assignments](nullable) TAG_BUFFER(2)
 *     assignments => [broker_ids:int32] TAG_BUFFER(2)
 * CreatePartitions Response (Version: 0-3) => throttle_time_ms [results] TAG_BUFFER(2)
 *   results => name error_code error_message:nullable_string TAG_BUFFER(2)
 * `assignments`, when present, places each new partition (one entry per partition added).
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const createPartitionsVersions = { min: 0, max: 3, flexibleFrom: 2 } as const

export interface CreatePartitionsTopic {
  readonly name: string
  readonly count: number
  readonly assignments: ReadonlyArray<readonly number[]> | null
}

export interface CreatePartitionsRequest {
  readonly topics: readonly CreatePartitionsTopic[]
  readonly timeoutMs: number
  readonly validateOnly: boolean
}

export interface CreatePartitionsTopicResult {
  readonly name: string
  readonly errorCode: number
  readonly errorMessage: string | null
}

export interface CreatePartitionsResponse {
  readonly throttleTimeMs: number
  readonly results: readonly CreatePartitionsTopicResult[]
}

export function decodeCreatePartitionsRequest(r: KafkaReader): CreatePartitionsRequest {
  const topics = r.array((t) => {
    const name = t.string()
    const count = t.int32()
    const assignments = t.nullableArray((a) => {
      const brokerIds = a.array((b) => b.int32())
      a.taggedFields()
      return brokerIds
    })
    t.taggedFields()
    return { name, count, assignments }
  })
  const timeoutMs = r.int32()
  const validateOnly = r.bool()
  r.taggedFields()
  return { topics, timeoutMs, validateOnly }
}

export function encodeCreatePartitionsRequest(w: KafkaWriter, _v: number, request: CreatePartitionsRequest): void {
  w.array(request.topics, (t, topic) => {
    t.string(topic.name).int32(topic.count)
    t.nullableArray(topic.assignments, (a, brokerIds) => a.array(brokerIds, (b, id) => b.int32(id)).taggedFields())
    t.taggedFields()
  })
  w.int32(request.timeoutMs).bool(request.validateOnly).taggedFields()
}

export function encodeCreatePartitionsResponse(w: KafkaWriter, _v: number, response: CreatePartitionsResponse): void {
  w.int32(response.throttleTimeMs)
  w.array(response.results, (t, result) => t.string(result.name).int16(result.errorCode).nullableString(result.errorMessage).taggedFields())
  w.taggedFields()
}

export function decodeCreatePartitionsResponse(r: KafkaReader): CreatePartitionsResponse {
  const throttleTimeMs = r.int32()
  const results = r.array((t) => {
    const result = { name: t.string(), errorCode: t.int16(), errorMessage: t.nullableString() }
    t.taggedFields()
    return result
  })
  r.taggedFields()
  return { throttleTimeMs, results }
}
