/**
 * Describes a zod config schema as Kafka Connect's ConfigKeyInfo list, so
 * `GET /connector-plugins/{plugin}/config` and the validate endpoint speak its shape, and docs can be
 * generated from the same schema that validates.
 */
import { z, type ZodType } from 'zod'

export interface ConfigKeyInfo {
  readonly name: string
  readonly type: 'STRING' | 'INT' | 'LONG' | 'DOUBLE' | 'BOOLEAN' | 'LIST' | 'PASSWORD'
  readonly required: boolean
  readonly default_value: string | null
  readonly importance: 'HIGH' | 'MEDIUM' | 'LOW'
  readonly documentation: string
  readonly group: string
  readonly order_in_group: number
  readonly width: 'NONE'
  readonly display_name: string
  readonly dependents: string[]
  readonly recommended_values?: string[]
}

interface JsonSchemaNode {
  type?: string
  enum?: unknown[]
  anyOf?: JsonSchemaNode[]
  description?: string
  default?: unknown
}

export function describeConfigKeys(schema: ZodType, group: string, secretPattern?: RegExp): ConfigKeyInfo[] {
  let json: { properties?: Record<string, JsonSchemaNode>; required?: string[] }
  try {
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as typeof json
  } catch {
    return []
  }
  const required = new Set(json.required ?? [])
  const shape = (schema as { shape?: Readonly<Record<string, unknown>> }).shape
  return Object.entries(json.properties ?? {}).map(([name, node], index) => {
    const isRequired = required.has(name)
    const enumValues = node.enum ?? node.anyOf?.flatMap((option) => option.enum ?? [])
    return {
      name,
      type: secretPattern?.test(name) ? 'PASSWORD' : kafkaType(node),
      required: isRequired,
      default_value: defaultText(node.default ?? declaredDefault(shape?.[name])),
      importance: isRequired ? 'HIGH' : 'MEDIUM',
      documentation: node.description ?? '',
      group,
      order_in_group: index + 1,
      width: 'NONE',
      display_name: name,
      dependents: [],
      ...(enumValues !== undefined && enumValues.length > 0 && { recommended_values: enumValues.map(String) }),
    }
  })
}

function defaultText(value: unknown): string | null {
  return value === undefined ? null : String(value)
}

/**
 * A default the input-side JSON schema leaves out: one given after a transform (`true` for a
 * `'true' | 'false'` key read as a boolean) belongs to the output side, but the config holds its text.
 */
function declaredDefault(field: unknown): unknown {
  const def = (field as { _zod?: { def?: { type?: string; defaultValue?: unknown } } } | undefined)?._zod?.def
  return def?.type === 'default' ? def.defaultValue : undefined
}

function kafkaType(node: JsonSchemaNode): ConfigKeyInfo['type'] {
  const types = new Set([node.type, ...(node.anyOf ?? []).map((option) => option.type)].filter(Boolean))
  if (types.has('integer')) return 'LONG'
  if (types.has('number')) return 'DOUBLE'
  if (types.has('boolean')) return 'BOOLEAN'
  if (types.has('array')) return 'LIST'
  return 'STRING'
}
