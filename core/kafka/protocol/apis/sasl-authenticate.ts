/**
 * SaslAuthenticate (key 36), versions 0-2; flexible from 2.
 *
 * SaslAuthenticate Request (Version: 0-2) => auth_bytes:bytes TAG_BUFFER(2)
 * SaslAuthenticate Response (Version: 0-2) => error_code error_message:nullable_string auth_bytes:bytes
 *   session_lifetime_ms(1+):int64 TAG_BUFFER(2)
 * A session lifetime of 0 means the session never needs re-authenticating (KIP-368).
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const saslAuthenticateVersions = { min: 0, max: 2, flexibleFrom: 2 } as const

export interface SaslAuthenticateRequest {
  readonly authBytes: Buffer
}

export interface SaslAuthenticateResponse {
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly authBytes: Buffer
  readonly sessionLifetimeMs: number
}

export function decodeSaslAuthenticateRequest(r: KafkaReader): SaslAuthenticateRequest {
  const authBytes = r.bytes()
  r.taggedFields()
  return { authBytes }
}

export function encodeSaslAuthenticateRequest(w: KafkaWriter, _v: number, request: SaslAuthenticateRequest): void {
  w.bytes(request.authBytes).taggedFields()
}

export function encodeSaslAuthenticateResponse(w: KafkaWriter, v: number, response: SaslAuthenticateResponse): void {
  w.int16(response.errorCode).nullableString(response.errorMessage).bytes(response.authBytes)
  if (v >= 1) w.int64(response.sessionLifetimeMs)
  w.taggedFields()
}

export function decodeSaslAuthenticateResponse(r: KafkaReader, v: number): SaslAuthenticateResponse {
  const errorCode = r.int16()
  const errorMessage = r.nullableString()
  const authBytes = r.bytes()
  const sessionLifetimeMs = v >= 1 ? r.int64() : 0
  r.taggedFields()
  return { errorCode, errorMessage, authBytes, sessionLifetimeMs }
}
