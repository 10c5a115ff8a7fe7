/**
 * DescribeConfigs (key 32), versions 0-4; flexible from 4.
 *
 * DescribeConfigs Request (Version: 0-4) => [resources] include_synonyms(1+) include_documentation(3+) TAG_BUFFER(4)
 *   resources => resource_type:int8 resource_name [configuration_keys](nullable: all) TAG_BUFFER(4)
 * DescribeConfigs Response (Version: 0-4) => throttle_time_ms [results] TAG_BUFFER(4)
 *   results => error_code error_message:nullable_string resource_type:int8 resource_name [configs] TAG_BUFFER(4)
 *     configs => name value:nullable_string read_only is_default(0) config_source(1+):int8 is_sensitive
 *                [synonyms](1+) config_type(3+):int8 documentation(3+):nullable_string TAG_BUFFER(4)
 *       synonyms => name value:nullable_string source:int8 TAG_BUFFER(4)
 * v0 says only whether a value is the default; v1 replaced that with where the value comes from.
 * Decoding either, the model carries both, derived the way Kafka's client derives them.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const describeConfigsVersions = { min: 0, max: 4, flexibleFrom: 4 } as const

/** Kafka's ConfigResource.Type numbers. */
export const ConfigResourceType = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const

/** Kafka's DescribeConfigsResponse.ConfigSource numbers. */
export const ConfigSource = {
  UNKNOWN: 0,
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const

/** Kafka's DescribeConfigsResponse.ConfigType numbers (v3+). */
export const ConfigType = { UNKNOWN: 0, BOOLEAN: 1, STRING: 2, INT: 3, SHORT: 4, LONG: 5, DOUBLE: 6, LIST: 7 } as const

export interface DescribeConfigsResource {
  readonly resourceType: number
  readonly resourceName: string
  readonly configurationKeys: readonly string[] | null
}

export interface DescribeConfigsRequest {
  readonly resources: readonly DescribeConfigsResource[]
  readonly includeSynonyms: boolean
  readonly includeDocumentation: boolean
}

export interface ConfigSynonym {
  readonly name: string
  readonly value: string | null
  readonly source: number
}

export interface DescribedConfig {
  readonly name: string
  readonly value: string | null
  readonly readOnly: boolean
  readonly isDefault: boolean
  readonly configSource: number
  readonly isSensitive: boolean
  readonly synonyms: readonly ConfigSynonym[]
  readonly configType: number
  readonly documentation: string | null
}

export interface DescribeConfigsResult {
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly resourceType: number
  readonly resourceName: string
  readonly configs: readonly DescribedConfig[]
}

export interface DescribeConfigsResponse {
  readonly throttleTimeMs: number
  readonly results: readonly DescribeConfigsResult[]
}

export function decodeDescribeConfigsRequest(r: KafkaReader, v: number): DescribeConfigsRequest {
  const resources = r.array((res) => {
    const resource = { resourceType: res.int8(), resourceName: res.string(), configurationKeys: res.nullableArray((k) => k.string()) }
    res.taggedFields()
    return resource
  })
  const includeSynonyms = v >= 1 ? r.bool() : false
  const includeDocumentation = v >= 3 ? r.bool() : false
  r.taggedFields()
  return { resources, includeSynonyms, includeDocumentation }
}

export function encodeDescribeConfigsRequest(w: KafkaWriter, v: number, request: DescribeConfigsRequest): void {
  w.array(request.resources, (res, resource) => {
    res.int8(resource.resourceType).string(resource.resourceName)
    res.nullableArray(resource.configurationKeys, (k, key) => k.string(key)).taggedFields()
  })
  if (v >= 1) w.bool(request.includeSynonyms)
  if (v >= 3) w.bool(request.includeDocumentation)
  w.taggedFields()
}

export function encodeDescribeConfigsResponse(w: KafkaWriter, v: number, response: DescribeConfigsResponse): void {
  w.int32(response.throttleTimeMs)
  w.array(response.results, (res, result) => {
    res.int16(result.errorCode).nullableString(result.errorMessage).int8(result.resourceType).string(result.resourceName)
    res.array(result.configs, (c, config) => {
      c.string(config.name).nullableString(config.value).bool(config.readOnly)
      if (v === 0) c.bool(config.isDefault)
      else c.int8(config.configSource)
      c.bool(config.isSensitive)
      if (v >= 1)
        c.array(config.synonyms, (s, synonym) => s.string(synonym.name).nullableString(synonym.value).int8(synonym.source).taggedFields())
      if (v >= 3) c.int8(config.configType).nullableString(config.documentation)
      c.taggedFields()
    })
    res.taggedFields()
  })
  w.taggedFields()
}

export function decodeDescribeConfigsResponse(r: KafkaReader, v: number): DescribeConfigsResponse {
  const throttleTimeMs = r.int32()
  const results = r.array((res) => {
    const errorCode = res.int16()
    const errorMessage = res.nullableString()
    const resourceType = res.int8()
    const resourceName = res.string()
    const configs = res.array((c) => decodeConfig(c, v))
    res.taggedFields()
    return { errorCode, errorMessage, resourceType, resourceName, configs }
  })
  r.taggedFields()
  return { throttleTimeMs, results }
}

function decodeConfig(c: KafkaReader, v: number): DescribedConfig {
  const name = c.string()
  const value = c.nullableString()
  const readOnly = c.bool()
  // v0 sends is_default where v1 sends config_source; -1 is Kafka's "not sent" for the latter.
  const isDefault = v === 0 ? c.bool() : undefined
  const configSource = v === 0 ? -1 : c.int8()
  const isSensitive = c.bool()
  const synonyms =
    v >= 1
      ? c.array((s) => {
          const synonym = { name: s.string(), value: s.nullableString(), source: s.int8() }
          s.taggedFields()
          return synonym
        })
      : []
  const configType = v >= 3 ? c.int8() : ConfigType.UNKNOWN
  const documentation = v >= 3 ? c.nullableString() : null
  c.taggedFields()
  return {
    name,
    value,
    readOnly,
    isDefault: isDefault ?? configSource === ConfigSource.DEFAULT_CONFIG,
    configSource,
    isSensitive,
    synonyms,
    configType,
    documentation,
  }
}
