/**
 * DeleteTopics (key 20), versions 0-4; flexible from 4.
 *
 * DeleteTopics Request (Version: 0-4) => [topic_names] timeout_ms:int32 TAG_BUFFER(4)
 * DeleteTopics Response (Version: 0-4) => throttle_time_ms(1+) [responses] TAG_BUFFER(4)
 *   responses => name error_code TAG_BUFFER(4)
 * Versions 5 (error messages) and 6 (topic ids) are not served.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const deleteTopicsVersions = { min: 0, max: 4, flexibleFrom: 4 } as const

export interface DeleteTopicsRequest {
  readonly topicNames: readonly string[]
  readonly timeoutMs: number
}

export interface DeletableTopicResult {
  readonly name: string
  readonly errorCode: number
}

export interface DeleteTopicsResponse {
  readonly throttleTimeMs: number
  readonly responses: readonly DeletableTopicResult[]
}

export function decodeDeleteTopicsRequest(r: KafkaReader): DeleteTopicsRequest {
  const topicNames = r.array((t) => t.string())
  const timeoutMs = r.int32()
  r.taggedFields()
  return { topicNames, timeoutMs }
}

export function encodeDeleteTopicsRequest(w: KafkaWriter, _v: number, request: DeleteTopicsRequest): void {
  w.array(request.topicNames, (t, name) => t.string(name)).int32(request.timeoutMs).taggedFields()
}

export function encodeDeleteTopicsResponse(w: KafkaWriter, v: number, response: DeleteTopicsResponse): void {
  if (v >= 1) w.int32(response.throttleTimeMs)
  w.array(response.responses, (t, result) => t.string(result.name).int16(result.errorCode).taggedFields())
  w.taggedFields()
}

export function decodeDeleteTopicsResponse(r: KafkaReader, v: number): DeleteTopicsResponse {
  const throttleTimeMs = v >= 1 ? r.int32() : 0
  const responses = r.array((t) => {
    const result = { name: t.string(), errorCode: t.int16() }
    t.taggedFields()
    return result
  })
  r.taggedFields()
  return { throttleTimeMs, responses }
}
