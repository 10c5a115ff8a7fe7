/**
 * Confluent's AvroConverter, the way back: an Avro schema (parsed JSON, as the registry hands it out)
 * as the Connect schema AvroData's toConnectSchema makes of it. The `connect.*` properties that
 * avro-data.ts writes restore what Avro cannot say (int8, names, versions, parameters, defaults), so
 * a schema goes there and back unchanged; Avro from elsewhere maps as AvroData maps it: a union of null
 * and one type is that type made optional, any other union a struct of optional branches, an enum a
 * string with its symbols as parameters, a fixed bytes with its size.
 */
import { DECIMAL, DECIMAL_PRECISION, Logical } from './logical.ts'
import { Schemas, withOptions, type Schema, type SchemaOptions } from './schema.ts'
import type { AvroSchemaJson } from './avro-data.ts'
import {
  AVRO_ENUM,
  AVRO_NAMESPACE,
  AVRO_UNION,
  CONNECT_DEFAULT_NAME,
  FIELD_DEFAULT_FLAG,
  FIELD_DOC_PREFIX,
  FIXED_SIZE,
  MAP_ENTRY,
  RECORD_DOC,
} from './avro-names.ts'
import { defaultFromJson } from './avro-default.ts'

type Json = Record<string, unknown>

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'])
const DEFAULT_PRECISION = 64
const cache = new WeakMap<object, Schema>()

/** A named type as defined, with the namespace its unqualified names resolve in. */
interface Named {
  node: Json
  fullName: string
  space: string | undefined
}

interface Context {
  readonly named: Map<string, Named>
  /** Records being read: one met again inside itself is a recursive type, which Connect cannot hold. */
  readonly open: Set<string>
}

/** The Connect schema of an Avro schema; the same object for the same (object) Avro schema. */
export function connectSchemaOf(avro: AvroSchemaJson): Schema {
  if (typeof avro === 'string') return toConnect(avro, undefined, newContext(), false, undefined)
  let schema = cache.get(avro)
  if (schema === undefined) {
    schema = toConnect(avro, undefined, newContext(), false, undefined)
    cache.set(avro, schema)
  }
  return schema
}

const newContext = (): Context => ({ named: new Map(), open: new Set() })

const isJson = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value)

/** A type reference or definition, resolved: the JSON of the type and the namespace around it. */
function resolve(
  node: unknown,
  space: string | undefined,
  context: Context,
): { node: Json | unknown[]; space: string | undefined; named?: Named } {
  if (Array.isArray(node)) return { node, space }
  if (typeof node === 'string') {
    if (PRIMITIVES.has(node)) return { node: { type: node }, space }
    const named = context.named.get(node.includes('.') || space === undefined ? node : `${space}.${node}`) ?? context.named.get(node)
    if (named === undefined) throw new Error(`Avro schema: unknown type name ${node}`)
    return { node: named.node, space: named.space, named }
  }
  if (!isJson(node)) throw new Error(`Avro schema: ${JSON.stringify(node)} is not a type`)
  if (
    typeof node.type !== 'string' ||
    (!PRIMITIVES.has(node.type) && !['record', 'error', 'enum', 'fixed', 'array', 'map'].includes(node.type))
  ) {
    return resolve(node.type, space, context) // {"type": "SomeName"} or {"type": {...}}
  }
  if (node.type === 'record' || node.type === 'error' || node.type === 'enum' || node.type === 'fixed') {
    const name = String(node.name)
    const namespace = name.includes('.')
      ? name.slice(0, name.lastIndexOf('.'))
      : typeof node.namespace === 'string'
        ? node.namespace === ''
          ? undefined
          : node.namespace
        : space
    const fullName = name.includes('.') || namespace === undefined ? name : `${namespace}.${name}`
    const named: Named = { node, fullName, space: namespace }
    if (!context.named.has(fullName)) context.named.set(fullName, named)
    return { node, space: namespace, named }
  }
  return { node, space }
}

