/**
 * Request and response headers.
 *
 * RequestHeader v1 => api_key:int16 api_version:int16 correlation_id:int32 client_id:nullable_string
 * RequestHeader v2 => v1 + tagged fields (for flexible request versions)
 * ResponseHeader v0 => correlation_id:int32
 * ResponseHeader v1 => v0 + tagged fields (flexible versions; never ApiVersions, which a client must
 *   be able to read before it knows what the broker speaks)
 * client_id keeps its int16 length in v2 too: it predates compact strings and stays readable by all.
 */
import { ApiKey } from './api-keys.ts'
import { KafkaReader } from './reader.ts'
import { KafkaWriter } from './writer.ts'

export interface RequestHeader {
  readonly apiKey: number
  readonly apiVersion: number
  readonly correlationId: number
  readonly clientId: string | null
}

/**
 * Reads the header and leaves the returned reader at the request body, in the body's layout.
 * `isFlexible` says whether this API at this version uses flexible encoding (false when unknown).
 */
export function decodeRequestHeader(
  frame: Buffer,
  isFlexible: (apiKey: number, apiVersion: number) => boolean,
): { header: RequestHeader; body: KafkaReader } {
  const reader = new KafkaReader(frame)
  const apiKey = reader.int16()
  const apiVersion = reader.int16()
  const correlationId = reader.int32()
  const clientId = reader.legacyNullableString()
  const flexible = isFlexible(apiKey, apiVersion)
  const body = reader.withFlexible(flexible)
  body.taggedFields()
  return { header: { apiKey, apiVersion, correlationId, clientId }, body }
}

/** For clients and tests: a request frame's header, before its body. */
export function encodeRequestHeader(writer: KafkaWriter, header: RequestHeader): void {
  writer.int16(header.apiKey).int16(header.apiVersion).int32(header.correlationId).legacyNullableString(header.clientId)
  writer.taggedFields()
}

/** A response writer with its header written, in the layout of the response body. */
export function startResponse(correlationId: number, apiKey: number, flexible: boolean): KafkaWriter {
  const writer = new KafkaWriter(flexible)
  writer.int32(correlationId)
  if (flexible && apiKey !== ApiKey.ApiVersions) writer.taggedFields()
  return writer
}
