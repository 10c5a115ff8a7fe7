/**
 * AlterConfigs: kafkajs's alterConfigs. As Kafka, the configs given replace the resource's whole set
 * of overrides: a topic override left out of the request goes back to its default. Checks, errors
 * and authorization (AlterConfigs on the topic, or on the cluster for the broker) are shared with
 * IncrementalAlterConfigs in config-alteration.ts.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  alterConfigsVersions,
  decodeAlterConfigsRequest,
  encodeAlterConfigsResponse,
  type AlterConfigsResource,
} from '../../protocol/apis/alter-configs.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import { alterConfigsHandle, refusal } from '../config-alteration.ts'
import { isTopicConfigKey } from '../topic-config-entries.ts'

export const alterConfigsHandler = defineHandler({
  apiKey: ApiKey.AlterConfigs,
  versions: alterConfigsVersions,
  decodeRequest: decodeAlterConfigsRequest,
  handle: alterConfigsHandle<AlterConfigsResource>((resource, current) => {
    const next: Record<string, string | undefined> = {}
    for (const name of Object.keys(current)) next[name] = undefined
    for (const { name, value } of resource.configs) {
      if (value === null) throw refusal(KafkaError.INVALID_REQUEST, `Null value not supported for : ${name}`)
      if (!isTopicConfigKey(name)) throw refusal(KafkaError.INVALID_CONFIG, `Unknown topic config name: ${name}`)
      next[name] = value
    }
    return next
  }),
  encodeResponse: encodeAlterConfigsResponse,
})
