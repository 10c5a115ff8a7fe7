/**
 * FindCoordinator (key 10), versions 0-3; flexible from 3.
 *
 * FindCoordinator Request (Version: 0-3) => key key_type:int8(1+) TAG_BUFFER(3)
 * FindCoordinator Response (Version: 0-3) => throttle_time_ms(1+) error_code error_message:nullable_string(1+)
 *   node_id host port TAG_BUFFER(3)
 * key_type 0 looks up a consumer group's coordinator, 1 a transactional id's. Versions 4+ batch the
 * keys (KIP-699) and are not served.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const findCoordinatorVersions = { min: 0, max: 3, flexibleFrom: 3 } as const

export const CoordinatorKeyType = { Group: 0, Transaction: 1 } as const

export interface FindCoordinatorRequest {
  readonly key: string
  readonly keyType: number
}

export interface FindCoordinatorResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly nodeId: number
  readonly host: string
  readonly port: number
}

export function decodeFindCoordinatorRequest(r: KafkaReader, v: number): FindCoordinatorRequest {
  const key = r.string()
  const keyType = v >= 1 ? r.int8() : CoordinatorKeyType.Group
  r.taggedFields()
  return { key, keyType }
}

export function encodeFindCoordinatorRequest(w: KafkaWriter, v: number, request: FindCoordinatorRequest): void {
  w.string(request.key)
  if (v >= 1) w.int8(request.keyType)
  w.taggedFields()
}

export function encodeFindCoordinatorResponse(w: KafkaWriter, v: number, response: FindCoordinatorResponse): void {
  if (v >= 1) w.int32(response.throttleTimeMs)
  w.int16(response.errorCode)
  if (v >= 1) w.nullableString(response.errorMessage)
  w.int32(response.nodeId).string(response.host).int32(response.port)
  w.taggedFields()
}

export function decodeFindCoordinatorResponse(r: KafkaReader, v: number): FindCoordinatorResponse {
  const throttleTimeMs = v >= 1 ? r.int32() : 0
  const errorCode = r.int16()
  const errorMessage = v >= 1 ? r.nullableString() : null
  const response = { throttleTimeMs, errorCode, errorMessage, nodeId: r.int32(), host: r.string(), port: r.int32() }
  r.taggedFields()
  return response
}
