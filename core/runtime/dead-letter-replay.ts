/**
 * Sends dead-lettered records back to the topic they came from (`__connect.errors.topic`), without
 * the error headers, once the cause is fixed. Progress is the committed offset of the group
 * `tributary-dlq-replay-<topic>`, so a second replay sends only what arrived since the first.
 */
import { isTributaryError } from '../errors.ts'
import { isInternalTopic } from '../log/internal-topics.ts'
import type { Log, LogRecord, StoredRecord } from '../log/log.ts'
import { ERROR_HEADER_PREFIX } from './dead-letter.ts'

export interface ReplayReport {
  readonly replayed: number
  /** Records with no origin topic header (dead-lettered without context headers), or one naming an internal topic; left in place. */
  readonly skipped: number
  readonly byTopic: Record<string, number>
  /** Dead-lettered records not yet replayed (when `maxRecords` stopped the pass early). */
  readonly remaining: number
}

export function replayGroupId(deadLetterTopic: string): string {
  return `tributary-dlq-replay-${deadLetterTopic}`
}

/** Replays up to about `maxRecords` (whole read batches) per call; call again while `remaining` > 0. */
export async function replayDeadLetters(log: Log, deadLetterTopic: string, maxRecords = Number.POSITIVE_INFINITY): Promise<ReplayReport> {
  const { partitions } = await log.describeTopic(deadLetterTopic)
  const groupId = replayGroupId(deadLetterTopic)
  const committed = await committedOffsets(log, groupId)
  const total = partitions.reduce(
    (sum, p) => sum + Math.max(0, p.highWatermark - Math.max(p.logStartOffset, committed.get(p.partition) ?? 0)),
    0,
  )
  const byTopic: Record<string, number> = {}
  let replayed = 0
  let skipped = 0
  for (const { partition, logStartOffset, highWatermark } of partitions) {
    let offset = Math.max(logStartOffset, committed.get(partition) ?? 0)
    while (offset < highWatermark && replayed + skipped < maxRecords) {
      const read = await log.read(deadLetterTopic, partition, offset, { maxBytes: 1024 * 1024 })
      const records = read.records.filter((record) => record.offset < highWatermark).slice(0, Math.max(0, maxRecords - replayed - skipped))
      const grouped = new Map<string, LogRecord[]>()
      for (const record of records) {
        const origin = originTopic(record)
        // A header naming an internal topic is no origin a record may be replayed to.
        if (origin === undefined || isInternalTopic(origin)) {
          skipped++
          continue
        }
        grouped.set(origin, [...(grouped.get(origin) ?? []), stripErrorHeaders(record)])
      }
      for (const [topic, batch] of grouped) {
        await log.append(topic, batch)
        byTopic[topic] = (byTopic[topic] ?? 0) + batch.length
        replayed += batch.length
      }
      if (read.nextOffset <= offset) break
      offset = records.length > 0 ? (records.at(-1) as StoredRecord).offset + 1 : Math.min(read.nextOffset, highWatermark)
      await log.alterGroupOffsets(groupId, [{ topic: deadLetterTopic, partition, offset }])
    }
  }
  return { replayed, skipped, byTopic, remaining: Math.max(0, total - replayed - skipped) }
}

async function committedOffsets(log: Log, groupId: string): Promise<Map<number, number>> {
  try {
    const group = await log.describeGroup(groupId)
    return new Map(group.offsets.map((o) => [o.partition, o.offset]))
  } catch (error) {
    if (isTributaryError(error, 'TRB_GROUP_NOT_FOUND')) return new Map()
    throw error
  }
}

function originTopic(record: StoredRecord): string | undefined {
  const header = record.headers.findLast((h) => h.key === `${ERROR_HEADER_PREFIX}topic`)
  return header?.value?.toString('utf8')
}

function stripErrorHeaders(record: StoredRecord): LogRecord {
  return {
    key: record.key,
    value: record.value,
    timestamp: record.timestamp,
    headers: record.headers.filter((h) => !h.key.startsWith(ERROR_HEADER_PREFIX)),
  }
}
