/**
 * OffsetFetch: a group's committed positions, from the offset store every member commits to. A
 * partition without a commit answers offset -1 and no error, as Kafka does. Leader epochs are not
 * kept, so the committed leader epoch is -1 (unknown), which tells clients to skip epoch validation.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeOffsetFetchRequest, encodeOffsetFetchResponse, offsetFetchVersions, type OffsetFetchPartition, type OffsetFetchRequest, type OffsetFetchResponse,
} from '../../protocol/apis/offset-fetch.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import { responseErrorCode } from '../response-error-code.ts'

type Topics = OffsetFetchResponse['topics']

export const offsetFetchHandler = defineHandler({
  apiKey: ApiKey.OffsetFetch,
  versions: offsetFetchVersions,
  decodeRequest: decodeOffsetFetchRequest,
  handle: async (request, context): Promise<OffsetFetchResponse> => {
    try {
      const coordinator = await context.broker.groups()
      const wanted = request.topics?.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })))
      const committed = coordinator.fetchOffsets(request.groupId, wanted)
      const found = new Map(committed.map((c) => [`${c.topic}\0${c.partition}`, c]))
      const topics = request.topics === null ? byTopic(committed) : answerEach(request.topics, (topic, partitionIndex) => {
        const offset = found.get(`${topic}\0${partitionIndex}`)
        return offset ? partitionOf(partitionIndex, offset.offset, offset.metadata, KafkaError.NONE) : partitionOf(partitionIndex, -1, '', KafkaError.NONE)
      })
      return { throttleTimeMs: 0, topics, errorCode: KafkaError.NONE }
    } catch (error) {
      const errorCode = responseErrorCode(error, context)
      // Before v2 there is no top-level error code: each partition carries it.
      const topics = context.header.apiVersion >= 2 ? [] : answerEach(request.topics ?? [], (_, index) => partitionOf(index, -1, '', errorCode))
      return { throttleTimeMs: 0, topics, errorCode }
    }
  },
  encodeResponse: encodeOffsetFetchResponse,
})

function partitionOf(partitionIndex: number, committedOffset: number, metadata: string | null, errorCode: number): OffsetFetchPartition {
  return { partitionIndex, committedOffset, committedLeaderEpoch: -1, metadata, errorCode }
}

function answerEach(topics: NonNullable<OffsetFetchRequest['topics']>, answer: (topic: string, partitionIndex: number) => OffsetFetchPartition): Topics {
  return topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((index) => answer(t.name, index)) }))
}

function byTopic(committed: ReadonlyArray<{ topic: string; partition: number; offset: number; metadata: string | null }>): Topics {
  const topics = new Map<string, OffsetFetchPartition[]>()
  for (const c of committed) {
    const partitions = topics.get(c.topic) ?? []
    partitions.push(partitionOf(c.partition, c.offset, c.metadata, KafkaError.NONE))
    topics.set(c.topic, partitions)
  }
  return [...topics].sort(([a], [b]) => a.localeCompare(b)).map(([name, partitions]) => ({ name, partitions: partitions.sort((a, b) => a.partitionIndex - b.partitionIndex) }))
}
