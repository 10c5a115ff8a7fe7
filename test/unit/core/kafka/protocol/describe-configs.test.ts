import { describe, expect, it } from 'vitest'
import {
  ConfigSource,
  decodeDescribeConfigsRequest,
  decodeDescribeConfigsResponse,
  describeConfigsVersions,
  encodeDescribeConfigsRequest,
  encodeDescribeConfigsResponse,
  type DescribeConfigsRequest,
  type DescribeConfigsResponse,
  type DescribedConfig,
} from '../../../../../core/kafka/protocol/apis/describe-configs.ts'
import { eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody } from '../../../../support/kafkajs-protocol.ts'

const flexible = (v: number) => v >= describeConfigsVersions.flexibleFrom
const request: DescribeConfigsRequest = {
  resources: [
    { resourceType: 2, resourceName: 'orders', configurationKeys: ['retention.ms', 'cleanup.policy'] },
    { resourceType: 4, resourceName: '0', configurationKeys: null },
  ],
  includeSynonyms: true,
  includeDocumentation: true,
}

const retention: DescribedConfig = {
  name: 'retention.ms',
  value: '3600000',
  readOnly: false,
  isDefault: false,
  configSource: ConfigSource.TOPIC_CONFIG,
  isSensitive: false,
  synonyms: [{ name: 'retention.ms', value: '3600000', source: ConfigSource.TOPIC_CONFIG }],
  configType: 5,
  documentation: 'Age after which a closed segment is deleted',
}
const policy: DescribedConfig = {
  name: 'cleanup.policy',
  value: 'delete',
  readOnly: false,
  isDefault: true,
  configSource: ConfigSource.DEFAULT_CONFIG,
  isSensitive: true,
  synonyms: [],
  configType: 7,
  documentation: null,
}
const response: DescribeConfigsResponse = {
  throttleTimeMs: 9,
  results: [
    { errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'orders', configs: [retention, policy] },
    { errorCode: 3, errorMessage: 'topic gone does not exist', resourceType: 2, resourceName: 'gone', configs: [] },
  ],
}

/** What a version carries of a config; v0 has no source (decoded as -1) and v0-2 no type or documentation. */
function configAt(config: DescribedConfig, v: number): DescribedConfig {
  return {
    ...config,
    configSource: v >= 1 ? config.configSource : -1,
    synonyms: v >= 1 ? config.synonyms : [],
    configType: v >= 3 ? config.configType : 0,
    documentation: v >= 3 ? config.documentation : null,
  }
}

describe('DescribeConfigs codec', () => {
  it.each(eachVersion(describeConfigsVersions))('round-trips the request at v%i', (v) => {
    expect(roundTrip(encodeDescribeConfigsRequest, decodeDescribeConfigsRequest, v, flexible(v), request)).toEqual({
      ...request,
      includeSynonyms: v >= 1,
      includeDocumentation: v >= 3,
    })
  })

  it.each(eachVersion(describeConfigsVersions))('round-trips the response at v%i', (v) => {
    expect(roundTrip(encodeDescribeConfigsResponse, decodeDescribeConfigsResponse, v, flexible(v), response)).toEqual({
      ...response,
      results: response.results.map((result) => ({ ...result, configs: result.configs.map((c) => configAt(c, v)) })),
    })
  })

  it('sends is_default in v0 and config_source from v1, and reads is_default back from either', () => {
    const one = { ...response, results: [{ ...response.results[0]!, configs: [policy] }] }
    const v0 = encodeAt(encodeDescribeConfigsResponse, 0, flexible(0), one)
    const v1 = encodeAt(encodeDescribeConfigsResponse, 1, flexible(1), one)
    // throttle, results, error_code, null error_message, resource_type, resource_name, configs, name, value, read_only
    const flagsAt = [4, 4, 2, 2, 1, 2 + 'orders'.length, 4, 2 + 'cleanup.policy'.length, 2 + 'delete'.length, 1].reduce((a, b) => a + b)
    expect(v0[flagsAt]).toBe(1)
    expect(v1[flagsAt]).toBe(ConfigSource.DEFAULT_CONFIG)
  })

  it.each([0, 1, 2])('encodes the v%i request byte for byte as kafkajs does', async (v) => {
    const theirs = await kafkajsRequestBody('describeConfigs', v, {
      resources: request.resources.map((r) => ({ type: r.resourceType, name: r.resourceName, configNames: r.configurationKeys ?? [] })),
      includeSynonyms: request.includeSynonyms,
    })
    expect(encodeAt(encodeDescribeConfigsRequest, v, flexible(v), request).toString('hex')).toBe(theirs.toString('hex'))
  })

  it.each([0, 1, 2])('encodes a v%i response kafkajs reads', async (v) => {
    const decoded = (await kafkajsDecodeResponse(
      'describeConfigs',
      v,
      encodeAt(encodeDescribeConfigsResponse, v, flexible(v), response),
    )) as {
      resources: Array<{
        errorCode: number
        errorMessage: string | null
        resourceName: string
        configEntries: Array<Record<string, unknown>>
      }>
    }
    expect(decoded.resources.map((r) => [r.resourceName, r.errorCode, r.errorMessage])).toEqual([
      ['orders', 0, null],
      ['gone', 3, 'topic gone does not exist'],
    ])
    expect(decoded.resources[0]!.configEntries).toEqual(
      [retention, policy].map((c) => ({
        configName: c.name,
        configValue: c.value,
        readOnly: c.readOnly,
        isDefault: c.isDefault,
        // kafkajs fills v0's source in from is_default and the resource type, as Kafka's client does.
        configSource: v >= 1 ? c.configSource : c.isDefault ? ConfigSource.DEFAULT_CONFIG : ConfigSource.TOPIC_CONFIG,
        isSensitive: c.isSensitive,
        ...(v >= 1
          ? { configSynonyms: c.synonyms.map((s) => ({ configName: s.name, configValue: s.value, configSource: s.source })) }
          : {}),
      })),
    )
  })
})
