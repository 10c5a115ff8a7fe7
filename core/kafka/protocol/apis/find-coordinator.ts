/**
 * FindCoordinator (key 10), versions 0-4; flexible from 3.
 *
 * FindCoordinator Request (Version: 0-4) => key(0-3) key_type:int8(1+) [coordinator_keys:string](4+) TAG_BUFFER(3+)
 * FindCoordinator Response (Version: 0-4) => throttle_time_ms(1+) error_code(0-3) error_message:nullable_string(1-3)
 *   node_id(0-3) host(0-3) port(0-3) [coordinators](4+) TAG_BUFFER(3+)
 *   coordinators => key node_id host port error_code error_message:nullable_string TAG_BUFFER
 * key_type 0 looks up a consumer group's coordinator, 1 a transactional id's. v4 batches the keys
 * (KIP-699): the single key and answer give way to a list of each. Fields a version does not carry
 * decode as their defaults (no key, no coordinators, no error, node -1). v5 (TRANSACTION_ABORTABLE)
 * and v6 (share groups) are not served.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const findCoordinatorVersions = { min: 0, max: 4, flexibleFrom: 3 } as const

export const CoordinatorKeyType = { Group: 0, Transaction: 1 } as const

export interface FindCoordinatorRequest {
  /** v0-3. */
  readonly key: string
  /** v1+. */
  readonly keyType: number
  /** v4+. */
  readonly coordinatorKeys: readonly string[]
}

export interface Coordinator {
  readonly key: string
  readonly nodeId: number
  readonly host: string
  readonly port: number
  readonly errorCode: number
  readonly errorMessage: string | null
}

export interface FindCoordinatorResponse {
  readonly throttleTimeMs: number
  /** errorCode to port: v0-3, the answer for the one key. */
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly nodeId: number
  readonly host: string
  readonly port: number
  /** v4+: one answer per coordinator key. */
  readonly coordinators: readonly Coordinator[]
}

export function decodeFindCoordinatorRequest(r: KafkaReader, v: number): FindCoordinatorRequest {
  const key = v <= 3 ? r.string() : ''
  const keyType = v >= 1 ? r.int8() : CoordinatorKeyType.Group
  const coordinatorKeys = v >= 4 ? r.array((k) => k.string()) : []
  r.taggedFields()
  return { key, keyType, coordinatorKeys }
}

export function encodeFindCoordinatorRequest(w: KafkaWriter, v: number, request: FindCoordinatorRequest): void {
  if (v <= 3) w.string(request.key)
  if (v >= 1) w.int8(request.keyType)
  if (v >= 4) w.array(request.coordinatorKeys, (k, key) => k.string(key))
  w.taggedFields()
}

export function encodeFindCoordinatorResponse(w: KafkaWriter, v: number, response: FindCoordinatorResponse): void {
  if (v >= 1) w.int32(response.throttleTimeMs)
  if (v <= 3) {
    w.int16(response.errorCode)
    if (v >= 1) w.nullableString(response.errorMessage)
    w.int32(response.nodeId).string(response.host).int32(response.port)
  }
  if (v >= 4) {
    w.array(response.coordinators, (c, coordinator) => {
      c.string(coordinator.key).int32(coordinator.nodeId).string(coordinator.host).int32(coordinator.port)
      c.int16(coordinator.errorCode).nullableString(coordinator.errorMessage).taggedFields()
    })
  }
  w.taggedFields()
}

export function decodeFindCoordinatorResponse(r: KafkaReader, v: number): FindCoordinatorResponse {
  const throttleTimeMs = v >= 1 ? r.int32() : 0
  const errorCode = v <= 3 ? r.int16() : 0
  const errorMessage = v >= 1 && v <= 3 ? r.nullableString() : null
  const nodeId = v <= 3 ? r.int32() : -1
  const host = v <= 3 ? r.string() : ''
  const port = v <= 3 ? r.int32() : -1
  const coordinators =
    v >= 4
      ? r.array((c): Coordinator => {
          const coordinator = {
            key: c.string(),
            nodeId: c.int32(),
            host: c.string(),
            port: c.int32(),
            errorCode: c.int16(),
            errorMessage: c.nullableString(),
          }
          c.taggedFields()
          return coordinator
        })
      : []
  r.taggedFields()
  return { throttleTimeMs, errorCode, errorMessage, nodeId, host, port, coordinators }
}