function toConnect(
  avro: unknown,
  outer: string | undefined,
  context: Context,
  forceOptional: boolean,
  fieldDefault: { value: unknown } | undefined,
): Schema {
  const { node, space, named } = resolve(avro, outer, context)
  if (Array.isArray(node)) return unionToConnect(node, space, context, forceOptional)
  const type = node.type as string
  const connectType = node['connect.type']
  const logicalType = typeof node.logicalType === 'string' ? node.logicalType.toLowerCase() : undefined
  const parameters: Record<string, string> = {}
  let base: Schema
  switch (type) {
    case 'boolean':
      base = Schemas.boolean()
      break
    case 'bytes':
    case 'fixed':
      if (logicalType === 'decimal') {
        const scale = typeof node.scale === 'number' ? node.scale : 0
        base = Logical.decimal(scale)
        parameters.scale = String(scale)
        if (node.precision !== undefined) {
          if (typeof node.precision !== 'number') throw new Error('Avro schema: a decimal precision must be a JSON integer')
          if (node.precision !== DEFAULT_PRECISION) parameters[DECIMAL_PRECISION] = String(node.precision)
        }
      } else {
        base = Schemas.bytes()
      }
      if (type === 'fixed') parameters[FIXED_SIZE] = String(node.size)
      break
    case 'double':
      base = Schemas.float64()
      break
    case 'float':
      base = Schemas.float32()
      break
    case 'int':
      if (logicalType === 'date') base = Logical.date()
      else if (logicalType === 'time-millis') base = Logical.time()
      else if (logicalType !== undefined || connectType === undefined) base = Schemas.int32()
      else if (connectType === 'int8') base = Schemas.int8()
      else if (connectType === 'int16') base = Schemas.int16()
      else throw new Error(`Avro schema: unknown connect.type ${JSON.stringify(connectType)} on an int`)
      break
    case 'long':
      base = logicalType === 'timestamp-millis' ? Logical.timestamp() : Schemas.int64()
      break
    case 'string':
      base = Schemas.string()
      break
    case 'array': {
      const items = resolve(node.items, space, context)
      if (isJson(items.node) && items.named !== undefined && isMapEntry(items.node, items.named)) {
        const fields = (items.node.fields ?? []) as Json[]
        const key = fields.find((field) => field.name === 'key')
        const value = fields.find((field) => field.name === 'value')
        if (fields.length !== 2 || key === undefined || value === undefined)
          throw new Error('Avro schema: a map written as an array of entries must have a key and a value field')
        base = Schemas.map(
          toConnect(key.type, items.space, context, false, undefined),
          toConnect(value.type, items.space, context, false, undefined),
        )
      } else {
        base = Schemas.array(toConnect(node.items, space, context, false, undefined))
      }
      break
    }
    case 'map':
      base = Schemas.map(Schemas.string(), toConnect(node.values, space, context, false, undefined))
      break
    case 'record':
    case 'error':
      base = recordToConnect(node, named as Named, context, parameters)
      break
    case 'enum': {
      base = Schemas.string()
      const short = String(node.name).slice(String(node.name).lastIndexOf('.') + 1)
      if (typeof node.doc === 'string') parameters[`${AVRO_NAMESPACE}.enum.doc.${short}`] = node.doc
      if (typeof node.default === 'string') parameters[`${AVRO_NAMESPACE}.enum.default.${short}`] = node.default
      parameters[AVRO_ENUM] = (named as Named).fullName
      for (const symbol of (node.symbols ?? []) as string[]) parameters[`${AVRO_ENUM}.${symbol}`] = symbol
      break
    }
    case 'null':
      throw new Error('Avro schema: a null type stands only in a union')
    default:
      throw new Error(`Avro schema: unknown type ${type}`)
  }
  const options: { -readonly [K in keyof SchemaOptions]: SchemaOptions[K] } = {}
  if (typeof node['connect.doc'] === 'string') options.doc = node['connect.doc']
  const version = node['connect.version']
  if (version !== undefined) {
    if (typeof version !== 'number') throw new Error(`Avro schema: connect.version ${JSON.stringify(version)} is not a number`)
    if (base.version !== undefined && base.version !== version)
      throw new Error(`Avro schema: connect.version ${version} differs from ${base.version} of ${base.name}`)
    options.version = version
  }
  const connectParameters = node['connect.parameters']
  if (connectParameters !== undefined) {
    if (!isJson(connectParameters)) throw new Error('Avro schema: connect.parameters must be an object')
    for (const [key, value] of Object.entries(connectParameters)) {
      if (typeof value !== 'string') throw new Error(`Avro schema: connect.parameters ${key} must be a string`)
      parameters[key] = value
    }
  }
  for (const [key, value] of Object.entries(node))
    if (key.startsWith('avro')) parameters[key] = typeof value === 'string' ? value : JSON.stringify(value)
  const connectDefault = node['connect.default']
  let defaultNode = fieldDefault
  if (defaultNode === undefined) defaultNode = connectDefault === undefined ? undefined : { value: connectDefault }
  else if (connectDefault === undefined) parameters[FIELD_DEFAULT_FLAG] = 'true'
  let name: string | undefined
  if (node['connect.name'] !== undefined) {
    if (typeof node['connect.name'] !== 'string') throw new Error('Avro schema: connect.name must be a string')
    name = node['connect.name']
  } else if (type === 'record' || type === 'error' || type === 'enum' || (type === 'fixed' && base.name !== DECIMAL)) {
    name = (named as Named).fullName
  }
  if (name !== undefined && !name.startsWith(`${AVRO_NAMESPACE}.${CONNECT_DEFAULT_NAME}`)) {
    if (base.name !== undefined && base.name !== name) throw new Error(`Avro schema: name ${name} differs from ${base.name}`)
    options.name = name
  }
  if (forceOptional) options.optional = true
  if (Object.keys(parameters).length > 0) options.parameters = parameters
  let schema = withOptions(base, options)
  if (defaultNode !== undefined && defaultNode.value !== null) {
    try {
      schema = withOptions(schema, { defaultValue: defaultFromJson(schema, defaultNode.value) })
    } catch {
      // AvroData ignores a default it cannot read.
    }
  }
  return schema
}

