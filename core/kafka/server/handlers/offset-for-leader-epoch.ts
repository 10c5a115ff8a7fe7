/**
 * OffsetForLeaderEpoch: the end offset of a leader epoch, which the Java consumer asks for to check
 * its position after a leader change (KIP-320). Every partition here is in epoch 0 (leader-epoch.ts),
 * so it is answered as a Kafka broker answers a partition that never changed leader: epoch 0 ends at
 * the high watermark; a later epoch, or -1, is unknown (NONE with epoch and offset -1); an earlier
 * one gives the first offset of epoch 0, the log start. A current_leader_epoch later than 0 is
 * UNKNOWN_LEADER_EPOCH and an earlier one FENCED_LEADER_EPOCH. As Kafka: the topic needs Describe
 * (TOPIC_AUTHORIZATION_FAILED), and an unknown topic or partition is UNKNOWN_TOPIC_OR_PARTITION.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeOffsetForLeaderEpochRequest,
  encodeOffsetForLeaderEpochResponse,
  offsetForLeaderEpochVersions,
  type EpochEndOffset,
  type OffsetForLeaderEpochResponse,
} from '../../protocol/apis/offset-for-leader-epoch.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { adminError } from '../admin-error.ts'
import { defineHandler, type RequestContext } from '../api-handler.ts'
import { canTopic } from '../auth/can.ts'
import { LEADER_EPOCH, NO_LEADER_EPOCH } from '../leader-epoch.ts'

export const offsetForLeaderEpochHandler = defineHandler({
  apiKey: ApiKey.OffsetForLeaderEpoch,
  versions: offsetForLeaderEpochVersions,
  decodeRequest: decodeOffsetForLeaderEpochRequest,
  handle: async (request, context): Promise<OffsetForLeaderEpochResponse> => {
    const topics: Array<OffsetForLeaderEpochResponse['topics'][number]> = []
    for (const { topic, partitions } of request.topics) {
      const allowed = canTopic(context, 'Describe', topic)
      const answers: EpochEndOffset[] = []
      for (const { partition, currentLeaderEpoch, leaderEpoch } of partitions) {
        answers.push({
          partition,
          ...(allowed
            ? await epochEnd(context, topic, partition, currentLeaderEpoch, leaderEpoch)
            : unanswered(KafkaError.TOPIC_AUTHORIZATION_FAILED)),
        })
      }
      topics.push({ topic, partitions: answers })
    }
    return { throttleTimeMs: 0, topics }
  },
  encodeResponse: encodeOffsetForLeaderEpochResponse,
})

function unanswered(errorCode: number): Omit<EpochEndOffset, 'partition'> {
  return { errorCode, leaderEpoch: -1, endOffset: -1 }
}

async function epochEnd(
  context: RequestContext,
  topic: string,
  partition: number,
  currentLeaderEpoch: number,
  leaderEpoch: number,
): Promise<Omit<EpochEndOffset, 'partition'>> {
  const { log } = context.broker
  const count = await log.partitionCount(topic)
  if (count === undefined || partition < 0 || partition >= count) return unanswered(KafkaError.UNKNOWN_TOPIC_OR_PARTITION)
  if (currentLeaderEpoch !== NO_LEADER_EPOCH) {
    if (currentLeaderEpoch > LEADER_EPOCH) return unanswered(KafkaError.UNKNOWN_LEADER_EPOCH)
    if (currentLeaderEpoch < LEADER_EPOCH) return unanswered(KafkaError.FENCED_LEADER_EPOCH)
  }
  if (leaderEpoch === NO_LEADER_EPOCH || leaderEpoch > LEADER_EPOCH) return unanswered(KafkaError.NONE)
  try {
    if (leaderEpoch === LEADER_EPOCH)
      return { errorCode: KafkaError.NONE, leaderEpoch, endOffset: await log.listOffset(topic, partition, 'latest') }
    return { errorCode: KafkaError.NONE, leaderEpoch, endOffset: await log.listOffset(topic, partition, 'earliest') }
  } catch (error) {
    return unanswered(adminError(error, context.broker, { api: 'OffsetForLeaderEpoch', topic, partition }).errorCode)
  }
}
