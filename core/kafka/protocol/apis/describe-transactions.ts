/**
 * DescribeTransactions (key 65), version 0; flexible from 0. The Admin client's
 * describeTransactions (and kafka-transactions.sh describe): each transactional id's coordinator
 * state, producer, timeout and the partitions of its open transaction.
 *
 * DescribeTransactions Request (Version: 0) => [transactional_ids] TAG_BUFFER
 * DescribeTransactions Response (Version: 0) => throttle_time_ms [transaction_states] TAG_BUFFER
 *   transaction_states => error_code transactional_id transaction_state:string
 *     transaction_timeout_ms:int32 transaction_start_time_ms:int64 producer_id:int64 producer_epoch:int16
 *     [topics] TAG_BUFFER
 *     topics => topic [partitions:int32] TAG_BUFFER
 * transaction_state is the coordinator's state name (Empty, Ongoing, PrepareCommit, CompleteAbort, ...).
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'
import { readTopicPartitions, writeTopicPartitions, type TopicPartitions } from './topic-partition-lists.ts'

export const describeTransactionsVersions = { min: 0, max: 0, flexibleFrom: 0 } as const

export interface DescribeTransactionsRequest {
  readonly transactionalIds: readonly string[]
}

export interface TransactionDescription {
  readonly errorCode: number
  readonly transactionalId: string
  readonly transactionState: string
  readonly transactionTimeoutMs: number
  /** -1 when no transaction is open. */
  readonly transactionStartTimeMs: number
  readonly producerId: number
  readonly producerEpoch: number
  readonly topics: readonly TopicPartitions[]
}

export interface DescribeTransactionsResponse {
  readonly throttleTimeMs: number
  readonly transactionStates: readonly TransactionDescription[]
}

export function decodeDescribeTransactionsRequest(r: KafkaReader): DescribeTransactionsRequest {
  const transactionalIds = r.array((i) => i.string())
  r.taggedFields()
  return { transactionalIds }
}

export function encodeDescribeTransactionsRequest(w: KafkaWriter, _v: number, request: DescribeTransactionsRequest): void {
  w.array(request.transactionalIds, (i, id) => i.string(id)).taggedFields()
}

export function encodeDescribeTransactionsResponse(w: KafkaWriter, _v: number, response: DescribeTransactionsResponse): void {
  w.int32(response.throttleTimeMs)
  w.array(response.transactionStates, (s, state) => {
    s.int16(state.errorCode).string(state.transactionalId).string(state.transactionState).int32(state.transactionTimeoutMs)
    s.int64(state.transactionStartTimeMs).int64(state.producerId).int16(state.producerEpoch)
    writeTopicPartitions(s, state.topics).taggedFields()
  })
  w.taggedFields()
}

export function decodeDescribeTransactionsResponse(r: KafkaReader): DescribeTransactionsResponse {
  const throttleTimeMs = r.int32()
  const transactionStates = r.array((s): TransactionDescription => {
    const state = {
      errorCode: s.int16(),
      transactionalId: s.string(),
      transactionState: s.string(),
      transactionTimeoutMs: s.int32(),
      transactionStartTimeMs: s.int64(),
      producerId: s.int64(),
      producerEpoch: s.int16(),
      topics: readTopicPartitions(s),
    }
    s.taggedFields()
    return state
  })
  r.taggedFields()
  return { throttleTimeMs, transactionStates }
}
