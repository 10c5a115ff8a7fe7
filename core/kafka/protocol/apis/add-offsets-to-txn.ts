/**
 * AddOffsetsToTxn (key 25), versions 0-4; flexible from 3. A transactional producer names the
 * consumer group whose offsets it will commit in the transaction (TxnOffsetCommit), so the
 * coordinator makes those offsets visible or drops them with the transaction's outcome.
 *
 * AddOffsetsToTxn Request (Version: 0-4) => transactional_id producer_id:int64 producer_epoch:int16
 *   group_id TAG_BUFFER(3+)
 * AddOffsetsToTxn Response (Version: 0-4) => throttle_time_ms error_code TAG_BUFFER(3+)
 * v2 adds the PRODUCER_FENCED error and v4 TRANSACTION_ABORTABLE; the fields never change.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const addOffsetsToTxnVersions = { min: 0, max: 4, flexibleFrom: 3 } as const

export interface AddOffsetsToTxnRequest {
  readonly transactionalId: string
  readonly producerId: number
  readonly producerEpoch: number
  readonly groupId: string
}

export interface AddOffsetsToTxnResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
}

export function decodeAddOffsetsToTxnRequest(r: KafkaReader): AddOffsetsToTxnRequest {
  const request = { transactionalId: r.string(), producerId: r.int64(), producerEpoch: r.int16(), groupId: r.string() }
  r.taggedFields()
  return request
}

export function encodeAddOffsetsToTxnRequest(w: KafkaWriter, _v: number, request: AddOffsetsToTxnRequest): void {
  w.string(request.transactionalId).int64(request.producerId).int16(request.producerEpoch).string(request.groupId).taggedFields()
}

export function encodeAddOffsetsToTxnResponse(w: KafkaWriter, _v: number, response: AddOffsetsToTxnResponse): void {
  w.int32(response.throttleTimeMs).int16(response.errorCode).taggedFields()
}

export function decodeAddOffsetsToTxnResponse(r: KafkaReader): AddOffsetsToTxnResponse {
  const response = { throttleTimeMs: r.int32(), errorCode: r.int16() }
  r.taggedFields()
  return response
}
