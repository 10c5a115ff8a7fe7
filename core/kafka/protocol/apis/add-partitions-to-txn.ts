/**
 * AddPartitionsToTxn (key 24), versions 0-5; flexible from 3. A transactional producer names each
 * partition before its first write to it in a transaction, so the coordinator knows where to write
 * the markers that end it.
 *
 * AddPartitionsToTxn Request (Version: 0-3) => transactional_id producer_id:int64 producer_epoch:int16
 *   [topics] TAG_BUFFER(3)
 * AddPartitionsToTxn Request (Version: 4-5) => [transactions] TAG_BUFFER
 *   transactions => transactional_id producer_id:int64 producer_epoch:int16 verify_only:bool [topics] TAG_BUFFER
 *   topics => name [partitions:int32] TAG_BUFFER(3+)
 * AddPartitionsToTxn Response (Version: 0-3) => throttle_time_ms [results_by_topic] TAG_BUFFER(3)
 * AddPartitionsToTxn Response (Version: 4-5) => throttle_time_ms error_code [results_by_transaction] TAG_BUFFER
 *   results_by_transaction => transactional_id [topic_results] TAG_BUFFER
 *   results_by_topic, topic_results => name [partitions] TAG_BUFFER(3+)
 *     partitions => partition_index partition_error_code TAG_BUFFER(3+)
 * v4+ is the batched form brokers send each other (KIP-890) to verify a partition is in a
 * transaction; clients send v0-3. Both decode to a list of transactions: v0-3's single one has
 * verify_only false, and its result's transactional id is "" (v0-3 answers carry none), as Kafka
 * models it. Encoding v0-3 takes exactly one transaction or result. v5 only adds an error code.
 */
import { TributaryError } from '../../../errors.ts'
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'
import {
  readTopicPartitionErrors,
  readTopicPartitions,
  writeTopicPartitionErrors,
  writeTopicPartitions,
  type TopicPartitionErrors,
  type TopicPartitions,
} from './topic-partition-lists.ts'

export const addPartitionsToTxnVersions = { min: 0, max: 5, flexibleFrom: 3 } as const
/** The first version in the batched layout. */
const BATCHED = 4

export interface AddPartitionsToTxnTransaction {
  readonly transactionalId: string
  readonly producerId: number
  readonly producerEpoch: number
  /** v4+: only check the partitions are already in the transaction, adding none. */
  readonly verifyOnly: boolean
  readonly topics: readonly TopicPartitions[]
}

export interface AddPartitionsToTxnRequest {
  readonly transactions: readonly AddPartitionsToTxnTransaction[]
}

export interface AddPartitionsToTxnResult {
  readonly transactionalId: string
  readonly topicResults: readonly TopicPartitionErrors[]
}

export interface AddPartitionsToTxnResponse {
  readonly throttleTimeMs: number
  /** v4+: an error for the whole request. */
  readonly errorCode: number
  readonly resultsByTransaction: readonly AddPartitionsToTxnResult[]
}

export function decodeAddPartitionsToTxnRequest(r: KafkaReader, v: number): AddPartitionsToTxnRequest {
  const transactions =
    v >= BATCHED
      ? r.array((t) => {
          const transaction = readTransaction(t, true)
          t.taggedFields()
          return transaction
        })
      : [readTransaction(r, false)]
  r.taggedFields()
  return { transactions }
}

export function encodeAddPartitionsToTxnRequest(w: KafkaWriter, v: number, request: AddPartitionsToTxnRequest): void {
  if (v >= BATCHED) w.array(request.transactions, (t, transaction) => writeTransaction(t, transaction, true).taggedFields())
  else writeTransaction(w, onlyOne(request.transactions, v), false)
  w.taggedFields()
}

export function encodeAddPartitionsToTxnResponse(w: KafkaWriter, v: number, response: AddPartitionsToTxnResponse): void {
  w.int32(response.throttleTimeMs)
  if (v >= BATCHED) {
    w.int16(response.errorCode)
    w.array(response.resultsByTransaction, (t, result) => {
      t.string(result.transactionalId)
      writeTopicPartitionErrors(t, result.topicResults)
      t.taggedFields()
    })
  } else {
    writeTopicPartitionErrors(w, onlyOne(response.resultsByTransaction, v).topicResults)
  }
  w.taggedFields()
}

export function decodeAddPartitionsToTxnResponse(r: KafkaReader, v: number): AddPartitionsToTxnResponse {
  const throttleTimeMs = r.int32()
  const errorCode = v >= BATCHED ? r.int16() : 0
  const resultsByTransaction =
    v >= BATCHED
      ? r.array((t): AddPartitionsToTxnResult => {
          const result = { transactionalId: t.string(), topicResults: readTopicPartitionErrors(t) }
          t.taggedFields()
          return result
        })
      : [{ transactionalId: '', topicResults: readTopicPartitionErrors(r) }]
  r.taggedFields()
  return { throttleTimeMs, errorCode, resultsByTransaction }
}

/** A transaction's fields; verify_only, between the epoch and the topics, is in the batched layout only. */
function readTransaction(r: KafkaReader, batched: boolean): AddPartitionsToTxnTransaction {
  const transactionalId = r.string()
  const producerId = r.int64()
  const producerEpoch = r.int16()
  const verifyOnly = batched ? r.bool() : false
  return { transactionalId, producerId, producerEpoch, verifyOnly, topics: readTopicPartitions(r) }
}

function writeTransaction(w: KafkaWriter, transaction: AddPartitionsToTxnTransaction, batched: boolean): KafkaWriter {
  w.string(transaction.transactionalId).int64(transaction.producerId).int16(transaction.producerEpoch)
  if (batched) w.bool(transaction.verifyOnly)
  return writeTopicPartitions(w, transaction.topics)
}

/** v0-3 carry one transaction: a request or answer for several cannot be written in them. */
function onlyOne<T>(items: readonly T[], v: number): T {
  if (items.length !== 1) throw new TributaryError('TRB_INTERNAL', `AddPartitionsToTxn v${v} carries one transaction, not ${items.length}`)
  return items[0]!
}
