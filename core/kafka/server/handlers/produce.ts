/**
 * Produce: each partition's batches are checked (framing, CRC-32C, a codec Kafka defines, a
 * compressed batch's records decompressing and decoding, an idempotent producer's sequence) and
 * appended as the client encoded them, never recompressed; the log assigns the offsets. The answer
 * waits until the batches are durable per the topic's durability mode, so acks=1 and acks=all mean
 * the same here: one node holds every replica. acks=0 gets no answer at all.
 * A connection's produce requests are queued in order without waiting for each other's fsync.
 * Transactional batches need the request's transactional id, Write on it, and a partition the
 * transaction coordinator has in the producer's open transaction under its current epoch; a client
 * may never send a control batch (only the coordinator writes markers).
 */
import { TributaryError } from '../../../errors.ts'
import type { StoredRecord } from '../../../log/log.ts'
import {
  ATTR_COMPRESSION_MASK,
  BATCH_HEADER_BYTES,
  BATCH_LOG_OVERHEAD,
  BatchField,
  compressionOf,
  decodeBatchRecords,
  isControlBatch,
  isTransactionalBatch,
  readBatchHeader,
  type BatchHeader,
} from '../../../log/record-batch.ts'
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeProduceRequest,
  encodeProduceResponse,
  produceVersions,
  type ProducePartitionResponse,
  type ProduceRequest,
  type ProduceResponse,
} from '../../protocol/apis/produce.ts'
import { KafkaError, kafkaErrorCodeOf } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import type { Broker } from '../broker.ts'
import { canTopic, canTransactionalId } from '../auth/can.ts'

export const produceHandler = defineHandler({
  apiKey: ApiKey.Produce,
  versions: produceVersions,
  decodeRequest: decodeProduceRequest,
  // Everything order depends on (checks, sequence numbers, offsets) happens before the first await,
  // so the connection may queue its next produce while this one waits for the disk: they share an fsync.
  pipelined: true,
  handle: async (request: ProduceRequest, context): Promise<ProduceResponse | undefined> => {
    const { broker } = context
    const refusal = refuse(request)
    // A transactional id the principal may not write is no transactional id at all: its batches are refused.
    const transactionalId =
      request.transactionalId !== null && canTransactionalId(context, 'Write', request.transactionalId) ? request.transactionalId : null
    const queued = request.topics.map((topic) => {
      const problem = refusal ?? (canTopic(context, 'Write', topic.name) ? undefined : notAuthorized(topic.name))
      return {
        name: topic.name,
        partitions: topic.partitions.map((p) =>
          problem ? Promise.resolve(failed(p.index, problem)) : queuePartition(broker, transactionalId, topic.name, p.index, p.records),
        ),
      }
    })
    const topics = await Promise.all(queued.map(async ({ name, partitions }) => ({ name, partitions: await Promise.all(partitions) })))
    return request.acks === 0 ? undefined : { topics, throttleTimeMs: 0 }
  },
  encodeResponse: encodeProduceResponse,
})

function refuse(request: ProduceRequest): { code: number; message: string } | undefined {
  if (request.acks !== 0 && request.acks !== 1 && request.acks !== -1) {
    return { code: KafkaError.INVALID_REQUIRED_ACKS, message: `acks must be 0, 1 or -1, not ${request.acks}` }
  }
  return undefined
}

function notAuthorized(topic: string): { code: number; message: string } {
  return { code: KafkaError.TOPIC_AUTHORIZATION_FAILED, message: `not authorized to write to topic ${topic}` }
}

/** Checks and queues the partition's batch now; the answer settles once the batch is durable. */
function queuePartition(
  broker: Broker,
  transactionalId: string | null,
  topic: string,
  partition: number,
  records: Buffer | null,
): Promise<ProducePartitionResponse> {
  let appended: Promise<number>
  try {
    if (!broker.log.hasTopic(topic)) throw new TributaryError('TRB_TOPIC_NOT_FOUND', `topic ${topic} does not exist`)
    appended = queueBatch(broker, transactionalId, topic, partition, onlyBatch(records, topic, partition))
  } catch (error) {
    return Promise.resolve(failed(partition, problemOf(error)))
  }
  return answer(broker, topic, partition, appended)
}

async function answer(broker: Broker, topic: string, partition: number, appended: Promise<number>): Promise<ProducePartitionResponse> {
  try {
    const baseOffset = await appended
    return {
      index: partition,
      errorCode: KafkaError.NONE,
      baseOffset,
      logAppendTimeMs: -1,
      logStartOffset: await broker.log.listOffset(topic, partition, 'earliest'),
      recordErrors: [],
      errorMessage: null,
    }
  } catch (error) {
    return failed(partition, problemOf(error))
  }
}

/** Synchronous up to the log's queue: a refused batch throws, an accepted one has its offsets. */
function queueBatch(broker: Broker, transactionalId: string | null, topic: string, partition: number, batch: Buffer): Promise<number> {
  const header = readBatchHeader(batch, 0)
  checkCompression(batch, topic, partition, header.attributes)
  checkTransaction(broker, transactionalId, topic, partition, header)
  const sequenced = {
    producerId: header.producerId,
    producerEpoch: header.producerEpoch,
    baseSequence: header.baseSequence,
    recordCount: header.recordCount,
  }
  const check = broker.producers.check(topic, partition, sequenced)
  if (check.kind === 'duplicate') return check.baseOffset
  const appended = broker.log.queueBatch(topic, partition, batch)
  broker.producers.record(topic, partition, sequenced, appended)
  return appended
}

