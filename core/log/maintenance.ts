/**
 * One maintenance pass over topics: retention (delete policy) deletes old segments and compaction
 * (compact policy) rewrites closed ones, partition by partition. The embedded log runs it in its
 * admin queue, so no topic is deleted under it, every maintenance interval or when asked.
 */
import type { Clock } from '../clock.ts'
import { compactPartition, type CompactionResult } from './compaction.ts'
import { enforceRetention } from './retention.ts'
import type { Topic } from './topic.ts'
import { isCompacted, isDeleteRetained } from './topic-config.ts'

export interface MaintenanceReport {
  readonly deletedSegments: number
  readonly deletedBytes: number
  readonly compacted: ReadonlyArray<{ readonly topic: string; readonly partition: number } & CompactionResult>
}

export async function maintainTopics(topics: Iterable<Topic>, clock: Clock, compactionMapBytes: number): Promise<MaintenanceReport> {
  let deletedSegments = 0
  let deletedBytes = 0
  const compacted: Array<{ topic: string; partition: number } & CompactionResult> = []
  for (const topic of topics) {
    for (const partition of topic.partitions) {
      if (isDeleteRetained(topic.config)) {
        const result = await enforceRetention(partition, topic.config, clock.now())
        deletedSegments += result.deletedSegments
        deletedBytes += result.deletedBytes
      }
      if (isCompacted(topic.config)) {
        const result = await compactPartition(partition, topic.config, clock.now(), compactionMapBytes)
        if (result) compacted.push({ topic: topic.name, partition: partition.partition, ...result })
      }
    }
  }
  return { deletedSegments, deletedBytes, compacted }
}
