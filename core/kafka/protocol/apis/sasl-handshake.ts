/**
 * SaslHandshake (key 17), versions 0-1; never flexible.
 *
 * SaslHandshake Request (Version: 0-1) => mechanism:string
 * SaslHandshake Response (Version: 0-1) => error_code [mechanisms:string]
 * The versions differ in what follows: after v0 the client sends its SASL tokens as bare frames with
 * no Kafka header; after v1 it wraps them in SaslAuthenticate requests.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const saslHandshakeVersions = { min: 0, max: 1, flexibleFrom: Infinity } as const

export interface SaslHandshakeRequest {
  readonly mechanism: string
}

export interface SaslHandshakeResponse {
  readonly errorCode: number
  readonly mechanisms: readonly string[]
}

export function decodeSaslHandshakeRequest(r: KafkaReader): SaslHandshakeRequest {
  return { mechanism: r.string() }
}

export function encodeSaslHandshakeRequest(w: KafkaWriter, _v: number, request: SaslHandshakeRequest): void {
  w.string(request.mechanism)
}

export function encodeSaslHandshakeResponse(w: KafkaWriter, _v: number, response: SaslHandshakeResponse): void {
  w.int16(response.errorCode).array(response.mechanisms, (m, mechanism) => m.string(mechanism))
}

export function decodeSaslHandshakeResponse(r: KafkaReader): SaslHandshakeResponse {
  return { errorCode: r.int16(), mechanisms: r.array((m) => m.string()) }
}
