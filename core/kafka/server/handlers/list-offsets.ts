/**
 * ListOffsets: the log start (-2, and -4 from v8: with no tiered storage the local log starts where
 * the log does), the log end (-1), the record with the largest timestamp (-3, from v7; found by
 * reading the partition, as no max-timestamp index is kept), or the first offset whose record
 * timestamp is at or after the given one, with that record's timestamp; -1/-1 when no record is that
 * recent (or the partition is empty), with leader epoch -1, as Kafka answers.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeListOffsetsRequest,
  EARLIEST_LOCAL_TIMESTAMP,
  EARLIEST_TIMESTAMP,
  encodeListOffsetsResponse,
  LATEST_TIMESTAMP,
  MAX_TIMESTAMP,
  listOffsetsVersions,
  type ListOffsetsPartitionResponse,
  type ListOffsetsRequest,
  type ListOffsetsResponse,
} from '../../protocol/apis/list-offsets.ts'
import { KafkaError, kafkaErrorCodeOf } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import type { Broker } from '../broker.ts'
import { canTopic } from '../auth/can.ts'
import { LEADER_EPOCH } from '../leader-epoch.ts'

export const listOffsetsHandler = defineHandler({
  apiKey: ApiKey.ListOffsets,
  versions: listOffsetsVersions,
  decodeRequest: decodeListOffsetsRequest,
  handle: async (request: ListOffsetsRequest, context): Promise<ListOffsetsResponse> => ({
    throttleTimeMs: 0,
    topics: await Promise.all(
      request.topics.map(async (topic) => {
        const allowed = canTopic(context, 'Describe', topic.name)
        return {
          name: topic.name,
          partitions: await Promise.all(
            topic.partitions.map((p) =>
              allowed
                ? lookUp(context.broker, topic.name, p.partitionIndex, p.timestamp, context.header.apiVersion)
                : {
                    partitionIndex: p.partitionIndex,
                    errorCode: KafkaError.TOPIC_AUTHORIZATION_FAILED,
                    timestamp: -1,
                    offset: -1,
                    leaderEpoch: -1,
                  },
            ),
          ),
        }
      }),
    ),
  }),
  encodeResponse: encodeListOffsetsResponse,
})

async function lookUp(
  broker: Broker,
  topic: string,
  partition: number,
  timestamp: number,
  version: number,
): Promise<ListOffsetsPartitionResponse> {
  const answer = (offset: number, found: number, errorCode: number = KafkaError.NONE) =>
    // As Kafka: the leader epoch only with an offset found, else -1 (unknown).
    ({
      partitionIndex: partition,
      errorCode,
      timestamp: found,
      offset,
      leaderEpoch: errorCode === KafkaError.NONE && offset !== -1 ? LEADER_EPOCH : -1,
    })
  try {
    if (timestamp === LATEST_TIMESTAMP) return answer(await broker.log.listOffset(topic, partition, 'latest'), -1)
    if (timestamp === EARLIEST_TIMESTAMP || (timestamp === EARLIEST_LOCAL_TIMESTAMP && version >= 8))
      return answer(await broker.log.listOffset(topic, partition, 'earliest'), -1)
    if (timestamp === MAX_TIMESTAMP && version >= 7) {
      const latest = await latestRecord(broker, topic, partition)
      return latest ? answer(latest.offset, latest.timestamp) : answer(-1, -1)
    }
    const offset = await broker.log.listOffset(topic, partition, { timestamp })
    const read = await broker.log.read(topic, partition, offset, { maxBytes: 1 })
    const record = read.records.find((r) => r.offset === offset)
    return record ? answer(offset, record.timestamp) : answer(-1, -1)
  } catch (error) {
    return answer(-1, -1, kafkaErrorCodeOf(error))
  }
}

/** The record with the largest timestamp (the first of equals), read batch by batch from the log start. */
async function latestRecord(broker: Broker, topic: string, partition: number): Promise<{ offset: number; timestamp: number } | undefined> {
  let best: { offset: number; timestamp: number } | undefined
  let offset = await broker.log.listOffset(topic, partition, 'earliest')
  for (;;) {
    const read = await broker.log.read(topic, partition, offset)
    for (const r of read.records) if (!best || r.timestamp > best.timestamp) best = { offset: r.offset, timestamp: r.timestamp }
    if (read.records.length === 0 || read.nextOffset >= read.highWatermark) return best
    offset = read.nextOffset
  }
}
