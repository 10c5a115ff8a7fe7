/**
 * Two per-topic lists several APIs share, written once.
 *
 * Partition errors (OffsetCommit, TxnOffsetCommit and AddPartitionsToTxn answers):
 *   topics => name [partitions] TAG_BUFFER(flexible)
 *     partitions => partition_index:int32 error_code:int16 TAG_BUFFER(flexible)
 * Partition indexes (AddPartitionsToTxn requests, DescribeTransactions answers):
 *   topics => name [partitions:int32] TAG_BUFFER(flexible)
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export interface PartitionError {
  readonly partitionIndex: number
  readonly errorCode: number
}

export interface TopicPartitionErrors {
  readonly name: string
  readonly partitions: readonly PartitionError[]
}

export interface TopicPartitions {
  readonly name: string
  readonly partitions: readonly number[]
}

export function writeTopicPartitionErrors(w: KafkaWriter, topics: readonly TopicPartitionErrors[]): void {
  w.array(topics, (t, topic) => {
    t.string(topic.name)
    t.array(topic.partitions, (p, partition) => p.int32(partition.partitionIndex).int16(partition.errorCode).taggedFields())
    t.taggedFields()
  })
}

export function readTopicPartitionErrors(r: KafkaReader): TopicPartitionErrors[] {
  return r.array((t) => {
    const name = t.string()
    const partitions = t.array((p): PartitionError => {
      const partition = { partitionIndex: p.int32(), errorCode: p.int16() }
      p.taggedFields()
      return partition
    })
    t.taggedFields()
    return { name, partitions }
  })
}

export function writeTopicPartitions(w: KafkaWriter, topics: readonly TopicPartitions[]): KafkaWriter {
  return w.array(topics, (t, topic) => {
    t.string(topic.name)
    t.array(topic.partitions, (p, partition) => p.int32(partition))
    t.taggedFields()
  })
}

export function readTopicPartitions(r: KafkaReader): TopicPartitions[] {
  return r.array((t) => {
    const topic = { name: t.string(), partitions: t.array((p) => p.int32()) }
    t.taggedFields()
    return topic
  })
}
