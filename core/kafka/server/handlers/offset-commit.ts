/**
 * OffsetCommit: stores a group's positions in the same offset store the in-process consumers use. The
 * commit is durable before the answer. Metadata over Kafka's offset.metadata.max.bytes is refused
 * for its partition alone; a group error (unknown member, old generation) applies to every partition.
 * Retention times (v2-4) are ignored, as Kafka ignores them since v5: the broker's retention rules.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import { decodeOffsetCommitRequest, encodeOffsetCommitResponse, offsetCommitVersions, type OffsetCommitResponse } from '../../protocol/apis/offset-commit.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import { responseErrorCode } from '../response-error-code.ts'

/** Kafka's offset.metadata.max.bytes default. */
const MAX_METADATA_BYTES = 4096

export const offsetCommitHandler = defineHandler({
  apiKey: ApiKey.OffsetCommit,
  versions: offsetCommitVersions,
  decodeRequest: decodeOffsetCommitRequest,
  handle: async (request, context): Promise<OffsetCommitResponse> => {
    const isTooLarge = (metadata: string | null): boolean => metadata !== null && Buffer.byteLength(metadata) > MAX_METADATA_BYTES
    const commits = request.topics.flatMap((topic) => topic.partitions
      .filter((p) => !isTooLarge(p.committedMetadata))
      .map((p) => ({ topic: topic.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata })))
    let groupError: number = KafkaError.NONE
    try {
      const coordinator = await context.broker.groups()
      await coordinator.commitOffsets(request.groupId, request.memberId, request.generationId, commits, request.groupInstanceId)
    } catch (error) {
      groupError = responseErrorCode(error, context)
    }
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: isTooLarge(p.committedMetadata) ? KafkaError.OFFSET_METADATA_TOO_LARGE : groupError,
        })),
      })),
    }
  },
  encodeResponse: encodeOffsetCommitResponse,
})
