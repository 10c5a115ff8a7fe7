/**
 * InitProducerId (key 22), versions 0-6; flexible from 2.
 *
 * InitProducerId Request (Version: 0-6) => transactional_id:nullable_string transaction_timeout_ms:int32
 *   producer_id(3+):int64 producer_epoch(3+):int16 enable_2pc(6+):bool keep_prepared_txn(6+):bool TAG_BUFFER(2+)
 * InitProducerId Response (Version: 0-6) => throttle_time_ms error_code producer_id:int64
 *   producer_epoch:int16 ongoing_txn_producer_id(6+):int64 ongoing_txn_producer_epoch(6+):int16 TAG_BUFFER(2+)
 * From v3 a producer may name the id and epoch it holds, to have the epoch bumped (KIP-360); -1 and
 * -1 ask for a new id. v4 adds the PRODUCER_FENCED error, v5 TRANSACTION_ABORTABLE (KIP-890). v6
 * (KIP-939, two-phase commit; still unstable in Kafka 4.3, so its clients send it only when told to)
 * lets a producer keep a prepared transaction across a restart, and answers with that transaction's
 * id and epoch. Fields absent from a version decode as Kafka's defaults (-1, false).
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const initProducerIdVersions = { min: 0, max: 6, flexibleFrom: 2 } as const

export interface InitProducerIdRequest {
  readonly transactionalId: string | null
  readonly transactionTimeoutMs: number
  readonly producerId: number
  readonly producerEpoch: number
  /** v6+: the transactions are two-phase: a prepared one is not aborted on timeout. */
  readonly enable2Pc: boolean
  /** v6+: keep the ongoing (prepared) transaction instead of aborting it. */
  readonly keepPreparedTxn: boolean
}

export interface InitProducerIdResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
  readonly producerId: number
  readonly producerEpoch: number
  /** v6+: the kept transaction's producer id and epoch, -1 when none is ongoing. */
  readonly ongoingTxnProducerId: number
  readonly ongoingTxnProducerEpoch: number
}

export function decodeInitProducerIdRequest(r: KafkaReader, v: number): InitProducerIdRequest {
  const transactionalId = r.nullableString()
  const transactionTimeoutMs = r.int32()
  const producerId = v >= 3 ? r.int64() : -1
  const producerEpoch = v >= 3 ? r.int16() : -1
  const enable2Pc = v >= 6 ? r.bool() : false
  const keepPreparedTxn = v >= 6 ? r.bool() : false
  r.taggedFields()
  return { transactionalId, transactionTimeoutMs, producerId, producerEpoch, enable2Pc, keepPreparedTxn }
}

export function encodeInitProducerIdRequest(w: KafkaWriter, v: number, request: InitProducerIdRequest): void {
  w.nullableString(request.transactionalId).int32(request.transactionTimeoutMs)
  if (v >= 3) w.int64(request.producerId).int16(request.producerEpoch)
  if (v >= 6) w.bool(request.enable2Pc).bool(request.keepPreparedTxn)
  w.taggedFields()
}

export function encodeInitProducerIdResponse(w: KafkaWriter, v: number, response: InitProducerIdResponse): void {
  w.int32(response.throttleTimeMs).int16(response.errorCode).int64(response.producerId).int16(response.producerEpoch)
  if (v >= 6) w.int64(response.ongoingTxnProducerId).int16(response.ongoingTxnProducerEpoch)
  w.taggedFields()
}

export function decodeInitProducerIdResponse(r: KafkaReader, v: number): InitProducerIdResponse {
  const throttleTimeMs = r.int32()
  const errorCode = r.int16()
  const producerId = r.int64()
  const producerEpoch = r.int16()
  const ongoingTxnProducerId = v >= 6 ? r.int64() : -1
  const ongoingTxnProducerEpoch = v >= 6 ? r.int16() : -1
  r.taggedFields()
  return { throttleTimeMs, errorCode, producerId, producerEpoch, ongoingTxnProducerId, ongoingTxnProducerEpoch }
}
