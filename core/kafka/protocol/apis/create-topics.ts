/**
 * CreateTopics (key 19), versions 0-7; flexible from 5.
 *
 * CreateTopics Request (Version: 0-7) => [topics] timeout_ms validate_only(1+) TAG_BUFFER(5)
 *   topics => name num_partitions:int32 replication_factor:int16 [assignments] [configs] TAG_BUFFER(5)
 *     assignments => partition_index:int32 [broker_ids:int32] TAG_BUFFER(5)
 *     configs => name value:nullable_string TAG_BUFFER(5)
 * CreateTopics Response (Version: 0-7) => throttle_time_ms(2+) [topics] TAG_BUFFER(5)
 *   topics => name topic_id:uuid(7+) error_code error_message(1+):nullable_string num_partitions(5+):int32
 *             replication_factor(5+):int16 [configs](5+, nullable) TAG_BUFFER(5)
 *             (tag 0, 5+: topic_config_error_code:int16)
 *     configs => name value:nullable_string read_only config_source:int8 is_sensitive TAG_BUFFER(5)
 * num_partitions and replication_factor of -1 ask for the broker's defaults (spelled out from v4, read
 * the same way in every version). v6 differs from v5 only in that it may answer
 * THROTTLING_QUOTA_EXCEEDED; v7 answers the new topic's id (zero when it was not created).
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'
import { ZERO_UUID } from '../uuid.ts'

export const createTopicsVersions = { min: 0, max: 7, flexibleFrom: 5 } as const

export interface ReplicaAssignment {
  readonly partitionIndex: number
  readonly brokerIds: readonly number[]
}

export interface ConfigValue {
  readonly name: string
  readonly value: string | null
}

export interface CreatableTopic {
  readonly name: string
  readonly numPartitions: number
  readonly replicationFactor: number
  readonly assignments: readonly ReplicaAssignment[]
  readonly configs: readonly ConfigValue[]
}

export interface CreateTopicsRequest {
  readonly topics: readonly CreatableTopic[]
  readonly timeoutMs: number
  readonly validateOnly: boolean
}

export interface CreatableTopicConfig {
  readonly name: string
  readonly value: string | null
  readonly readOnly: boolean
  readonly configSource: number
  readonly isSensitive: boolean
}

export interface CreatableTopicResult {
  readonly name: string
  readonly topicId: Buffer
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly topicConfigErrorCode: number
  readonly numPartitions: number
  readonly replicationFactor: number
  readonly configs: readonly CreatableTopicConfig[] | null
}

export interface CreateTopicsResponse {
  readonly throttleTimeMs: number
  readonly topics: readonly CreatableTopicResult[]
}

const TOPIC_CONFIG_ERROR_CODE_TAG = 0

export function decodeCreateTopicsRequest(r: KafkaReader, v: number): CreateTopicsRequest {
  const topics = r.array((t) => {
    const name = t.string()
    const numPartitions = t.int32()
    const replicationFactor = t.int16()
    const assignments = t.array((a) => {
      const assignment = { partitionIndex: a.int32(), brokerIds: a.array((b) => b.int32()) }
      a.taggedFields()
      return assignment
    })
    const configs = t.array((c) => {
      const config = { name: c.string(), value: c.nullableString() }
      c.taggedFields()
      return config
    })
    t.taggedFields()
    return { name, numPartitions, replicationFactor, assignments, configs }
  })
  const timeoutMs = r.int32()
  const validateOnly = v >= 1 ? r.bool() : false
  r.taggedFields()
  return { topics, timeoutMs, validateOnly }
}

export function encodeCreateTopicsRequest(w: KafkaWriter, v: number, request: CreateTopicsRequest): void {
  w.array(request.topics, (t, topic) => {
    t.string(topic.name).int32(topic.numPartitions).int16(topic.replicationFactor)
    t.array(topic.assignments, (a, assignment) => {
      a.int32(assignment.partitionIndex)
        .array(assignment.brokerIds, (b, id) => b.int32(id))
        .taggedFields()
    })
    t.array(topic.configs, (c, config) => c.string(config.name).nullableString(config.value).taggedFields())
    t.taggedFields()
  })
  w.int32(request.timeoutMs)
  if (v >= 1) w.bool(request.validateOnly)
  w.taggedFields()
}

export function encodeCreateTopicsResponse(w: KafkaWriter, v: number, response: CreateTopicsResponse): void {
  if (v >= 2) w.int32(response.throttleTimeMs)
  w.array(response.topics, (t, topic) => {
    t.string(topic.name)
    if (v >= 7) t.uuid(topic.topicId)
    t.int16(topic.errorCode)
    if (v >= 1) t.nullableString(topic.errorMessage)
    if (v >= 5) {
      t.int32(topic.numPartitions).int16(topic.replicationFactor)
      t.nullableArray(topic.configs, (c, config) => {
        c.string(config.name).nullableString(config.value).bool(config.readOnly).int8(config.configSource).bool(config.isSensitive)
        c.taggedFields()
      })
    }
    // A tagged field is sent only when it differs from its default (0).
    t.taggedFields(topic.topicConfigErrorCode === 0 ? [] : [[TOPIC_CONFIG_ERROR_CODE_TAG, (f) => f.int16(topic.topicConfigErrorCode)]])
  })
  w.taggedFields()
}

export function decodeCreateTopicsResponse(r: KafkaReader, v: number): CreateTopicsResponse {
  const throttleTimeMs = v >= 2 ? r.int32() : 0
  const topics = r.array((t): CreatableTopicResult => {
    const name = t.string()
    const topicId = v >= 7 ? t.uuid() : ZERO_UUID
    const errorCode = t.int16()
    const errorMessage = v >= 1 ? t.nullableString() : null
    let numPartitions = -1
    let replicationFactor = -1
    let configs: CreatableTopicConfig[] | null = []
    if (v >= 5) {
      numPartitions = t.int32()
      replicationFactor = t.int16()
      configs = t.nullableArray((c) => {
        const config = { name: c.string(), value: c.nullableString(), readOnly: c.bool(), configSource: c.int8(), isSensitive: c.bool() }
        c.taggedFields()
        return config
      })
    }
    let topicConfigErrorCode = 0
    t.taggedFields((tag, field) => {
      if (tag === TOPIC_CONFIG_ERROR_CODE_TAG) topicConfigErrorCode = field.int16()
    })
    return { name, topicId, errorCode, errorMessage, topicConfigErrorCode, numPartitions, replicationFactor, configs }
  })
  r.taggedFields()
  return { throttleTimeMs, topics }
}
