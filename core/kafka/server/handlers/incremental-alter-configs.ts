/**
 * IncrementalAlterConfigs: the Java Admin client's incrementalAlterConfigs. Each config has its own
 * operation: SET a value, DELETE an override (a key the topic does not have is no error), APPEND to
 * or SUBTRACT from a list-valued config such as cleanup.policy, starting from its default when it
 * is not set. Checks, errors and authorization are shared with AlterConfigs in config-alteration.ts.
 */
import { topicConfigSchema } from '../../../log/topic-config.ts'
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  ConfigOperation,
  decodeIncrementalAlterConfigsRequest,
  encodeIncrementalAlterConfigsResponse,
  incrementalAlterConfigsVersions,
  type IncrementalAlterConfigsResource,
} from '../../protocol/apis/incremental-alter-configs.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import { alterConfigsHandle, refusal } from '../config-alteration.ts'
import { isListConfig, isTopicConfigKey } from '../topic-config-entries.ts'

const operationNames = new Map<number, string>(Object.entries(ConfigOperation).map(([name, op]) => [op, name]))

export const incrementalAlterConfigsHandler = defineHandler({
  apiKey: ApiKey.IncrementalAlterConfigs,
  versions: incrementalAlterConfigsVersions,
  decodeRequest: decodeIncrementalAlterConfigsRequest,
  handle: alterConfigsHandle(changeTopic),
  encodeResponse: encodeIncrementalAlterConfigsResponse,
})

function changeTopic(
  resource: IncrementalAlterConfigsResource,
  current: Readonly<Record<string, string>>,
): Record<string, string | undefined> {
  const next: Record<string, string | undefined> = {}
  for (const { name, configOperation, value } of resource.configs) {
    const operation = operationNames.get(configOperation)
    if (operation === undefined) throw refusal(KafkaError.INVALID_REQUEST, `Unknown config operation ${configOperation} for ${name}`)
    if (operation === 'DELETE') {
      if (isTopicConfigKey(name)) next[name] = undefined
      continue
    }
    if (value === null) throw refusal(KafkaError.INVALID_REQUEST, `Null value not supported for : ${name}`)
    if (!isTopicConfigKey(name)) throw refusal(KafkaError.INVALID_CONFIG, `Unknown topic config name: ${name}`)
    if (operation === 'SET') {
      next[name] = value
      continue
    }
    if (!isListConfig(name)) throw refusal(KafkaError.INVALID_CONFIG, `Can't ${operation} to key ${name} because its type is not LIST.`)
    const old = listOf(current[name] ?? String(topicConfigSchema.shape[name].parse(undefined)))
    const given = listOf(value)
    next[name] = (
      operation === 'APPEND' ? [...old, ...given.filter((item) => !old.includes(item))] : old.filter((item) => !given.includes(item))
    ).join(',')
  }
  return next
}

function listOf(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}
