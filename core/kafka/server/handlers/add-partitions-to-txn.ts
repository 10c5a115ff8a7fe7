/**
 * AddPartitionsToTxn: a transactional producer names the partitions it is about to write to, and
 * the coordinator stores them in the transaction before answering. Served in the versions clients
 * send (0-3); v4+ is the batched form brokers send each other, which has no place on one node. As
 * Kafka answers: a transactional id the principal may not write refuses every partition; a partition
 * of a topic it may not write to, or that does not exist, is refused with its own error and the
 * others are answered OPERATION_NOT_ATTEMPTED; a coordinator error applies to every partition.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  addPartitionsToTxnVersions,
  decodeAddPartitionsToTxnRequest,
  encodeAddPartitionsToTxnResponse,
  type AddPartitionsToTxnRequest,
  type AddPartitionsToTxnResponse,
} from '../../protocol/apis/add-partitions-to-txn.ts'
import type { TopicPartitions } from '../../protocol/apis/topic-partition-lists.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler, type RequestContext } from '../api-handler.ts'
import { canTopic, canTransactionalId } from '../auth/can.ts'
import { transactionErrorCode } from '../transaction-error-code.ts'

/** The first version that knows PRODUCER_FENCED. */
const FENCED_FROM = 2

export const addPartitionsToTxnHandler = defineHandler({
  apiKey: ApiKey.AddPartitionsToTxn,
  versions: { ...addPartitionsToTxnVersions, max: 3 },
  decodeRequest: decodeAddPartitionsToTxnRequest,
  handle: async (request: AddPartitionsToTxnRequest, context): Promise<AddPartitionsToTxnResponse> => {
    const [transaction] = request.transactions
    const { transactionalId, topics } = transaction!
    const answer = (errorOf: (topic: string, partition: number) => number): AddPartitionsToTxnResponse => ({
      throttleTimeMs: 0,
      errorCode: KafkaError.NONE,
      resultsByTransaction: [
        {
          transactionalId: '',
          topicResults: topics.map((t) => ({
            name: t.name,
            partitions: t.partitions.map((p) => ({ partitionIndex: p, errorCode: errorOf(t.name, p) })),
          })),
        },
      ],
    })
    if (!canTransactionalId(context, 'Write', transactionalId)) return answer(() => KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
    const refused = await refusedPartitions(topics, context)
    if (refused.size > 0) return answer((topic, partition) => refused.get(`${topic}\0${partition}`) ?? KafkaError.OPERATION_NOT_ATTEMPTED)
    let errorCode: number = KafkaError.NONE
    try {
      const coordinator = await context.broker.log.transactions()
      const partitions = topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })))
      await coordinator.addPartitions(transactionalId, transaction!, partitions)
    } catch (error) {
      errorCode = transactionErrorCode(error, context, FENCED_FROM)
    }
    return answer(() => errorCode)
  },
  encodeResponse: encodeAddPartitionsToTxnResponse,
})

/** Partitions the principal may not write to, or that do not exist, with their errors. */
async function refusedPartitions(topics: readonly TopicPartitions[], context: RequestContext): Promise<Map<string, number>> {
  const refused = new Map<string, number>()
  for (const topic of topics) {
    const isAllowed = canTopic(context, 'Write', topic.name)
    const count = isAllowed ? await context.broker.log.partitionCount(topic.name) : undefined
    for (const partition of topic.partitions) {
      if (!isAllowed) refused.set(`${topic.name}\0${partition}`, KafkaError.TOPIC_AUTHORIZATION_FAILED)
      else if (count === undefined || partition < 0 || partition >= count)
        refused.set(`${topic.name}\0${partition}`, KafkaError.UNKNOWN_TOPIC_OR_PARTITION)
    }
  }
  return refused
}
