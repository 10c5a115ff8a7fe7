/**
 * InitProducerId (key 22), versions 0-4; flexible from 2.
 *
 * InitProducerId Request (Version: 0-4) => transactional_id:nullable_string transaction_timeout_ms:int32
 *   producer_id(3+):int64 producer_epoch(3+):int16 TAG_BUFFER(2)
 * InitProducerId Response (Version: 0-4) => throttle_time_ms error_code producer_id:int64
 *   producer_epoch:int16 TAG_BUFFER(2)
 * From v3 a producer may name the id and epoch it holds, to have the epoch bumped (KIP-360); -1 and
 * -1 ask for a new id.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const initProducerIdVersions = { min: 0, max: 4, flexibleFrom: 2 } as const

export interface InitProducerIdRequest {
  readonly transactionalId: string | null
  readonly transactionTimeoutMs: number
  readonly producerId: number
  readonly producerEpoch: number
}

export interface InitProducerIdResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
  readonly producerId: number
  readonly producerEpoch: number
}

export function decodeInitProducerIdRequest(r: KafkaReader, v: number): InitProducerIdRequest {
  const transactionalId = r.nullableString()
  const transactionTimeoutMs = r.int32()
  const producerId = v >= 3 ? r.int64() : -1
  const producerEpoch = v >= 3 ? r.int16() : -1
  r.taggedFields()
  return { transactionalId, transactionTimeoutMs, producerId, producerEpoch }
}

export function encodeInitProducerIdRequest(w: KafkaWriter, v: number, request: InitProducerIdRequest): void {
  w.nullableString(request.transactionalId).int32(request.transactionTimeoutMs)
  if (v >= 3) w.int64(request.producerId).int16(request.producerEpoch)
  w.taggedFields()
}

export function encodeInitProducerIdResponse(w: KafkaWriter, _v: number, response: InitProducerIdResponse): void {
  w.int32(response.throttleTimeMs).int16(response.errorCode).int64(response.producerId).int16(response.producerEpoch).taggedFields()
}

export function decodeInitProducerIdResponse(r: KafkaReader): InitProducerIdResponse {
  const response = { throttleTimeMs: r.int32(), errorCode: r.int16(), producerId: r.int64(), producerEpoch: r.int16() }
  r.taggedFields()
  return response
}
