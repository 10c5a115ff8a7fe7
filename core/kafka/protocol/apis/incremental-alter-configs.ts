/**
 * IncrementalAlterConfigs (key 44), versions 0-1; flexible from 1. The Java Admin client's
 * incrementalAlterConfigs (and kafka-configs.sh): changes single configs of a resource, each with
 * an operation: SET, DELETE (back to the default), or APPEND and SUBTRACT for list-valued configs.
 * The request differs from AlterConfigs' only in each config's operation, and the response is
 * AlterConfigs' layout: both come from alter-configs.ts.
 *
 * IncrementalAlterConfigs Request (Version: 0-1) => [resources] validate_only TAG_BUFFER(1+)
 *   resources => resource_type resource_name [configs] TAG_BUFFER(1+)
 *     configs => name config_operation value(nullable) TAG_BUFFER(1+)
 * IncrementalAlterConfigs Response (Version: 0-1) => throttle_time_ms [responses] TAG_BUFFER(1+)
 *   responses => error_code error_message(nullable) resource_type resource_name TAG_BUFFER(1+)
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'
import { readConfigResources, writeConfigResources } from './alter-configs.ts'

export {
  decodeAlterConfigsResponse as decodeIncrementalAlterConfigsResponse,
  encodeAlterConfigsResponse as encodeIncrementalAlterConfigsResponse,
} from './alter-configs.ts'
export type { AlterConfigsResponse as IncrementalAlterConfigsResponse } from './alter-configs.ts'

export const incrementalAlterConfigsVersions = { min: 0, max: 1, flexibleFrom: 1 } as const

/** Kafka's AlterConfigOp.OpType numbers. */
export const ConfigOperation = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const

export interface IncrementalAlterConfigsResource {
  readonly resourceType: number
  readonly resourceName: string
  readonly configs: ReadonlyArray<{ readonly name: string; readonly configOperation: number; readonly value: string | null }>
}

export interface IncrementalAlterConfigsRequest {
  readonly resources: readonly IncrementalAlterConfigsResource[]
  readonly validateOnly: boolean
}

export function decodeIncrementalAlterConfigsRequest(r: KafkaReader): IncrementalAlterConfigsRequest {
  return readConfigResources(r, (c) => ({ name: c.string(), configOperation: c.int8(), value: c.nullableString() }))
}

export function encodeIncrementalAlterConfigsRequest(w: KafkaWriter, _v: number, request: IncrementalAlterConfigsRequest): void {
  writeConfigResources(w, request, (c, config) => c.string(config.name).int8(config.configOperation).nullableString(config.value))
}
