/**
 * Retention for `cleanup.policy: delete`: whole closed segments go once their newest record is older
 * than retention.ms, or while the partition is larger than retention.bytes, oldest first, as Kafka
 * does. An expired active segment is rolled first so it can go too. Segments wholly below the log
 * start offset (moved by DeleteRecords) go whatever their age, as Kafka's log-start-offset breach.
 */
import type { Partition } from './partition.ts'
import type { Segment } from './segment.ts'
import type { TopicConfig } from './topic-config.ts'

export interface RetentionResult {
  readonly deletedSegments: number
  readonly deletedBytes: number
}

export async function enforceRetention(partition: Partition, config: TopicConfig, nowMs: number): Promise<RetentionResult> {
  const retentionMs = config['retention.ms']
  if (
    retentionMs >= 0 &&
    isExpired(partition.activeSegment, nowMs - retentionMs) &&
    partition.closedSegments.every((s) => isExpired(s, nowMs - retentionMs))
  ) {
    await partition.rollIfNotEmpty()
  }
  const closed = partition.closedSegments
  let count = 0
  let bytes = 0
  // Segments DeleteRecords left wholly below the log start offset go first, whatever their age.
  while (count < closed.length && closed[count]!.nextOffset <= partition.logStartOffset) bytes += closed[count++]!.sizeBytes
  if (retentionMs >= 0) {
    while (count < closed.length && isExpired(closed[count]!, nowMs - retentionMs)) bytes += closed[count++]!.sizeBytes
  }
  const retentionBytes = config['retention.bytes']
  if (retentionBytes >= 0) {
    let excess = partition.sizeBytes - bytes - retentionBytes
    while (count < closed.length && excess - closed[count]!.sizeBytes >= 0) {
      excess -= closed[count]!.sizeBytes
      bytes += closed[count++]!.sizeBytes
    }
  }
  const deletedSegments = await partition.deleteOldestSegments(count)
  return { deletedSegments, deletedBytes: deletedSegments === count ? bytes : 0 }
}

function isExpired(segment: Segment, horizonMs: number): boolean {
  return !segment.isEmpty && segment.maxTimestamp >= 0 && segment.maxTimestamp < horizonMs
}
