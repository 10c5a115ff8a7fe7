/**
 * EndTxn (key 26), versions 0-5; flexible from 3. A transactional producer asks its coordinator to
 * commit or abort the open transaction; the coordinator then writes a marker into every partition
 * the transaction touched.
 *
 * EndTxn Request (Version: 0-5) => transactional_id producer_id:int64 producer_epoch:int16
 *   committed:bool TAG_BUFFER(3+)
 * EndTxn Response (Version: 0-5) => throttle_time_ms error_code producer_id:int64(5+)
 *   producer_epoch:int16(5+) TAG_BUFFER(3+)
 * v5 (KIP-890 part 2) bumps the producer's epoch at the end of every transaction and answers with
 * the id and epoch the producer goes on with; before v5 they decode as -1.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const endTxnVersions = { min: 0, max: 5, flexibleFrom: 3 } as const

export interface EndTxnRequest {
  readonly transactionalId: string
  readonly producerId: number
  readonly producerEpoch: number
  /** True to commit, false to abort. */
  readonly committed: boolean
}

export interface EndTxnResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
  /** v5+. */
  readonly producerId: number
  /** v5+. */
  readonly producerEpoch: number
}

export function decodeEndTxnRequest(r: KafkaReader): EndTxnRequest {
  const request = { transactionalId: r.string(), producerId: r.int64(), producerEpoch: r.int16(), committed: r.bool() }
  r.taggedFields()
  return request
}

export function encodeEndTxnRequest(w: KafkaWriter, _v: number, request: EndTxnRequest): void {
  w.string(request.transactionalId).int64(request.producerId).int16(request.producerEpoch).bool(request.committed).taggedFields()
}

export function encodeEndTxnResponse(w: KafkaWriter, v: number, response: EndTxnResponse): void {
  w.int32(response.throttleTimeMs).int16(response.errorCode)
  if (v >= 5) w.int64(response.producerId).int16(response.producerEpoch)
  w.taggedFields()
}

export function decodeEndTxnResponse(r: KafkaReader, v: number): EndTxnResponse {
  const throttleTimeMs = r.int32()
  const errorCode = r.int16()
  const producerId = v >= 5 ? r.int64() : -1
  const producerEpoch = v >= 5 ? r.int16() : -1
  r.taggedFields()
  return { throttleTimeMs, errorCode, producerId, producerEpoch }
}
