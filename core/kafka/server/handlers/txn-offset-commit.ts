/**
 * TxnOffsetCommit: a transactional producer commits a consumer group's offsets inside its
 * transaction (sendOffsetsToTransaction). They are written to the group's offsets partition at
 * once, as a transactional batch of the producer, and become the group's committed offsets only
 * when the transaction commits; an abort drops them. The group's partition must have joined the
 * transaction (AddOffsetsToTxn) under the producer's current epoch. As Kafka checks: the principal
 * writes the transactional id, reads the group, and reads each topic (a topic it may not read, or
 * that does not exist, is refused alone). Served up to v4; v5 belongs with transaction version 2.
 */
import { OFFSETS_TOPIC } from '../../../log/groups/offset-store.ts'
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeTxnOffsetCommitRequest,
  encodeTxnOffsetCommitResponse,
  txnOffsetCommitVersions,
  type TxnOffsetCommitRequest,
  type TxnOffsetCommitResponse,
} from '../../protocol/apis/txn-offset-commit.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler, type RequestContext } from '../api-handler.ts'
import { canGroup, canTopic, canTransactionalId } from '../auth/can.ts'
import { transactionErrorCode } from '../transaction-error-code.ts'
import { MAX_METADATA_BYTES } from './offset-commit.ts'

export const txnOffsetCommitHandler = defineHandler({
  apiKey: ApiKey.TxnOffsetCommit,
  versions: { ...txnOffsetCommitVersions, max: 4 },
  decodeRequest: decodeTxnOffsetCommitRequest,
  handle: async (request: TxnOffsetCommitRequest, context): Promise<TxnOffsetCommitResponse> => {
    const refusedTopics = new Map<string, number>()
    for (const topic of request.topics) {
      if (!canTopic(context, 'Read', topic.name)) refusedTopics.set(topic.name, KafkaError.TOPIC_AUTHORIZATION_FAILED)
      else if (!context.broker.log.hasTopic(topic.name)) refusedTopics.set(topic.name, KafkaError.UNKNOWN_TOPIC_OR_PARTITION)
    }
    const isTooLarge = (metadata: string | null): boolean => metadata !== null && Buffer.byteLength(metadata) > MAX_METADATA_BYTES
    const commits = request.topics
      .filter((topic) => !refusedTopics.has(topic.name))
      .flatMap((topic) =>
        topic.partitions
          .filter((p) => !isTooLarge(p.committedMetadata))
          .map((p) => ({ topic: topic.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata })),
      )
    const requestError = await commit(request, commits, context)
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode:
            requestError ??
            refusedTopics.get(topic.name) ??
            (isTooLarge(p.committedMetadata) ? KafkaError.OFFSET_METADATA_TOO_LARGE : KafkaError.NONE),
        })),
      })),
    }
  },
  encodeResponse: encodeTxnOffsetCommitResponse,
})

/** Commits in the transaction; the error for every partition, or undefined when it went through. */
async function commit(
  request: TxnOffsetCommitRequest,
  commits: ReadonlyArray<{ topic: string; partition: number; offset: number; metadata: string | null }>,
  context: RequestContext,
): Promise<number | undefined> {
  if (!canTransactionalId(context, 'Write', request.transactionalId)) return KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
  if (!canGroup(context, 'Read', request.groupId)) return KafkaError.GROUP_AUTHORIZATION_FAILED
  try {
    const groups = await context.broker.groups()
    const transactions = await context.broker.log.transactions()
    const producer = { producerId: request.producerId, producerEpoch: request.producerEpoch }
    transactions.checkWrite(request.transactionalId, producer, OFFSETS_TOPIC, groups.offsetsPartitionOf(request.groupId))
    await groups.commitTransactionalOffsets(
      request.groupId,
      request.memberId,
      request.generationId,
      producer,
      commits,
      request.groupInstanceId,
    )
    return undefined
  } catch (error) {
    // Kafka's group coordinator answers a stale producer INVALID_PRODUCER_EPOCH in every version.
    return transactionErrorCode(error, context, Infinity)
  }
}
