/**
 * ListOffsets: the log start (-2), the log end (-1), or the first offset whose record timestamp is at
 * or after the given one, with that record's timestamp; -1/-1 when no record is that recent, as Kafka
 * answers.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import { decodeListOffsetsRequest, EARLIEST_TIMESTAMP, encodeListOffsetsResponse, LATEST_TIMESTAMP, listOffsetsVersions, type ListOffsetsPartitionResponse, type ListOffsetsRequest, type ListOffsetsResponse } from '../../protocol/apis/list-offsets.ts'
import { KafkaError, kafkaErrorCodeOf } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import type { Broker } from '../broker.ts'

export const listOffsetsHandler = defineHandler({
  apiKey: ApiKey.ListOffsets,
  versions: listOffsetsVersions,
  decodeRequest: decodeListOffsetsRequest,
  handle: async (request: ListOffsetsRequest, { broker }): Promise<ListOffsetsResponse> => ({
    throttleTimeMs: 0,
    topics: await Promise.all(request.topics.map(async (topic) => ({
      name: topic.name,
      partitions: await Promise.all(topic.partitions.map((p) => lookUp(broker, topic.name, p.partitionIndex, p.timestamp))),
    }))),
  }),
  encodeResponse: encodeListOffsetsResponse,
})

async function lookUp(broker: Broker, topic: string, partition: number, timestamp: number): Promise<ListOffsetsPartitionResponse> {
  const answer = (offset: number, found: number, errorCode: number = KafkaError.NONE) =>
    ({ partitionIndex: partition, errorCode, timestamp: found, offset, leaderEpoch: errorCode === KafkaError.NONE ? 0 : -1 })
  try {
    if (timestamp === LATEST_TIMESTAMP) return answer(await broker.log.listOffset(topic, partition, 'latest'), -1)
    if (timestamp === EARLIEST_TIMESTAMP) return answer(await broker.log.listOffset(topic, partition, 'earliest'), -1)
    const offset = await broker.log.listOffset(topic, partition, { timestamp })
    const read = await broker.log.read(topic, partition, offset, { maxBytes: 1 })
    const record = read.records.find((r) => r.offset === offset)
    return record ? answer(offset, record.timestamp) : answer(-1, -1)
  } catch (error) {
    return answer(-1, -1, kafkaErrorCodeOf(error))
  }
}
