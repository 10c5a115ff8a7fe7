/**
 * Produce: each partition's batches are checked (framing, CRC-32C, a compression the log can read,
 * an idempotent producer's sequence) and appended as the client encoded them; the log assigns the
 * offsets. The answer waits until the batches are durable per the topic's durability mode, so acks=1
 * and acks=all mean the same here: one node holds every replica. acks=0 gets no answer at all.
 */
import { TributaryError } from '../../../errors.ts'
import { BATCH_HEADER_BYTES, BATCH_LOG_OVERHEAD, BatchField, compressionOf, readBatchHeader } from '../../../log/record-batch.ts'
import { ApiKey } from '../../protocol/api-keys.ts'
import { decodeProduceRequest, encodeProduceResponse, produceVersions, type ProducePartitionResponse, type ProduceRequest, type ProduceResponse } from '../../protocol/apis/produce.ts'
import { KafkaError, kafkaErrorCodeOf } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import type { Broker } from '../broker.ts'

const READABLE_COMPRESSION = new Set(['none', 'gzip'])

export const produceHandler = defineHandler({
  apiKey: ApiKey.Produce,
  versions: produceVersions,
  decodeRequest: decodeProduceRequest,
  handle: async (request: ProduceRequest, { broker }): Promise<ProduceResponse | undefined> => {
    const refusal = refuse(request)
    const topics = await Promise.all(request.topics.map(async (topic) => ({
      name: topic.name,
      partitions: await Promise.all(topic.partitions.map((p) =>
        refusal ? failed(p.index, refusal) : appendPartition(broker, topic.name, p.index, p.records))),
    })))
    return request.acks === 0 ? undefined : { topics, throttleTimeMs: 0 }
  },
  encodeResponse: encodeProduceResponse,
})

function refuse(request: ProduceRequest): { code: number; message: string } | undefined {
  if (request.acks !== 0 && request.acks !== 1 && request.acks !== -1) {
    return { code: KafkaError.INVALID_REQUIRED_ACKS, message: `acks must be 0, 1 or -1, not ${request.acks}` }
  }
  if (request.transactionalId !== null) {
    return { code: KafkaError.INVALID_REQUEST, message: 'transactional producers are not supported; use an idempotent producer' }
  }
  return undefined
}

async function appendPartition(broker: Broker, topic: string, partition: number, records: Buffer | null): Promise<ProducePartitionResponse> {
  try {
    if (!broker.log.hasTopic(topic)) throw new TributaryError('TRB_TOPIC_NOT_FOUND', `topic ${topic} does not exist`)
    const batches = splitBatches(records, topic, partition)
    let firstOffset = -1
    for (const batch of batches) {
      const baseOffset = await appendBatch(broker, topic, partition, batch)
      if (firstOffset < 0) firstOffset = baseOffset
    }
    return {
      index: partition,
      errorCode: KafkaError.NONE,
      baseOffset: firstOffset,
      logAppendTimeMs: -1,
      logStartOffset: await broker.log.listOffset(topic, partition, 'earliest'),
      recordErrors: [],
      errorMessage: null,
    }
  } catch (error) {
    return failed(partition, { code: kafkaErrorCodeOf(error), message: error instanceof Error ? error.message : String(error) })
  }
}

async function appendBatch(broker: Broker, topic: string, partition: number, batch: Buffer): Promise<number> {
  const header = readBatchHeader(batch, 0)
  const compression = compressionOf(header.attributes)
  if (!READABLE_COMPRESSION.has(compression)) {
    throw new TributaryError('TRB_PROTOCOL_UNSUPPORTED', `${compression} compression is not supported; use none or gzip`, {
      details: { kafkaErrorCode: KafkaError.UNSUPPORTED_COMPRESSION_TYPE },
    })
  }
  const sequenced = { producerId: header.producerId, producerEpoch: header.producerEpoch, baseSequence: header.baseSequence, recordCount: header.recordCount }
  const check = broker.producers.check(topic, partition, sequenced)
  if (check.kind === 'duplicate') return check.baseOffset
  const baseOffset = await broker.log.appendBatch(topic, partition, batch)
  broker.producers.record(topic, partition, sequenced, baseOffset)
  return baseOffset
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
  return new TributaryError('TRB_LOG_INVALID_BATCH', `refused records for ${topic}-${partition}: ${problem}`, { details: { kafkaErrorCode: KafkaError.CORRUPT_MESSAGE } })
}

function failed(partition: number, error: { code: number; message: string }): ProducePartitionResponse {
  return { index: partition, errorCode: error.code, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [], errorMessage: error.message }
}
