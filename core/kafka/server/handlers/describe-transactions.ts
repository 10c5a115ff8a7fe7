/**
 * DescribeTransactions: the coordinator's view of each transactional id (the Admin client's
 * describeTransactions, kafka-transactions.sh describe): state, producer, timeout, start time and
 * the partitions of the open transaction. An id the principal may not describe is
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED; one the coordinator does not know is
 * TRANSACTIONAL_ID_NOT_FOUND. Nothing is created to answer: with no `__transaction_state` yet, no
 * id is known.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeDescribeTransactionsRequest,
  describeTransactionsVersions,
  encodeDescribeTransactionsResponse,
  type DescribeTransactionsRequest,
  type DescribeTransactionsResponse,
  type TransactionDescription,
} from '../../protocol/apis/describe-transactions.ts'
import type { TopicPartitions } from '../../protocol/apis/topic-partition-lists.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import type { TopicPartition } from '../../../log/log.ts'
import { defineHandler } from '../api-handler.ts'
import { canTransactionalId } from '../auth/can.ts'

export const describeTransactionsHandler = defineHandler({
  apiKey: ApiKey.DescribeTransactions,
  versions: describeTransactionsVersions,
  decodeRequest: decodeDescribeTransactionsRequest,
  handle: async (request: DescribeTransactionsRequest, context): Promise<DescribeTransactionsResponse> => {
    const coordinator = context.broker.log.openedTransactions
    const transactionStates = request.transactionalIds.map((transactionalId): TransactionDescription => {
      const unknown = {
        transactionalId,
        transactionState: '',
        transactionTimeoutMs: 0,
        transactionStartTimeMs: -1,
        producerId: -1,
        producerEpoch: -1,
        topics: [],
      }
      if (!canTransactionalId(context, 'Describe', transactionalId))
        return { ...unknown, errorCode: KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED }
      const metadata = coordinator?.describe(transactionalId)
      if (!metadata) return { ...unknown, errorCode: KafkaError.TRANSACTIONAL_ID_NOT_FOUND }
      return {
        errorCode: KafkaError.NONE,
        transactionalId,
        transactionState: metadata.state,
        transactionTimeoutMs: metadata.timeoutMs,
        transactionStartTimeMs: metadata.txnStartTimestamp,
        producerId: metadata.producerId,
        producerEpoch: metadata.producerEpoch,
        topics: byTopic(metadata.partitions),
      }
    })
    return { throttleTimeMs: 0, transactionStates }
  },
  encodeResponse: encodeDescribeTransactionsResponse,
})

function byTopic(partitions: readonly TopicPartition[]): TopicPartitions[] {
  const topics = new Map<string, number[]>()
  for (const { topic, partition } of partitions) topics.set(topic, [...(topics.get(topic) ?? []), partition])
  return [...topics].map(([name, indexes]) => ({ name, partitions: indexes }))
}
