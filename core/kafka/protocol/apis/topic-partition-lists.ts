/**
 * The per-topic lists many APIs carry, written once: a topic's name and its partitions, each
 * partition in the API's own shape.
 *
 * topics => name [partitions] TAG_BUFFER(flexible)
 * Two partition shapes recur as they are:
 *   partition errors (OffsetCommit, TxnOffsetCommit, AddPartitionsToTxn answers) => partition_index:int32
 *     error_code:int16 TAG_BUFFER(flexible)
 *   partition indexes (AddPartitionsToTxn requests, DescribeTransactions answers) => int32, no tags
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export interface TopicOf<P> {
  readonly name: string
  readonly partitions: readonly P[]
}

export interface PartitionError {
  readonly partitionIndex: number
  readonly errorCode: number
}

export type TopicPartitionErrors = TopicOf<PartitionError>
export type TopicPartitions = TopicOf<number>

/** Topics whose partitions `readPartition` reads (tagged fields included, for a struct). */
export function readTopics<P>(r: KafkaReader, readPartition: (p: KafkaReader) => P): Array<TopicOf<P>> {
  return r.array((t) => {
    const topic = { name: t.string(), partitions: t.array(readPartition) }
    t.taggedFields()
    return topic
  })
}

export function writeTopics<P>(
  w: KafkaWriter,
  topics: ReadonlyArray<TopicOf<P>>,
  writePartition: (p: KafkaWriter, partition: P) => void,
): KafkaWriter {
  return w.array(topics, (t, topic) => {
    t.string(topic.name)
    t.array(topic.partitions, writePartition)
    t.taggedFields()
  })
}

export function writeTopicPartitionErrors(w: KafkaWriter, topics: readonly TopicPartitionErrors[]): KafkaWriter {
  return writeTopics(w, topics, (p, partition) => p.int32(partition.partitionIndex).int16(partition.errorCode).taggedFields())
}

export function readTopicPartitionErrors(r: KafkaReader): TopicPartitionErrors[] {
  return readTopics(r, (p): PartitionError => {
    const partition = { partitionIndex: p.int32(), errorCode: p.int16() }
    p.taggedFields()
    return partition
  })
}

export function writeTopicPartitions(w: KafkaWriter, topics: readonly TopicPartitions[]): KafkaWriter {
  return writeTopics(w, topics, (p, partition) => p.int32(partition))
}

export function readTopicPartitions(r: KafkaReader): TopicPartitions[] {
  return readTopics(r, (p) => p.int32())
}