function isMapEntry(node: Json, named: Named): boolean {
  return (node.type === 'record' && named.fullName === `${AVRO_NAMESPACE}.${MAP_ENTRY}`) || node['connect.internal.type'] === MAP_ENTRY
}

function recordToConnect(node: Json, named: Named, context: Context, parameters: Record<string, string>): Schema {
  if (context.open.has(named.fullName))
    throw new Error(`Avro schema: record ${named.fullName} contains itself, which a Connect schema cannot`)
  context.open.add(named.fullName)
  if (typeof node.doc === 'string') parameters[RECORD_DOC] = node.doc
  const fields = ((node.fields ?? []) as Json[]).map((field): [string, Schema] => {
    const name = String(field.name)
    if (typeof field.doc === 'string') parameters[FIELD_DOC_PREFIX + name] = field.doc
    let schema = toConnect(field.type, named.space, context, false, 'default' in field ? { value: field.default } : undefined)
    if (isJson(field['connect.parameters'])) schema = withFieldParameters(schema, field['connect.parameters'])
    return [name, schema]
  })
  context.open.delete(named.fullName)
  return Schemas.struct(fields)
}

/** A field's own `connect.parameters` (a named type met again with other parameters) over its type's. */
function withFieldParameters(schema: Schema, extra: Json): Schema {
  const current = schema.parameters ?? {}
  if (Object.entries(extra).every(([key, value]) => current[key] === String(value))) return schema
  return withOptions(schema, {
    parameters: { ...current, ...Object.fromEntries(Object.entries(extra).map(([key, value]) => [key, String(value)])) },
  })
}

function unionToConnect(types: unknown[], space: string | undefined, context: Context, forceOptional: boolean): Schema {
  const isNull = (type: unknown): boolean => type === 'null' || (isJson(type) && type.type === 'null')
  if (types.length === 2 && types.some(isNull))
    return toConnect(
      types.find((type) => !isNull(type)),
      space,
      context,
      true,
      undefined,
    )
  let optional = forceOptional
  const seen = new Set<string>()
  const fields: Array<[string, Schema]> = []
  for (const type of types) {
    if (isNull(type)) {
      optional = true
      continue
    }
    const resolved = resolve(type, space, context)
    const node = resolved.node as Json
    const fieldName =
      resolved.named !== undefined ? String(node.name).slice(String(node.name).lastIndexOf('.') + 1) : String(node.type ?? 'union')
    if (seen.has(fieldName)) throw new Error(`Avro schema: two union branches map to the Connect union field ${fieldName}`)
    seen.add(fieldName)
    fields.push([fieldName, toConnect(type, space, context, true, undefined)])
  }
  return Schemas.struct(fields, { name: AVRO_UNION, optional })
}
