/**
 * OffsetCommit: stores a group's positions in the same offset store the in-process consumers use. The
 * commit is durable before the answer. Metadata over Kafka's offset.metadata.max.bytes is refused
 * for its partition alone; a group error (unknown member, old generation) applies to every partition.
 * Retention times (v2-4) are ignored, as Kafka ignores them since v5: the broker's retention rules.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeOffsetCommitRequest,
  encodeOffsetCommitResponse,
  offsetCommitVersions,
  type OffsetCommitResponse,
} from '../../protocol/apis/offset-commit.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import { responseErrorCode } from '../response-error-code.ts'
import { canGroup, canTopic } from '../auth/can.ts'

/** Kafka's offset.metadata.max.bytes default. */
export const MAX_METADATA_BYTES = 4096

export const offsetCommitHandler = defineHandler({
  apiKey: ApiKey.OffsetCommit,
  versions: offsetCommitVersions,
  decodeRequest: decodeOffsetCommitRequest,
  handle: async (request, context): Promise<OffsetCommitResponse> => {
    const isTooLarge = (metadata: string | null): boolean => metadata !== null && Buffer.byteLength(metadata) > MAX_METADATA_BYTES
    // As Kafka: a group the client may not read refuses every partition; a topic it may not read, its own.
    const isGroupAllowed = canGroup(context, 'Read', request.groupId)
    const deniedTopics = new Set(request.topics.filter((topic) => !canTopic(context, 'Read', topic.name)).map((topic) => topic.name))
    const commits = request.topics
      .filter((topic) => !deniedTopics.has(topic.name))
      .flatMap((topic) =>
        topic.partitions
          .filter((p) => !isTooLarge(p.committedMetadata))
          .map((p) => ({ topic: topic.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata })),
      )
    let groupError: number = isGroupAllowed ? KafkaError.NONE : KafkaError.GROUP_AUTHORIZATION_FAILED
    if (isGroupAllowed && (commits.length > 0 || deniedTopics.size === 0)) {
      try {
        const coordinator = await context.broker.groups()
        await coordinator.commitOffsets(request.groupId, request.memberId, request.generationId, commits, request.groupInstanceId)
      } catch (error) {
        groupError = responseErrorCode(error, context)
      }
    }
    const errorOf = (topic: string, metadata: string | null): number =>
      !isGroupAllowed
        ? groupError
        : deniedTopics.has(topic)
          ? KafkaError.TOPIC_AUTHORIZATION_FAILED
          : isTooLarge(metadata)
            ? KafkaError.OFFSET_METADATA_TOO_LARGE
            : groupError
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: errorOf(topic.name, p.committedMetadata),
        })),
      })),
    }
  },
  encodeResponse: encodeOffsetCommitResponse,
})
