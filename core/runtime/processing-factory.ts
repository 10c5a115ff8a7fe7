/** Builds a connector's record processing (converters + transform chain) and lists the extras for the API. */
import type { ExtraPlugin } from '../api/routes/connector-plugins.ts'
import { converterNames, createConverters, validateConverterConfig } from './converters.ts'
import type { ConnectorConfig } from './plugin.ts'
import type { RecordProcessing } from './record-processing.ts'
import { buildTransformChain, transformPlugins, validateTransformConfig } from './transforms/chain.ts'
import { predicatePlugins } from './transforms/predicates.ts'
import type { ConfigProblem } from './validate-connector.ts'

export const recordProcessing = {
  build(config: ConnectorConfig): RecordProcessing {
    const { key, value } = createConverters(config)
    return { key, value, transforms: buildTransformChain(config) }
  },
  validate(config: ConnectorConfig): ConfigProblem[] {
    return [...validateConverterConfig(config), ...validateTransformConfig(config)]
  },
}

export const extraPlugins: readonly ExtraPlugin[] = [
  ...transformPlugins.map((plugin) => ({ class: plugin.name, type: 'transformation' as const, version: '' })),
  ...predicatePlugins.map((plugin) => ({ class: plugin.name, type: 'predicate' as const, version: '' })),
  ...converterNames.filter((name) => !name.includes('.')).map((name) => ({ class: name, type: 'converter' as const, version: '' })),
]
