/**
 * A Fetch from a partition's leader, answered as the Log seam's read: records at or after the
 * requested offset (a batch starts where it starts, so the first one may hold earlier records),
 * without control records, and the offset to read from next. A Kafka broker answers a Fetch from
 * one log segment only, and rolls a segment whenever a record's timestamp is segment.ms past the
 * segment's first (an append stamped long ago, then one stamped now), so an answer that stops short
 * of the high watermark with bytes to spare is followed at once by another, as EmbeddedLog's read
 * would have answered it whole. read_committed fetches stop at the last stable offset and leave out
 * the records of the aborted transactions the broker names, as Kafka's consumer does.
 */
import { abortError } from '../../clock.ts'
import { ReadCommittedFilter } from '../../log/committed-records.ts'
import type { IsolationLevel, ReadResult, RecordHeader, StoredRecord } from '../../log/log.ts'
import { fromKafkaError } from './kafka-error.ts'
import type { KafkajsBroker, KafkajsFetchPartition, KafkajsMessage } from './kafkajs-broker.ts'

/** Kafka's isolation_level values. */
const READ_UNCOMMITTED = 0
const READ_COMMITTED = 1

export interface FetchPartitionRequest {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly maxBytes: number
  readonly maxWaitMs: number
  readonly signal?: AbortSignal | undefined
  readonly isolation?: IsolationLevel | undefined
  /** Called when the signal fires: the broker's connection must be given up. */
  readonly onAbandon: () => void
}

/** Follow-up Fetches after the first at most; each answers one more segment. */
const MAX_FOLLOW_UPS = 8

export async function fetchPartition(broker: KafkajsBroker, request: FetchPartitionRequest): Promise<ReadResult> {
  const first = await fetchOnce(broker, request)
  let result = first
  let bytes = first.records.reduce((sum, record) => sum + recordBytes(record), 0)
  const end = (read: ReadResult): number => (request.isolation === 'read_committed' ? read.lastStableOffset : read.highWatermark)
  for (let i = 0; i < MAX_FOLLOW_UPS && result.records.length > 0 && result.nextOffset < end(result) && bytes < request.maxBytes; i++) {
    const more = await fetchOnce(broker, { ...request, offset: result.nextOffset, maxBytes: request.maxBytes - bytes, maxWaitMs: 0 })
    bytes += more.records.reduce((sum, record) => sum + recordBytes(record), 0)
    result = { ...more, records: [...result.records, ...more.records], nextOffset: Math.max(result.nextOffset, more.nextOffset) }
  }
  return result
}

/** About what a record took on the wire, to keep follow-ups within the caller's maxBytes. */
function recordBytes(record: StoredRecord): number {
  return (
    (record.key?.length ?? 0) +
    (record.value?.length ?? 0) +
    record.headers.reduce((sum, h) => sum + h.key.length + (h.value?.length ?? 0), 0)
  )
}

async function fetchOnce(broker: KafkajsBroker, request: FetchPartitionRequest): Promise<ReadResult> {
  const { topic, partition, offset, signal } = request
  if (signal?.aborted) throw abortError(signal)
  const fetching = broker.fetch({
    replicaId: -1,
    isolationLevel: request.isolation === 'read_committed' ? READ_COMMITTED : READ_UNCOMMITTED,
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
    return toReadResult(topic, answer, offset, request.isolation === 'read_committed')
  } catch (error) {
    throw fromKafkaError(error, `reading ${topic}-${partition} at offset ${offset}`, { topic, partition, offset })
  } finally {
    fetching.catch(() => undefined) // an abandoned fetch may still fail: its answer is no longer wanted
    if (onAbort) signal?.removeEventListener('abort', onAbort)
  }
}

function toReadResult(topic: string, answer: KafkajsFetchPartition, offset: number, committed: boolean): ReadResult {
  const records: StoredRecord[] = []
  let nextOffset = offset
  const skipped = committed ? abortedOrMarkers(answer) : undefined
  for (const message of answer.messages) {
    const recordOffset = Number(message.offset)
    const context = message.batchContext
    // A batch's last offset can lie past its last record (compaction keeps batch bounds).
    const batchEnd = context ? Number(context.firstOffset) + context.lastOffsetDelta + 1 : recordOffset + 1
    nextOffset = Math.max(nextOffset, batchEnd, recordOffset + 1)
    // Every message goes past the filter, markers included: an ABORT marker ends its producer's skip.
    const aborted = skipped?.(message) ?? false
    if (recordOffset < offset || message.isControlRecord || aborted) continue
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

/** The read_committed verdict on each message, asked in offset order; one verdict per batch. */
function abortedOrMarkers(answer: KafkajsFetchPartition): (message: KafkajsMessage) => boolean {
  const filter = new ReadCommittedFilter(
    (answer.abortedTransactions ?? []).map((t) => ({ producerId: Number(t.producerId), firstOffset: Number(t.firstOffset) })),
  )
  let batch: KafkajsMessage['batchContext']
  let verdict = false
  return (message) => {
    const context = message.batchContext
    if (!context) return false
    if (context === batch) return verdict
    batch = context
    verdict = filter.skips({
      producerId: Number(context.producerId ?? -1),
      lastOffset: Number(context.firstOffset) + context.lastOffsetDelta,
      transactional: context.inTransaction === true,
      control: message.isControlRecord,
      abortMarker: message.isControlRecord && message.key !== null && message.key.length >= 4 && message.key.readInt16BE(2) === 0,
    })
    return verdict
  }
}

/** kafkajs folds headers into an object (repeated keys as arrays); the seam keeps a list. */
function toHeaders(headers: KafkajsMessage['headers']): RecordHeader[] {
  const list: RecordHeader[] = []
  for (const [key, value] of Object.entries(headers)) {
    for (const one of Array.isArray(value) ? value : [value]) list.push({ key, value: (one as Buffer | null) ?? null })
  }
  return list
}
