/**
 * DescribeLogDirs (key 35), versions 0-4; flexible from 2. The Java Admin client's describeLogDirs
 * and describeReplicaLogDirs: where each partition's log lives and how large it is.
 *
 * DescribeLogDirs Request (Version: 0-4) => [topics] TAG_BUFFER(2+)       (topics null: every topic)
 *   topics => topic [partitions] TAG_BUFFER(2+)
 * DescribeLogDirs Response (Version: 0-4) => throttle_time_ms error_code(3+) [results] TAG_BUFFER(2+)
 *   results => error_code log_dir [topics] total_bytes(4+) usable_bytes(4+) TAG_BUFFER(2+)
 *     topics => name [partitions] TAG_BUFFER(2+)
 *       partitions => partition_index partition_size offset_lag is_future_key TAG_BUFFER(2+)
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const describeLogDirsVersions = { min: 0, max: 4, flexibleFrom: 2 } as const

export interface DescribeLogDirsRequest {
  /** null: every topic. */
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly number[] }> | null
}

export interface LogDirPartition {
  readonly partitionIndex: number
  readonly partitionSize: number
  readonly offsetLag: number
  readonly isFutureKey: boolean
}

export interface LogDirResult {
  readonly errorCode: number
  readonly logDir: string
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: readonly LogDirPartition[] }>
  readonly totalBytes: number
  readonly usableBytes: number
}

export interface DescribeLogDirsResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
  readonly results: readonly LogDirResult[]
}

export function decodeDescribeLogDirsRequest(r: KafkaReader): DescribeLogDirsRequest {
  const topics = r.nullableArray((t) => {
    const topic = { topic: t.string(), partitions: t.array((p) => p.int32()) }
    t.taggedFields()
    return topic
  })
  r.taggedFields()
  return { topics }
}

export function encodeDescribeLogDirsRequest(w: KafkaWriter, _v: number, request: DescribeLogDirsRequest): void {
  w.nullableArray(request.topics, (t, topic) => {
    t.string(topic.topic).array(topic.partitions, (p, partition) => p.int32(partition))
    t.taggedFields()
  })
  w.taggedFields()
}

export function encodeDescribeLogDirsResponse(w: KafkaWriter, v: number, response: DescribeLogDirsResponse): void {
  w.int32(response.throttleTimeMs)
  if (v >= 3) w.int16(response.errorCode)
  w.array(response.results, (d, result) => {
    d.int16(result.errorCode).string(result.logDir)
    d.array(result.topics, (t, topic) => {
      t.string(topic.name)
      t.array(topic.partitions, (p, partition) => {
        p.int32(partition.partitionIndex).int64(partition.partitionSize).int64(partition.offsetLag).bool(partition.isFutureKey)
        p.taggedFields()
      })
      t.taggedFields()
    })
    if (v >= 4) d.int64(result.totalBytes).int64(result.usableBytes)
    d.taggedFields()
  })
  w.taggedFields()
}

export function decodeDescribeLogDirsResponse(r: KafkaReader, v: number): DescribeLogDirsResponse {
  const throttleTimeMs = r.int32()
  const errorCode = v >= 3 ? r.int16() : 0
  const results = r.array((d) => {
    const errorCode = d.int16()
    const logDir = d.string()
    const topics = d.array((t) => {
      const name = t.string()
      const partitions = t.array((p) => {
        const partition = { partitionIndex: p.int32(), partitionSize: p.int64(), offsetLag: p.int64(), isFutureKey: p.bool() }
        p.taggedFields()
        return partition
      })
      t.taggedFields()
      return { name, partitions }
    })
    const totalBytes = v >= 4 ? d.int64() : -1
    const usableBytes = v >= 4 ? d.int64() : -1
    d.taggedFields()
    return { errorCode, logDir, topics, totalBytes, usableBytes }
  })
  r.taggedFields()
  return { throttleTimeMs, errorCode, results }
}
