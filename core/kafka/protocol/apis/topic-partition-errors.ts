/**
 * The answer several APIs give per partition: topics, each with its partitions' error codes.
 *
 * topics => name [partitions] TAG_BUFFER(flexible)
 *   partitions => partition_index:int32 error_code:int16 TAG_BUFFER(flexible)
 * OffsetCommit, TxnOffsetCommit and AddPartitionsToTxn answer in this shape, so it is written once.
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
