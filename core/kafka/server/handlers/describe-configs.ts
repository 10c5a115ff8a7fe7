/**
 * DescribeConfigs: a topic's configs (every topic config key, set or default, all writable) and a
 * few settings of broker "0" (read-only: they come from how the listener was started). Each
 * resource is answered on its own.
 */
import { TributaryError } from '../../../errors.ts'
import { validateTopicName } from '../../../log/topic-config.ts'
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  ConfigResourceType,
  ConfigSource,
  ConfigType,
  decodeDescribeConfigsRequest,
  describeConfigsVersions,
  encodeDescribeConfigsResponse,
  type DescribeConfigsRequest,
  type DescribeConfigsResource,
  type DescribeConfigsResponse,
  type DescribeConfigsResult,
  type DescribedConfig,
} from '../../protocol/apis/describe-configs.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { adminError } from '../admin-error.ts'
import { defineHandler, type RequestContext } from '../api-handler.ts'
import { canCluster, canTopic } from '../auth/can.ts'
import type { Broker } from '../broker.ts'
import { topicConfigEntries } from '../topic-config-entries.ts'

export const describeConfigsHandler = defineHandler({
  apiKey: ApiKey.DescribeConfigs,
  versions: describeConfigsVersions,
  decodeRequest: decodeDescribeConfigsRequest,
  handle: async (request: DescribeConfigsRequest, context): Promise<DescribeConfigsResponse> => ({
    throttleTimeMs: 0,
    results: request.resources.map((resource) =>
      isAllowed(context, resource) ? describeResource(context.broker, resource, request) : refused(resource),
    ),
  }),
  encodeResponse: encodeDescribeConfigsResponse,
})

function isAllowed(context: RequestContext, { resourceType, resourceName }: DescribeConfigsResource): boolean {
  if (resourceType === ConfigResourceType.TOPIC) return canTopic(context, 'DescribeConfigs', resourceName)
  if (resourceType === ConfigResourceType.BROKER) return canCluster(context, 'DescribeConfigs')
  return true
}

/** Kafka's answer to a resource the principal may not describe. */
function refused({ resourceType, resourceName }: DescribeConfigsResource): DescribeConfigsResult {
  const isTopic = resourceType === ConfigResourceType.TOPIC
  return {
    errorCode: isTopic ? KafkaError.TOPIC_AUTHORIZATION_FAILED : KafkaError.CLUSTER_AUTHORIZATION_FAILED,
    errorMessage: `not authorized to describe the configs of ${isTopic ? 'topic' : 'broker'} ${resourceName}`,
    resourceType,
    resourceName,
    configs: [],
  }
}

function describeResource(broker: Broker, resource: DescribeConfigsResource, request: DescribeConfigsRequest): DescribeConfigsResult {
  const { resourceType, resourceName } = resource
  const answer = (errorCode: number, errorMessage: string | null, configs: readonly DescribedConfig[] = []): DescribeConfigsResult => ({
    errorCode,
    errorMessage,
    resourceType,
    resourceName,
    configs,
  })
  try {
    let configs: DescribedConfig[]
    if (resourceType === ConfigResourceType.TOPIC) configs = topicConfigs(broker, resourceName, request)
    else if (resourceType === ConfigResourceType.BROKER) {
      // "" names the cluster-wide dynamic defaults, of which there are none.
      if (resourceName === '') configs = []
      else if (resourceName === String(broker.nodeId)) configs = brokerConfigs(broker, request)
      else
        return answer(
          KafkaError.INVALID_REQUEST,
          `Unexpected broker id, expected ${broker.nodeId} or empty string, but received ${resourceName}`,
        )
    } else return answer(KafkaError.INVALID_REQUEST, `Unsupported resource type: ${resourceType}`)
    const keys = resource.configurationKeys
    return answer(KafkaError.NONE, null, keys === null ? configs : configs.filter((config) => keys.includes(config.name)))
  } catch (error) {
    const { errorCode, errorMessage } = adminError(error, broker, { api: 'DescribeConfigs', resourceType, resourceName })
    return answer(errorCode, errorMessage)
  }
}

function topicConfigs(broker: Broker, topic: string, request: DescribeConfigsRequest): DescribedConfig[] {
  validateTopicName(topic)
  if (!broker.log.hasTopic(topic)) {
    throw new TributaryError('TRB_TOPIC_NOT_FOUND', `topic ${topic} does not exist`, { details: { topic } })
  }
  return topicConfigEntries(broker.log.topicConfig(topic), {
    overrides: broker.log.topicConfigOverrides(topic),
    includeSynonyms: request.includeSynonyms,
    includeDocumentation: request.includeDocumentation,
  })
}

function brokerConfigs(broker: Broker, request: DescribeConfigsRequest): DescribedConfig[] {
  const settings: ReadonlyArray<readonly [name: string, value: string, type: number, documentation: string]> = [
    [
      'auto.create.topics.enable',
      String(broker.autoCreateTopics),
      ConfigType.BOOLEAN,
      'Metadata and Produce create topics that do not exist',
    ],
    ['broker.id', String(broker.nodeId), ConfigType.INT, 'This broker is node 0, the only node of its cluster'],
    ['default.replication.factor', '1', ConfigType.INT, 'Every partition has one replica, on this broker'],
    ['num.partitions', String(broker.defaultPartitions), ConfigType.INT, 'Partitions of an auto-created topic'],
  ]
  const source = ConfigSource.STATIC_BROKER_CONFIG
  return settings.map(([name, value, configType, documentation]) => ({
    name,
    value,
    readOnly: true,
    isDefault: false,
    configSource: source,
    isSensitive: false,
    synonyms: request.includeSynonyms ? [{ name, value, source }] : [],
    configType,
    documentation: request.includeDocumentation ? documentation : null,
  }))
}
