/**
 * Fetch: stored batches are sent as they are, with no decoding or copying. A batch that starts before
 * the fetch offset is sent whole and the client skips the records it already has, as Kafka does.
 * Limits follow KIP-74: partition_max_bytes and max_bytes are soft, so the first batch of the first
 * partition with data goes out even when it is larger, and a consumer never stalls on a big batch.
 * With less than min_bytes ready the request waits, up to max_wait_ms, for appends to any of its
 * partitions; the wait ends early when the connection closes. From v13 topics come by id: an id no
 * topic has is answered UNKNOWN_TOPIC_ID for each of its partitions. isolation_level 1
 * (READ_COMMITTED) reads stop at the last stable offset and name the aborted transactions they
 * overlap; every answer carries the real LSO, as Kafka's does. The batches are read into buffers
 * lent by the listener's pool (read-buffers.ts), which takes them back once the connection has sent
 * the response.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeFetchRequest,
  encodeFetchResponse,
  fetchVersions,
  type FetchPartitionResponse,
  type FetchRequest,
  type FetchResponse,
} from '../../protocol/apis/fetch.ts'
import { KafkaError, kafkaErrorCodeOf } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import type { Broker } from '../broker.ts'
import type { IsolationLevel } from '../../../log/log.ts'
import { topicById } from '../topic-by-id.ts'
import { canTopic } from '../auth/can.ts'
import { ReadBuffers, type ReadLease } from '../read-buffers.ts'

const readBuffers = new ReadBuffers()

interface PartitionFetch {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly maxBytes: number
  readonly isolation?: IsolationLevel
}

const READ_COMMITTED = 1

export const fetchHandler = defineHandler({
  apiKey: ApiKey.Fetch,
  versions: fetchVersions,
  decodeRequest: decodeFetchRequest,
  handle: async (request: FetchRequest, context): Promise<FetchResponse> => {
    const { broker, signal, header } = context
    const byId = header.apiVersion >= 13
    const topics = await Promise.all(
      request.topics.map(async (t) => ({ ...t, topic: byId ? (await topicById(broker, t.topicId))?.name : t.topic })),
    )
    const denied = new Set(topics.flatMap((t) => (t.topic !== undefined && !canTopic(context, 'Read', t.topic) ? [t.topic] : [])))
    const wanted: PartitionFetch[] = topics.flatMap((t) =>
      t.topic === undefined || denied.has(t.topic)
        ? []
        : t.partitions.map((p) => ({
            topic: t.topic!,
            partition: p.partition,
            offset: p.fetchOffset,
            maxBytes: p.partitionMaxBytes,
            ...(request.isolationLevel === READ_COMMITTED && { isolation: 'read_committed' as const }),
          })),
    )
    const deadline = Date.now() + Math.max(0, request.maxWaitMs)
    // Without a connection to say when the response has gone out, nothing is lent.
    const lease = context.onAnswered ? readBuffers.lease() : undefined
    if (lease) context.onAnswered!(() => lease.release())
    let answers = await readAll(broker, wanted, request.maxBytes, lease)
    while (bytesOf(answers) < Math.max(1, request.minBytes) && !signal.aborted) {
      const remaining = deadline - Date.now()
      if (remaining <= 0 || !(await waitForAppend(broker, wanted, answers, remaining, signal))) break
      answers = await readAll(broker, wanted, request.maxBytes, lease)
    }
    const answered = new Map(wanted.map((w, i) => [`${w.topic}\0${w.partition}`, answers[i]!]))
    return {
      throttleTimeMs: 0,
      errorCode: KafkaError.NONE,
      sessionId: 0,
      topics: topics.map((t) => ({
        topic: t.topic ?? '',
        topicId: t.topicId,
        partitions: t.partitions.map((p) =>
          t.topic !== undefined && denied.has(t.topic)
            ? failed(p.partition, KafkaError.TOPIC_AUTHORIZATION_FAILED)
            : ((t.topic === undefined ? undefined : answered.get(`${t.topic}\0${p.partition}`)) ??
              failed(p.partition, KafkaError.UNKNOWN_TOPIC_ID)),
        ),
      })),
    }
  },
  encodeResponse: encodeFetchResponse,
})

async function readAll(
  broker: Broker,
  wanted: readonly PartitionFetch[],
  requestMaxBytes: number,
  lease: ReadLease | undefined,
): Promise<FetchPartitionResponse[]> {
  const answers: FetchPartitionResponse[] = []
  let budget = requestMaxBytes
  for (const w of wanted) {
    // Once something is in the response, the request's max_bytes is a hard limit for the rest.
    const mustSendOne = bytesOf(answers) === 0
    const limit = Math.min(w.maxBytes, mustSendOne ? Math.max(budget, 1) : budget)
    if (!mustSendOne && limit <= 0) {
      answers.push(await emptyAnswer(broker, w))
      continue
    }
    const answer = await readPartition(broker, w, limit, lease)
    const size = sizeOf(answer)
    if (!mustSendOne && size > budget) {
      answers.push({ ...answer, records: [] })
      continue
    }
    budget -= size
    answers.push(answer)
  }
  return answers
}

async function readPartition(broker: Broker, w: PartitionFetch, maxBytes: number, lease?: ReadLease): Promise<FetchPartitionResponse> {
  try {
    const read = await broker.log.readBatches(w.topic, w.partition, w.offset, {
      maxBytes,
      ...(w.isolation && { isolation: w.isolation }),
      ...(lease && { allocate: lease.allocate }),
    })
    return {
      partitionIndex: w.partition,
      errorCode: KafkaError.NONE,
      highWatermark: read.highWatermark,
      lastStableOffset: read.lastStableOffset,
      logStartOffset: read.logStartOffset,
      ...(read.abortedTransactions && { abortedTransactions: read.abortedTransactions }),
      records: read.batches,
    }
  } catch (error) {
    return {
      partitionIndex: w.partition,
      errorCode: kafkaErrorCodeOf(error),
      highWatermark: -1,
      lastStableOffset: -1,
      logStartOffset: -1,
      records: [],
    }
  }
}

function failed(partitionIndex: number, errorCode: number): FetchPartitionResponse {
  return { partitionIndex, errorCode, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, records: [] }
}

async function emptyAnswer(broker: Broker, w: PartitionFetch): Promise<FetchPartitionResponse> {
  const answer = await readPartition(broker, { ...w, maxBytes: 0 }, 0)
  return { ...answer, records: [] }
}

/** Waits until a partition that had nothing gets an append; false when the time ran out first. */
async function waitForAppend(
  broker: Broker,
  wanted: readonly PartitionFetch[],
  answers: readonly FetchPartitionResponse[],
  waitMs: number,
  signal: AbortSignal,
): Promise<boolean> {
  const stop = new AbortController()
  const onClose = (): void => stop.abort()
  signal.addEventListener('abort', onClose, { once: true })
  const idle = wanted.filter(
    (w, i) =>
      answers[i]!.errorCode === KafkaError.NONE && (w.isolation ? answers[i]!.lastStableOffset : answers[i]!.highWatermark) === w.offset,
  )
  if (idle.length === 0) return false
  try {
    const woke = await Promise.race(
      idle.map(async (w) => {
        const read = await broker.log.readBatches(w.topic, w.partition, w.offset, {
          maxBytes: 1,
          maxWaitMs: waitMs,
          signal: stop.signal,
          ...(w.isolation && { isolation: w.isolation }),
        })
        return read.batches.length > 0
      }),
    )
    return woke
  } catch {
    return false
  } finally {
    stop.abort()
    signal.removeEventListener('abort', onClose)
  }
}

function sizeOf(answer: FetchPartitionResponse): number {
  let size = 0
  for (const batch of answer.records) size += batch.length
  return size
}

function bytesOf(answers: readonly FetchPartitionResponse[]): number {
  let size = 0
  for (const answer of answers) size += sizeOf(answer)
  return size
}
