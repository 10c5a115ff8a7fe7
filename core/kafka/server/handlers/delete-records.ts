/**
 * DeleteRecords: moves partitions' log start offsets up, as the Java Admin client's deleteRecords
 * and kafkajs's deleteTopicRecords ask, each partition answered with its new low watermark or an
 * error of its own. As Kafka: it needs Delete on the topic (TOPIC_AUTHORIZATION_FAILED), an unknown
 * topic or partition is UNKNOWN_TOPIC_OR_PARTITION, an internal topic INVALID_TOPIC_EXCEPTION, an
 * offset past the high watermark OFFSET_OUT_OF_RANGE and a topic that only compacts POLICY_VIOLATION;
 * a failed partition's low watermark is -1. The answer comes once each new start is durable, so the
 * request's timeout has nothing to wait for.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeDeleteRecordsRequest,
  deleteRecordsVersions,
  encodeDeleteRecordsResponse,
  type DeleteRecordsPartitionResult,
  type DeleteRecordsResponse,
} from '../../protocol/apis/delete-records.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { adminError } from '../admin-error.ts'
import { defineHandler, type RequestContext } from '../api-handler.ts'
import { canTopic } from '../auth/can.ts'

export const deleteRecordsHandler = defineHandler({
  apiKey: ApiKey.DeleteRecords,
  versions: deleteRecordsVersions,
  decodeRequest: decodeDeleteRecordsRequest,
  handle: async (request, context): Promise<DeleteRecordsResponse> => {
    // As Kafka keys the request by partition: a partition named twice is answered once, for its last offset.
    const wanted = new Map<string, Map<number, number>>()
    for (const topic of request.topics) {
      const partitions = wanted.get(topic.name) ?? new Map<number, number>()
      for (const { partitionIndex, offset } of topic.partitions) partitions.set(partitionIndex, offset)
      wanted.set(topic.name, partitions)
    }
    const topics: Array<DeleteRecordsResponse['topics'][number]> = []
    for (const [name, offsets] of wanted) {
      const partitions: DeleteRecordsPartitionResult[] = []
      for (const [partitionIndex, offset] of offsets)
        partitions.push({ partitionIndex, ...(await deletePartitionRecords(context, name, partitionIndex, offset)) })
      topics.push({ name, partitions })
    }
    return { throttleTimeMs: 0, topics }
  },
  encodeResponse: encodeDeleteRecordsResponse,
})

/** Kafka's own internal topics (its Topic.isInternal), whose records no client may delete; other names starting `__` are users'. */
const KAFKA_INTERNAL_TOPICS: ReadonlySet<string> = new Set(['__consumer_offsets', '__transaction_state', '__share_group_state'])

async function deletePartitionRecords(
  context: RequestContext,
  topic: string,
  partition: number,
  offset: number,
): Promise<{ lowWatermark: number; errorCode: number }> {
  const failed = (errorCode: number) => ({ lowWatermark: -1, errorCode })
  const { log } = context.broker
  if (!canTopic(context, 'Delete', topic)) return failed(KafkaError.TOPIC_AUTHORIZATION_FAILED)
  const partitions = await log.partitionCount(topic)
  if (partitions === undefined || partition < 0 || partition >= partitions) return failed(KafkaError.UNKNOWN_TOPIC_OR_PARTITION)
  if (KAFKA_INTERNAL_TOPICS.has(topic)) return failed(KafkaError.INVALID_TOPIC_EXCEPTION)
  try {
    const lowWatermark = await log.deleteRecords(topic, partition, offset)
    context.broker.logger.info({ topic, partition, offset, lowWatermark }, 'deleted records for a Kafka client')
    return { lowWatermark, errorCode: KafkaError.NONE }
  } catch (error) {
    return failed(adminError(error, context.broker, { api: 'DeleteRecords', topic, partition }).errorCode)
  }
}
