/**
 * ApiVersions (key 18), versions 0-4; flexible from 3.
 *
 * ApiVersions Request (Version: 0-2) => (empty)
 * ApiVersions Request (Version: 3-4) => client_software_name client_software_version TAG_BUFFER
 * ApiVersions Response (Version: 0-4) => error_code [api_keys] throttle_time_ms(1+) TAG_BUFFER(3+)
 *   api_keys => api_key:int16 min_version:int16 max_version:int16 TAG_BUFFER(3)
 * A broker that gets a version it does not know answers in version 0 with UNSUPPORTED_VERSION and its
 * list (KIP-511), so the client can retry at a version both sides know. v4 is v3 on the wire (it
 * only lets a supported feature's min version be 0; no features are listed here), and is what the
 * Java client 4.x sends first.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const apiVersionsVersions = { min: 0, max: 4, flexibleFrom: 3 } as const

export interface ApiVersionsRequest {
  readonly clientSoftwareName: string | null
  readonly clientSoftwareVersion: string | null
}

export interface ApiVersionRange {
  readonly apiKey: number
  readonly minVersion: number
  readonly maxVersion: number
}

export interface ApiVersionsResponse {
  readonly errorCode: number
  readonly apiKeys: readonly ApiVersionRange[]
  readonly throttleTimeMs: number
}

export function decodeApiVersionsRequest(r: KafkaReader, v: number): ApiVersionsRequest {
  if (v < 3) return { clientSoftwareName: null, clientSoftwareVersion: null }
  const clientSoftwareName = r.string()
  const clientSoftwareVersion = r.string()
  r.taggedFields()
  return { clientSoftwareName, clientSoftwareVersion }
}

export function encodeApiVersionsRequest(w: KafkaWriter, v: number, request: ApiVersionsRequest): void {
  if (v < 3) return
  w.string(request.clientSoftwareName ?? '')
    .string(request.clientSoftwareVersion ?? '')
    .taggedFields()
}

export function encodeApiVersionsResponse(w: KafkaWriter, v: number, response: ApiVersionsResponse): void {
  w.int16(response.errorCode)
  w.array(response.apiKeys, (item, range) => {
    item.int16(range.apiKey).int16(range.minVersion).int16(range.maxVersion).taggedFields()
  })
  if (v >= 1) w.int32(response.throttleTimeMs)
  w.taggedFields()
}

export function decodeApiVersionsResponse(r: KafkaReader, v: number): ApiVersionsResponse {
  const errorCode = r.int16()
  const apiKeys = r.array((item) => {
    const range = { apiKey: item.int16(), minVersion: item.int16(), maxVersion: item.int16() }
    item.taggedFields()
    return range
  })
  const throttleTimeMs = v >= 1 ? r.int32() : 0
  r.taggedFields()
  return { errorCode, apiKeys, throttleTimeMs }
}
