/**
 * Builds a connector's transform chain from Kafka Connect's keys: `transforms=a,b`,
 * `transforms.a.type=<name or class>`, `transforms.a.<prop>=…`, optional `transforms.a.predicate` and
 * `transforms.a.negate`, and `predicates=p`, `predicates.p.type=…`. Every problem is reported at
 * once; a transform that throws at run time surfaces as TRB_TRANSFORM_FAILED naming it.
 */
import { TributaryError, isTributaryError } from '../../errors.ts'
import { JsonBytes, type ConnectRecord, type ConnectorConfig } from '../plugin.ts'
import { payloadFromJson } from '../schema/connect-json-payload.ts'
import { parseJsonLossless } from '../schema/lossless-json.ts'
import type { Schema } from '../schema/schema.ts'
import type { ConfigProblem } from '../validate-connector.ts'
import { extractNewState } from './extract-new-state.ts'
import { filter } from './filter.ts'
import { insertField } from './insert-field.ts'
import { maskField } from './mask-field.ts'
import { findPredicate } from './predicates.ts'
import { dropFields, replaceField } from './replace-field.ts'
import { routeRegex } from './route-regex.ts'
import { timestampConvert } from './timestamp-convert.ts'
import type { Target, Transform, TransformPlugin } from './transform.ts'

export const transformPlugins: readonly TransformPlugin[] = [
  insertField,
  replaceField,
  dropFields,
  maskField,
  filter,
  routeRegex,
  extractNewState,
  timestampConvert,
]

export interface TransformChain {
  readonly names: readonly string[]
  apply<R extends ConnectRecord>(record: R): R | null
}

interface Step {
  readonly name: string
  readonly transform: Transform
  readonly when: ((record: ConnectRecord) => boolean) | undefined
}

/**
 * The data transforms see for a side a connector gave as JSON bytes: the parsed JSON, or with a
 * schema, the payload read back into the data that schema describes (Dates, Decimal text, Buffers).
 */
function dataOf(data: unknown, schema: Schema | undefined): unknown {
  if (!(data instanceof JsonBytes)) return data
  if (schema === undefined) return data.toJSON()
  try {
    return payloadFromJson(schema, parseJsonLossless(data.bytes.toString('utf8')))
  } catch (error) {
    throw new TributaryError('TRB_TRANSFORM_FAILED', `the record's JSON does not fit its schema: ${(error as Error).message}`, {
      cause: error,
      details: { stage: 'TRANSFORMATION' },
    })
  }
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
}

function propsUnder(config: ConnectorConfig, prefix: string, skip: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith(prefix) && !skip.includes(key.slice(prefix.length)))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  )
}

function findTransform(type: string): { plugin: TransformPlugin; target: Target } | undefined {
  for (const plugin of transformPlugins) {
    if (plugin.name === type) return { plugin, target: 'value' }
    if (plugin.aliases.includes(type)) return { plugin, target: type.endsWith('$Key') ? 'key' : 'value' }
  }
  return undefined
}

function compile(config: ConnectorConfig): { steps: Step[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = []
  const predicates = new Map<string, (record: ConnectRecord) => boolean>()
  for (const name of list(config.predicates)) {
    const type = config[`predicates.${name}.type`]
    const plugin = type === undefined ? undefined : findPredicate(type)
    if (plugin === undefined) {
      problems.push({ key: `predicates.${name}.type`, message: type === undefined ? 'is required' : `unknown predicate "${type}"` })
      continue
    }
    const parsed = plugin.config.safeParse(propsUnder(config, `predicates.${name}.`, ['type']))
    if (!parsed.success)
      problems.push(...parsed.error.issues.map((issue) => ({ key: `predicates.${name}.${issue.path.join('.')}`, message: issue.message })))
    else predicates.set(name, plugin.create(parsed.data as never))
  }
  const steps: Step[] = []
  for (const name of list(config.transforms)) {
    const prefix = `transforms.${name}.`
    const type = config[`${prefix}type`]
    const found = type === undefined ? undefined : findTransform(type)
    if (found === undefined) {
      problems.push({
        key: `${prefix}type`,
        message:
          type === undefined ? 'is required' : `unknown transform "${type}"; known: ${transformPlugins.map((p) => p.name).join(', ')}`,
      })
      continue
    }
    const props = propsUnder(config, prefix, ['type', 'predicate', 'negate'])
    const target: Target = props.target === 'key' ? 'key' : found.target
    delete props.target
    const parsed = found.plugin.config.safeParse(props)
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((issue) => ({ key: `${prefix}${issue.path.join('.')}`, message: issue.message })))
      continue
    }
    const predicateName = config[`${prefix}predicate`]
    const negate = config[`${prefix}negate`] === 'true'
    let when: Step['when']
    if (predicateName !== undefined) {
      const test = predicates.get(predicateName)
      if (test === undefined) problems.push({ key: `${prefix}predicate`, message: `no predicate named "${predicateName}" in predicates` })
      else when = negate ? (record) => !test(record) : test
    }
    steps.push({ name, transform: found.plugin.create(parsed.data, target), when })
  }
  return { steps, problems }
}

export function validateTransformConfig(config: ConnectorConfig): ConfigProblem[] {
  return compile(config).problems
}

export function buildTransformChain(config: ConnectorConfig): TransformChain {
  const { steps, problems } = compile(config)
  if (problems.length > 0) {
    throw new TributaryError(
      'TRB_CONNECTOR_CONFIG_INVALID',
      `invalid transforms: ${problems.map((p) => `${p.key}: ${p.message}`).join('; ')}`,
      { details: { problems } },
    )
  }
  return {
    names: steps.map((step) => step.name),
    apply<R extends ConnectRecord>(record: R): R | null {
      if (steps.length === 0) return record
      let current: R | null =
        record.key instanceof JsonBytes || record.value instanceof JsonBytes
          ? { ...record, key: dataOf(record.key, record.keySchema), value: dataOf(record.value, record.valueSchema) }
          : record
      for (const step of steps) {
        if (current === null) return null
        if (step.when !== undefined && !step.when(current)) continue
        try {
          current = step.transform.apply(current)
        } catch (error) {
          if (isTributaryError(error, 'TRB_TRANSFORM_FAILED') && error.details.transform !== undefined) throw error
          throw new TributaryError('TRB_TRANSFORM_FAILED', `transform ${step.name} failed: ${(error as Error).message}`, {
            cause: error,
            details: { transform: step.name, stage: 'TRANSFORMATION' },
          })
        }
      }
      return current
    },
  }
}
