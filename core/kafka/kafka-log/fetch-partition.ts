/**
 * A Fetch from a partition's leader, answered as the Log seam's read: records at or after the
 * requested offset (a batch starts where it starts, so the first one may hold earlier records),
 * without control records, and the offset to read from next. A Kafka broker answers a Fetch from
 * one log segment only, and rolls a segment whenever a record's timestamp is segment.ms past the
 * segment's first (an append stamped long ago, then one stamped now), so an answer that stops short
 * of the high watermark with bytes to spare is followed at once by another, as EmbeddedLog's read
 * would have answered it whole.
 */
import { abortError } from '../../clock.ts'
import type { ReadResult, RecordHeader, StoredRecord } from '../../log/log.ts'
import { fromKafkaError } from './kafka-error.ts'
import type { KafkajsBroker, KafkajsFetchPartition, KafkajsMessage } from './kafkajs-broker.ts'

/** Kafka's READ_UNCOMMITTED: up to the high watermark, as the embedded log reads. */
const READ_UNCOMMITTED = 0

export interface FetchPartitionRequest {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly maxBytes: number
  readonly maxWaitMs: number
  readonly signal?: AbortSignal | undefined
  /** Called when the signal fires: the broker's connection must be given up. */
  readonly onAbandon: () => void
}

/** Follow-up Fetches after the first at most; each answers one more segment. */
const MAX_FOLLOW_UPS = 8

export async function fetchPartition(broker: KafkajsBroker, request: FetchPartitionRequest): Promise<ReadResult> {
  const first = await fetchOnce(broker, request)
  let result = first
  let bytes = first.records.reduce((sum, record) => sum + recordBytes(record), 0)
  for (let i = 0; i < MAX_FOLLOW_UPS && result.records.length > 0 && result.nextOffset < result.highWatermark && bytes < request.maxBytes; i++) {
    const more = await fetchOnce(broker, { ...request, offset: result.nextOffset, maxBytes: request.maxBytes - bytes, maxWaitMs: 0 })
    bytes += more.records.reduce((sum, record) => sum + recordBytes(record), 0)
    result = { ...more, records: [...result.records, ...more.records], nextOffset: Math.max(result.nextOffset, more.nextOffset) }
  }
  return result
}

/** About what a record took on the wire, to keep follow-ups within the caller's maxBytes. */
function recordBytes(record: StoredRecord): number {
  return (record.key?.length ?? 0) + (record.value?.length ?? 0) + record.headers.reduce((sum, h) => sum + h.key.length + (h.value?.length ?? 0), 0)
}

async function fetchOnce(broker: KafkajsBroker, request: FetchPartitionRequest): Promise<ReadResult> {
  const { topic, partition, offset, signal } = request
  if (signal?.aborted) throw abortError(signal)
  const fetching = broker.fetch({
    replicaId: -1,
    isolationLevel: READ_UNCOMMITTED,
    maxWaitTime: request.maxWaitMs,
    minBytes: 1,
    maxBytes: request.maxBytes,
    topics: [{ topic, partitions: [{ partition, fetchOffset: String(offset), maxBytes: request.maxBytes }] }],
  })
  let onAbort: (() => void) | undefined
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      request.onAbandon()
      reject(abortError(signal))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
  try {
    const response = await Promise.race([fetching, aborted])
    const answer = response.responses.find((r) => r.topicName === topic)?.partitions.find((p) => p.partition === partition)
    if (!answer) throw new Error(`the broker's Fetch answer has no ${topic}-${partition}`)
    return toReadResult(topic, answer, offset)
  } catch (error) {
    throw fromKafkaError(error, `reading ${topic}-${partition} at offset ${offset}`, { topic, partition, offset })
  } finally {
    fetching.catch(() => undefined)
    if (onAbort) signal?.removeEventListener('abort', onAbort)
  }
}

function toReadResult(topic: string, answer: KafkajsFetchPartition, offset: number): ReadResult {
  const records: StoredRecord[] = []
  let nextOffset = offset
  for (const message of answer.messages) {
    const recordOffset = Number(message.offset)
    const context = message.batchContext
    // A batch's last offset can lie past its last record (compaction keeps batch bounds).
    const batchEnd = context ? Number(context.firstOffset) + context.lastOffsetDelta + 1 : recordOffset + 1
    nextOffset = Math.max(nextOffset, batchEnd, recordOffset + 1)
    if (recordOffset < offset || message.isControlRecord) continue
    records.push({
      topic,
      partition: answer.partition,
      offset: recordOffset,
      timestamp: Number(message.timestamp),
      key: message.key,
      value: message.value,
      headers: toHeaders(message.headers),
    })
  }
  const highWatermark = Number(answer.highWatermark)
  const logStartOffset = answer.lastStartOffset === undefined ? -1 : Number(answer.lastStartOffset)
  const lastStableOffset = answer.lastStableOffset === undefined ? highWatermark : Number(answer.lastStableOffset)
  return { records, nextOffset, highWatermark, lastStableOffset, logStartOffset }
}

/** kafkajs folds headers into an object (repeated keys as arrays); the seam keeps a list. */
function toHeaders(headers: KafkajsMessage['headers']): RecordHeader[] {
  const list: RecordHeader[] = []
  for (const [key, value] of Object.entries(headers)) {
    for (const one of Array.isArray(value) ? value : [value]) list.push({ key, value: (one as Buffer | null) ?? null })
  }
  return list
}
