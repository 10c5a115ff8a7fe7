/**
 * What AlterConfigs and IncrementalAlterConfigs share: each resource authorized and answered on its
 * own, with the checks, error codes and messages a Kafka 4 broker gives. A topic's
 * configs change through EmbeddedLog.alterTopicConfig, so they take effect at once and are kept in
 * topic.json across restarts; validateOnly checks everything and changes nothing. The broker's
 * settings are fixed when the listener starts, so changing any of them is refused as Kafka refuses a
 * config that cannot be updated dynamically.
 */
import { TributaryError } from '../../errors.ts'
import { topicConfigSchema, validateTopicName } from '../../log/topic-config.ts'
import type { AlterConfigsResourceResponse, AlterConfigsResponse } from '../protocol/apis/alter-configs.ts'
import { ConfigResourceType } from '../protocol/apis/describe-configs.ts'
import { KafkaError } from '../protocol/error-codes.ts'
import { adminError } from './admin-error.ts'
import type { RequestContext } from './api-handler.ts'
import { canCluster, canTopic } from './auth/can.ts'
import { isTopicConfigKey } from './topic-config-entries.ts'

/** One resource of either request: the configs it names, with whatever else each request gives. */
export interface ConfigResource {
  readonly resourceType: number
  readonly resourceName: string
  readonly configs: ReadonlyArray<{ readonly name: string }>
}

/**
 * The topic's new overrides (name → value; undefined removes one) from its current ones, or a thrown
 * TributaryError naming the Kafka error: what the two APIs do differently.
 */
export type TopicConfigChange<R extends ConfigResource> = (
  resource: R,
  current: Readonly<Record<string, string>>,
) => Record<string, string | undefined>

/** The handle function of AlterConfigs or IncrementalAlterConfigs, given how it changes a topic. */
export function alterConfigsHandle<R extends ConfigResource>(changeTopic: TopicConfigChange<R>) {
  return async (
    request: { readonly resources: readonly R[]; readonly validateOnly: boolean },
    context: RequestContext,
  ): Promise<AlterConfigsResponse> => ({
    throttleTimeMs: 0,
    responses: await alterConfigResources(context, request.resources, request.validateOnly, changeTopic),
  })
}

async function alterConfigResources<R extends ConfigResource>(
  context: RequestContext,
  resources: readonly R[],
  validateOnly: boolean,
  changeTopic: TopicConfigChange<R>,
): Promise<AlterConfigsResourceResponse[]> {
  const seen = new Map<string, number>()
  for (const { resourceType, resourceName } of resources)
    seen.set(`${resourceType}:${resourceName}`, (seen.get(`${resourceType}:${resourceName}`) ?? 0) + 1)
  const results: AlterConfigsResourceResponse[] = []
  for (const resource of resources) {
    const { resourceType, resourceName } = resource
    const answer = (errorCode: number, errorMessage: string | null) => results.push({ errorCode, errorMessage, resourceType, resourceName })
    if (seen.get(`${resourceType}:${resourceName}`)! > 1) {
      answer(KafkaError.INVALID_REQUEST, 'Each resource must appear at most once.')
      continue
    }
    try {
      await alterResource(context, resource, validateOnly, changeTopic)
      answer(KafkaError.NONE, null)
    } catch (error) {
      const { errorCode, errorMessage } = adminError(error, context.broker, { api: 'AlterConfigs', resourceType, resourceName })
      answer(errorCode, errorMessage)
    }
  }
  return results
}

/** A refusal with Kafka's error code and message. */
export function refusal(kafkaErrorCode: number, message: string): TributaryError {
  return new TributaryError('TRB_CONFIG_INVALID', message, { details: { kafkaErrorCode } })
}

async function alterResource<R extends ConfigResource>(
  context: RequestContext,
  resource: R,
  validateOnly: boolean,
  changeTopic: TopicConfigChange<R>,
): Promise<void> {
  const { resourceType, resourceName } = resource
  const names = resource.configs.map((config) => config.name)
  if (resourceType === ConfigResourceType.TOPIC) {
    if (!canTopic(context, 'AlterConfigs', resourceName))
      throw refusal(KafkaError.TOPIC_AUTHORIZATION_FAILED, 'Topic authorization failed.')
  } else if (resourceType === ConfigResourceType.BROKER) {
    if (!canCluster(context, 'AlterConfigs')) throw refusal(KafkaError.CLUSTER_AUTHORIZATION_FAILED, 'Cluster authorization failed.')
  } else {
    throw refusal(KafkaError.INVALID_REQUEST, `Unknown resource type ${resourceType}`)
  }
  if (new Set(names).size !== names.length) throw refusal(KafkaError.INVALID_REQUEST, 'Error due to duplicate config keys')
  if (resourceType === ConfigResourceType.BROKER) {
    const nodeId = String(context.broker.nodeId)
    if (resourceName !== '' && resourceName !== nodeId)
      throw refusal(KafkaError.INVALID_REQUEST, `Unexpected broker id, expected ${nodeId}, but received ${resourceName}`)
    if (names.length > 0) throw refusal(KafkaError.INVALID_REQUEST, `Cannot update these configs dynamically: [${names.join(', ')}]`)
    return
  }
  const log = context.broker.log
  validateTopicName(resourceName)
  if (!log.hasTopic(resourceName)) throw refusal(KafkaError.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${resourceName}' does not exist.`)
  const config = log.topicConfig(resourceName)
  const current: Record<string, string> = {}
  for (const name of log.topicConfigOverrides(resourceName)) if (isTopicConfigKey(name)) current[name] = String(config[name])
  const changes = changeTopic(resource, current)
  for (const [name, value] of Object.entries(changes)) if (value !== undefined) checkTopicConfigValue(name, value)
  if (!validateOnly) await log.alterTopicConfig(resourceName, changes)
}

/** A topic config value checked on its own, refused with Kafka's INVALID_CONFIG message. */
function checkTopicConfigValue(name: string, value: string): void {
  if (!isTopicConfigKey(name)) throw refusal(KafkaError.INVALID_CONFIG, `Unknown topic config name: ${name}`)
  // The schema reads numbers with Number(), which takes '' for 0.
  const parsed = value.trim() === '' ? undefined : topicConfigSchema.shape[name].safeParse(value)
  if (parsed?.success !== true) {
    const reason = parsed?.error.issues[0]?.message ?? 'an empty value is not valid'
    throw refusal(KafkaError.INVALID_CONFIG, `Invalid value ${value} for configuration ${name}: ${reason}`)
  }
}
