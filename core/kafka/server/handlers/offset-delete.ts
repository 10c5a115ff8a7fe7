/**
 * OffsetDelete: removes a group's committed offsets for some partitions, as the Java Admin client's
 * deleteConsumerGroupOffsets asks. As Kafka: the group needs Delete (else every partition is refused
 * with the group error), each topic Read (else TOPIC_AUTHORIZATION_FAILED for its partitions); a topic a
 * member of the group subscribes to keeps its offsets (GROUP_SUBSCRIBED_TO_TOPIC); an unknown group is
 * GROUP_ID_NOT_FOUND and a non-consumer group with members NON_EMPTY_GROUP, for the whole request.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeOffsetDeleteRequest,
  encodeOffsetDeleteResponse,
  offsetDeleteVersions,
  type OffsetDeleteResponse,
} from '../../protocol/apis/offset-delete.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import { responseErrorCode } from '../response-error-code.ts'
import { canGroup, canTopic } from '../auth/can.ts'

export const offsetDeleteHandler = defineHandler({
  apiKey: ApiKey.OffsetDelete,
  versions: offsetDeleteVersions,
  decodeRequest: decodeOffsetDeleteRequest,
  handle: async (request, context): Promise<OffsetDeleteResponse> => {
    const answer = (errorCode: number, errorOf: (topic: string) => number): OffsetDeleteResponse => ({
      errorCode,
      throttleTimeMs: 0,
      topics: request.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((partitionIndex) => ({ partitionIndex, errorCode: errorOf(topic.name) })),
      })),
    })
    if (!canGroup(context, 'Delete', request.groupId)) return answer(KafkaError.GROUP_AUTHORIZATION_FAILED, () => KafkaError.NONE)
    const denied = new Set(request.topics.filter((topic) => !canTopic(context, 'Read', topic.name)).map((topic) => topic.name))
    const partitions = request.topics
      .filter((topic) => !denied.has(topic.name))
      .flatMap((topic) => topic.partitions.map((partition) => ({ topic: topic.name, partition })))
    let subscribed: ReadonlySet<string>
    try {
      const coordinator = await context.broker.groups()
      subscribed = (await coordinator.deleteOffsets(request.groupId, partitions)).subscribed
    } catch (error) {
      return answer(responseErrorCode(error, context), () => KafkaError.NONE)
    }
    return answer(KafkaError.NONE, (topic) =>
      denied.has(topic)
        ? KafkaError.TOPIC_AUTHORIZATION_FAILED
        : subscribed.has(topic)
          ? KafkaError.GROUP_SUBSCRIBED_TO_TOPIC
          : KafkaError.NONE,
    )
  },
  encodeResponse: encodeOffsetDeleteResponse,
})
