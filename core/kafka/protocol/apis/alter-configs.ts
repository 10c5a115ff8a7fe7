/**
 * AlterConfigs (key 33), versions 0-2; flexible from 2. kafkajs's alterConfigs and the Java Admin
 * client's deprecated alterConfigs: replaces a resource's whole set of config overrides with the
 * configs given. IncrementalAlterConfigs answers in the same layout, so its codec uses the response
 * half of this one.
 *
 * AlterConfigs Request (Version: 0-2) => [resources] validate_only TAG_BUFFER(2+)
 *   resources => resource_type resource_name [configs] TAG_BUFFER(2+)
 *     configs => name value(nullable) TAG_BUFFER(2+)
 * AlterConfigs Response (Version: 0-2) => throttle_time_ms [responses] TAG_BUFFER(2+)
 *   responses => error_code error_message(nullable) resource_type resource_name TAG_BUFFER(2+)
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const alterConfigsVersions = { min: 0, max: 2, flexibleFrom: 2 } as const

export interface AlterConfigsResource {
  readonly resourceType: number
  readonly resourceName: string
  readonly configs: ReadonlyArray<{ readonly name: string; readonly value: string | null }>
}

export interface AlterConfigsRequest {
  readonly resources: readonly AlterConfigsResource[]
  readonly validateOnly: boolean
}

export interface AlterConfigsResourceResponse {
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly resourceType: number
  readonly resourceName: string
}

export interface AlterConfigsResponse {
  readonly throttleTimeMs: number
  readonly responses: readonly AlterConfigsResourceResponse[]
}

export function decodeAlterConfigsRequest(r: KafkaReader): AlterConfigsRequest {
  return readConfigResources(r, (c) => ({ name: c.string(), value: c.nullableString() }))
}

export function encodeAlterConfigsRequest(w: KafkaWriter, _v: number, request: AlterConfigsRequest): void {
  writeConfigResources(w, request, (c, config) => c.string(config.name).nullableString(config.value))
}

/** Both requests' layout around their configs: [resources] validate_only, a resource being type, name and [configs]. */
export function readConfigResources<C>(
  r: KafkaReader,
  readConfig: (c: KafkaReader) => C,
): { resources: Array<{ resourceType: number; resourceName: string; configs: C[] }>; validateOnly: boolean } {
  const resources = r.array((s) => {
    const resourceType = s.int8()
    const resourceName = s.string()
    const configs = s.array((c) => {
      const config = readConfig(c)
      c.taggedFields()
      return config
    })
    s.taggedFields()
    return { resourceType, resourceName, configs }
  })
  const validateOnly = r.bool()
  r.taggedFields()
  return { resources, validateOnly }
}

export function writeConfigResources<C>(
  w: KafkaWriter,
  request: {
    readonly resources: ReadonlyArray<{ readonly resourceType: number; readonly resourceName: string; readonly configs: readonly C[] }>
    readonly validateOnly: boolean
  },
  writeConfig: (c: KafkaWriter, config: C) => void,
): void {
  w.array(request.resources, (s, resource) => {
    s.int8(resource.resourceType).string(resource.resourceName)
    s.array(resource.configs, (c, config) => {
      writeConfig(c, config)
      c.taggedFields()
    })
    s.taggedFields()
  })
  w.bool(request.validateOnly).taggedFields()
}

export function encodeAlterConfigsResponse(w: KafkaWriter, _v: number, response: AlterConfigsResponse): void {
  w.int32(response.throttleTimeMs)
  w.array(response.responses, (s, result) => {
    s.int16(result.errorCode).nullableString(result.errorMessage).int8(result.resourceType).string(result.resourceName).taggedFields()
  })
  w.taggedFields()
}

export function decodeAlterConfigsResponse(r: KafkaReader): AlterConfigsResponse {
  const throttleTimeMs = r.int32()
  const responses = r.array((s) => {
    const result = { errorCode: s.int16(), errorMessage: s.nullableString(), resourceType: s.int8(), resourceName: s.string() }
    s.taggedFields()
    return result
  })
  r.taggedFields()
  return { throttleTimeMs, responses }
}
