/**
 * OffsetFetch: a group's committed positions, from the offset store every member commits to. A
 * partition without a commit answers offset -1 and no error, as Kafka does. Leader epochs are not
 * kept, so the committed leader epoch is -1 (unknown), which tells clients to skip epoch validation.
 * A client that asks for stable offsets (v7+, read_committed consumers do) is answered
 * UNSTABLE_OFFSET_COMMIT for a partition whose commit in an open transaction awaits its outcome,
 * and retries. Up to v7 the request names one group and the answer sits at the top level; from v8
 * each of the batched groups is answered on its own, with its own error code.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeOffsetFetchRequest,
  encodeOffsetFetchResponse,
  offsetFetchVersions,
  type OffsetFetchPartition,
  type OffsetFetchRequestTopics,
  type OffsetFetchResponse,
  type OffsetFetchResponseTopics,
} from '../../protocol/apis/offset-fetch.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler, type RequestContext } from '../api-handler.ts'
import { responseErrorCode } from '../response-error-code.ts'
import { canTopic, requireGroup } from '../auth/can.ts'

export const offsetFetchHandler = defineHandler({
  apiKey: ApiKey.OffsetFetch,
  versions: offsetFetchVersions,
  decodeRequest: decodeOffsetFetchRequest,
  handle: async (request, context): Promise<OffsetFetchResponse> => {
    if (context.header.apiVersion >= 8) {
      const groups = []
      for (const group of request.groups)
        groups.push({ groupId: group.groupId, ...(await fetchGroup(group.groupId, group.topics, request.requireStable, context)) })
      return { throttleTimeMs: 0, topics: [], errorCode: KafkaError.NONE, groups }
    }
    return { throttleTimeMs: 0, ...(await fetchGroup(request.groupId, request.topics, request.requireStable, context)), groups: [] }
  },
  encodeResponse: encodeOffsetFetchResponse,
})

async function fetchGroup(
  groupId: string,
  requested: OffsetFetchRequestTopics,
  requireStable: boolean,
  context: RequestContext,
): Promise<{ topics: OffsetFetchResponseTopics; errorCode: number }> {
  try {
    requireGroup(context, 'Describe', groupId)
    const coordinator = await context.broker.groups()
    // As Kafka: topics the client may not describe are refused when named and left out of "all".
    const isAllowed = (topic: string): boolean => canTopic(context, 'Describe', topic)
    const wanted = requested?.flatMap((t) =>
      isAllowed(t.name) ? t.partitionIndexes.map((partition) => ({ topic: t.name, partition })) : [],
    )
    const committed = coordinator.fetchOffsets(groupId, wanted)
    const found = new Map(committed.map((c) => [`${c.topic}\0${c.partition}`, c]))
    const topics =
      requested === null
        ? byTopic(committed.filter((c) => isAllowed(c.topic)))
        : answerEach(requested, (topic, partitionIndex) => {
            if (!isAllowed(topic)) return partitionOf(partitionIndex, -1, '', KafkaError.TOPIC_AUTHORIZATION_FAILED)
            if (requireStable && coordinator.hasPendingCommit(groupId, topic, partitionIndex))
              return partitionOf(partitionIndex, -1, '', KafkaError.UNSTABLE_OFFSET_COMMIT)
            const offset = found.get(`${topic}\0${partitionIndex}`)
            return offset
              ? partitionOf(partitionIndex, offset.offset, offset.metadata, KafkaError.NONE)
              : partitionOf(partitionIndex, -1, '', KafkaError.NONE)
          })
    return { topics, errorCode: KafkaError.NONE }
  } catch (error) {
    const errorCode = responseErrorCode(error, context)
    // Before v2 there is no top-level error code: each partition carries it.
    const topics = context.header.apiVersion >= 2 ? [] : answerEach(requested ?? [], (_, index) => partitionOf(index, -1, '', errorCode))
    return { topics, errorCode }
  }
}

function partitionOf(partitionIndex: number, committedOffset: number, metadata: string | null, errorCode: number): OffsetFetchPartition {
  return { partitionIndex, committedOffset, committedLeaderEpoch: -1, metadata, errorCode }
}

function answerEach(
  topics: NonNullable<OffsetFetchRequestTopics>,
  answer: (topic: string, partitionIndex: number) => OffsetFetchPartition,
): OffsetFetchResponseTopics {
  return topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((index) => answer(t.name, index)) }))
}

function byTopic(
  committed: ReadonlyArray<{ topic: string; partition: number; offset: number; metadata: string | null }>,
): OffsetFetchResponseTopics {
  const topics = new Map<string, OffsetFetchPartition[]>()
  for (const c of committed) {
    const partitions = topics.get(c.topic) ?? []
    partitions.push(partitionOf(c.partition, c.offset, c.metadata, KafkaError.NONE))
    topics.set(c.topic, partitions)
  }
  return [...topics]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, partitions]) => ({ name, partitions: partitions.sort((a, b) => a.partitionIndex - b.partitionIndex) }))
}
