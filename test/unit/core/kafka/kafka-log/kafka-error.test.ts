import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { fromKafkaError } from '../../../../../core/kafka/kafka-log/kafka-error.ts'
import { TributaryError } from '../../../../../core/errors.ts'

const require = createRequire(import.meta.url)
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as { createErrorFromCode(code: number): Error }
const errors = require('kafkajs/src/errors') as Record<string, new (...args: unknown[]) => Error>

describe('kafkajs errors as TributaryErrors', () => {
  it('maps broker error codes through the code table', () => {
    expect(fromKafkaError(createErrorFromCode(3), 'x')).toMatchObject({
      code: 'TRB_TOPIC_NOT_FOUND',
      details: { kafka: 'UNKNOWN_TOPIC_OR_PARTITION', kafkaErrorCode: 3 },
    })
    expect(fromKafkaError(createErrorFromCode(36), 'x').code).toBe('TRB_TOPIC_EXISTS')
    expect(fromKafkaError(createErrorFromCode(1), 'x').code).toBe('TRB_LOG_OFFSET_OUT_OF_RANGE')
    expect(fromKafkaError(createErrorFromCode(69), 'x').code).toBe('TRB_GROUP_NOT_FOUND')
    expect(fromKafkaError(createErrorFromCode(100), 'x').code).toBe('TRB_TOPIC_NOT_FOUND')
    expect(fromKafkaError(createErrorFromCode(7), 'x')).toMatchObject({ code: 'TRB_LOG_UNAVAILABLE', retriable: true })
  })

  it('looks inside retries, aggregates, group and partition results, and keeps TributaryErrors as they are', () => {
    const retried = new errors.KafkaJSNumberOfRetriesExceeded!(createErrorFromCode(37), { retryCount: 5, retryTime: 100 })
    expect(fromKafkaError(retried, 'x').code).toBe('TRB_TOPIC_INVALID_PARTITIONS')
    const aggregate = new errors.KafkaJSAggregateError!('many', [createErrorFromCode(17)])
    expect(fromKafkaError(aggregate, 'x').code).toBe('TRB_TOPIC_INVALID_NAME')
    const groups = new errors.KafkaJSDeleteGroupsError!('groups', [{ groupId: 'g', error: createErrorFromCode(68) }])
    expect(fromKafkaError(groups, 'x').code).toBe('TRB_GROUP_NOT_EMPTY')
    // deleteTopicRecords: a partition's error, inside the result, inside the retrier's bail-out.
    const records = new errors.KafkaJSDeleteTopicRecordsError!({
      topic: 't',
      partitions: [{ partition: 0, offset: '5', error: createErrorFromCode(44) }],
    })
    expect(fromKafkaError(new errors.KafkaJSNonRetriableError!(records, { cause: records }), 'x').code).toBe('TRB_LOG_POLICY_VIOLATION')
    const ours = new TributaryError('TRB_TOPIC_EXISTS', 'exists')
    expect(fromKafkaError(ours, 'x')).toBe(ours)
  })

  it('calls a connection failure unavailable and anything else internal', () => {
    expect(fromKafkaError(new errors.KafkaJSConnectionError!('refused'), 'x')).toMatchObject({
      code: 'TRB_LOG_UNAVAILABLE',
      retriable: true,
    })
    expect(fromKafkaError(new Error('odd'), 'x')).toMatchObject({ code: 'TRB_INTERNAL', message: 'x: odd' })
    // kafkajs' own fault while its cluster metadata is being refreshed: asked again, it answers.
    expect(fromKafkaError(new TypeError("Cannot read properties of null (reading 'topicMetadata')"), 'x')).toMatchObject({
      code: 'TRB_LOG_UNAVAILABLE',
      retriable: true,
    })
    expect(fromKafkaError(new TypeError("Cannot read properties of null (reading 'other')"), 'x').code).toBe('TRB_INTERNAL')
  })
})
