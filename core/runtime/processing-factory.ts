/** Builds a connector's record processing (converters + transform chain) and lists the extras for the API. */
import { converterNames, createConverters, validateConverterConfig } from './converters.ts'
import type { ConnectorConfig } from './plugin.ts'
import type { RecordProcessing } from './record-processing.ts'
import type { RegistryServices } from './registry-converter-config.ts'
import { buildTransformChain, transformPlugins, validateTransformConfig } from './transforms/chain.ts'
import { predicatePlugins } from './transforms/predicates.ts'
import type { ConfigProblem } from './validate-connector.ts'

/** Builds processing whose registry converters reach the registry through `services`. */
export function recordProcessingWith(services: RegistryServices) {
  return {
    build(config: ConnectorConfig): RecordProcessing {
      const { key, value } = createConverters(config, services)
      return { key, value, transforms: buildTransformChain(config) }
    },
    validate(config: ConnectorConfig): ConfigProblem[] {
      return [...validateConverterConfig(config), ...validateTransformConfig(config)]
    },
  }
}

/** Without a built-in registry: what tools that only validate use. */
export const recordProcessing = recordProcessingWith({})

/** A plugin that is not a connector (a transform, predicate or converter), as `GET /connector-plugins` lists it. */
export interface ExtraPlugin {
  readonly class: string
  readonly type: 'transformation' | 'predicate' | 'converter'
  readonly version: string
}

export const extraPlugins: readonly ExtraPlugin[] = [
  ...transformPlugins.map((plugin) => ({ class: plugin.name, type: 'transformation' as const, version: '' })),
  ...predicatePlugins.map((plugin) => ({ class: plugin.name, type: 'predicate' as const, version: '' })),
  ...converterNames.filter((name) => !name.includes('.')).map((name) => ({ class: name, type: 'converter' as const, version: '' })),
]