/** A control batch is refused; a transactional one must belong to the producer's open transaction. */
function checkTransaction(broker: Broker, transactionalId: string | null, topic: string, partition: number, header: BatchHeader): void {
  if (isControlBatch(header.attributes)) {
    throw new TributaryError('TRB_LOG_INVALID_BATCH', `refused records for ${topic}-${partition}: clients may not write control batches`, {
      details: { kafkaErrorCode: KafkaError.INVALID_RECORD },
    })
  }
  if (!isTransactionalBatch(header.attributes)) return
  if (transactionalId === null) {
    throw new TributaryError(
      'TRB_TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
      `refused transactional records for ${topic}-${partition}: the request names no transactional id this principal may write`,
    )
  }
  const coordinator = broker.log.openedTransactions
  if (!coordinator)
    throw new TributaryError(
      'TRB_TXN_INVALID_STATE',
      `refused transactional records for ${topic}-${partition}: transactional id ${transactionalId} has no transaction`,
    )
  coordinator.checkWrite(transactionalId, { producerId: header.producerId, producerEpoch: header.producerEpoch }, topic, partition)
}

/**
 * An id Kafka does not define is UNSUPPORTED_COMPRESSION_TYPE. A compressed batch is decompressed and
 * its records decoded once here, as Kafka's broker validates it, so that a batch every reader would
 * fail on is refused as CORRUPT_MESSAGE instead of stored; uncompressed batches skip this. One that
 * would decompress past MAX_DECOMPRESSED_RECORDS_BYTES is MESSAGE_TOO_LARGE, refused before inflating
 * (gzip: stopped at the limit).
 */
function checkCompression(batch: Buffer, topic: string, partition: number, attributes: number): void {
  const compression = compressionOf(attributes)
  if (compression === undefined) {
    throw new TributaryError(
      'TRB_PROTOCOL_UNSUPPORTED',
      `compression id ${attributes & ATTR_COMPRESSION_MASK} is not one Kafka defines; use none, gzip, snappy, lz4 or zstd`,
      {
        details: { kafkaErrorCode: KafkaError.UNSUPPORTED_COMPRESSION_TYPE },
      },
    )
  }
  if (compression === 'none') return
  try {
    const scratch: StoredRecord[] = []
    decodeBatchRecords(batch, topic, partition, 0, scratch)
  } catch (error) {
    if (error instanceof TributaryError && error.code === 'TRB_LOG_RECORD_TOO_LARGE') throw error
    throw corrupt(topic, partition, error instanceof Error ? error.message : String(error))
  }
}

/** Produce v3 and later carry exactly one record batch per partition (Kafka refuses more). */
function onlyBatch(records: Buffer | null, topic: string, partition: number): Buffer {
  const [batch, ...more] = splitBatches(records, topic, partition)
  if (batch === undefined || more.length > 0) {
    throw new TributaryError(
      'TRB_LOG_INVALID_BATCH',
      `refused records for ${topic}-${partition}: a produce request carries exactly one record batch per partition`,
      {
        details: { kafkaErrorCode: KafkaError.INVALID_RECORD },
      },
    )
  }
  return batch
}

function problemOf(error: unknown): { code: number; message: string } {
  return { code: kafkaErrorCodeOf(error), message: error instanceof Error ? error.message : String(error) }
}

/** The batches of a partition's records field; the log checks each one's CRC as it appends it. */
function splitBatches(records: Buffer | null, topic: string, partition: number): Buffer[] {
  if (records === null || records.length === 0) throw corrupt(topic, partition, 'no record batch')
  const batches: Buffer[] = []
  let pos = 0
  while (pos < records.length) {
    if (records.length - pos < BATCH_LOG_OVERHEAD + BatchField.magic + 1) throw corrupt(topic, partition, 'truncated batch header')
    const magic = records.readInt8(pos + BatchField.magic)
    if (magic !== 2) throw corrupt(topic, partition, `message format v${magic}; only RecordBatch v2 is stored`)
    const size = records.readInt32BE(pos + BatchField.batchLength) + BATCH_LOG_OVERHEAD
    if (size < BATCH_HEADER_BYTES || pos + size > records.length) throw corrupt(topic, partition, 'truncated batch')
    batches.push(records.subarray(pos, pos + size))
    pos += size
  }
  return batches
}

function corrupt(topic: string, partition: number, problem: string): TributaryError {
  return new TributaryError('TRB_LOG_INVALID_BATCH', `refused records for ${topic}-${partition}: ${problem}`, {
    details: { kafkaErrorCode: KafkaError.CORRUPT_MESSAGE },
  })
}

function failed(partition: number, error: { code: number; message: string }): ProducePartitionResponse {
  return {
    index: partition,
    errorCode: error.code,
    baseOffset: -1,
    logAppendTimeMs: -1,
    logStartOffset: -1,
    recordErrors: [],
    errorMessage: error.message,
  }
}
