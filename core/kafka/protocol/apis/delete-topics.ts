/**
 * DeleteTopics (key 20), versions 0-6; flexible from 4.
 *
 * DeleteTopics Request (Version: 0-5) => [topic_names] timeout_ms:int32 TAG_BUFFER(4)
 * DeleteTopics Request (Version: 6) => [topics] timeout_ms:int32 TAG_BUFFER
 *   topics => name:nullable_string topic_id:uuid TAG_BUFFER
 * DeleteTopics Response (Version: 0-6) => throttle_time_ms(1+) [responses] TAG_BUFFER(4)
 *   responses => name(nullable 6+) topic_id:uuid(6+) error_code error_message:nullable_string(5+) TAG_BUFFER(4)
 * From v6 a topic is named by its name or by its id (the other left null or zero), and the answer
 * carries both; v5 adds the error message.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'
import { ZERO_UUID } from '../uuid.ts'

export const deleteTopicsVersions = { min: 0, max: 6, flexibleFrom: 4 } as const

export interface DeleteTopicState {
  readonly name: string | null
  readonly topicId: Buffer
}

export interface DeleteTopicsRequest {
  /** v0-5. */
  readonly topicNames: readonly string[]
  /** v6+. */
  readonly topics: readonly DeleteTopicState[]
  readonly timeoutMs: number
}

export interface DeletableTopicResult {
  readonly name: string | null
  readonly topicId: Buffer
  readonly errorCode: number
  readonly errorMessage: string | null
}

export interface DeleteTopicsResponse {
  readonly throttleTimeMs: number
  readonly responses: readonly DeletableTopicResult[]
}

export function decodeDeleteTopicsRequest(r: KafkaReader, v: number): DeleteTopicsRequest {
  const topics =
    v >= 6
      ? r.array((t) => {
          const topic = { name: t.nullableString(), topicId: t.uuid() }
          t.taggedFields()
          return topic
        })
      : []
  const topicNames = v >= 6 ? [] : r.array((t) => t.string())
  const timeoutMs = r.int32()
  r.taggedFields()
  return { topicNames, topics, timeoutMs }
}

export function encodeDeleteTopicsRequest(w: KafkaWriter, v: number, request: DeleteTopicsRequest): void {
  if (v >= 6) w.array(request.topics, (t, topic) => t.nullableString(topic.name).uuid(topic.topicId).taggedFields())
  else w.array(request.topicNames, (t, name) => t.string(name))
  w.int32(request.timeoutMs).taggedFields()
}

export function encodeDeleteTopicsResponse(w: KafkaWriter, v: number, response: DeleteTopicsResponse): void {
  if (v >= 1) w.int32(response.throttleTimeMs)
  w.array(response.responses, (t, result) => {
    if (v >= 6) t.nullableString(result.name).uuid(result.topicId)
    else t.string(result.name ?? '')
    t.int16(result.errorCode)
    if (v >= 5) t.nullableString(result.errorMessage)
    t.taggedFields()
  })
  w.taggedFields()
}

export function decodeDeleteTopicsResponse(r: KafkaReader, v: number): DeleteTopicsResponse {
  const throttleTimeMs = v >= 1 ? r.int32() : 0
  const responses = r.array((t): DeletableTopicResult => {
    const name = v >= 6 ? t.nullableString() : t.string()
    const topicId = v >= 6 ? t.uuid() : ZERO_UUID
    const errorCode = t.int16()
    const errorMessage = v >= 5 ? t.nullableString() : null
    t.taggedFields()
    return { name, topicId, errorCode, errorMessage }
  })
  r.taggedFields()
  return { throttleTimeMs, responses }
}
