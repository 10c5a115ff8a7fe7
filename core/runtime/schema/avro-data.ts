/**
 * Confluent's AvroConverter, its schema half: a Connect schema as the Avro schema AvroData's
 * fromConnectSchema makes of it with its defaults (connect.meta.data on, enhanced.avro.schema.support
 * and scrub.invalid.names off), so what is registered is what a Kafka Connect worker would register.
 * It is built in two steps, as Avro itself does: the types first (a struct met again is the same
 * record, unnamed structs are ConnectDefault, ConnectDefault2 …), then the JSON the way Avro's
 * Schema.toString writes it (keys in its order, a namespace only where it changes, a named type in
 * full once and by its name afterwards). Made once per schema object and kept.
 * The way back is avro-connect-schema.ts; values are avro-binary.ts.
 */
import { DATE, DECIMAL, DECIMAL_PRECISION, TIME, TIMESTAMP, decimalScale } from './logical.ts'
import { withOptions, sameSchema, type Schema } from './schema.ts'
import {
  AVRO_NAMESPACE,
  CONNECT_DEFAULT_NAME,
  FIELD_DEFAULT_FLAG,
  FIELD_DOC_PREFIX,
  FIXED_SIZE,
  MAP_ENTRY,
  RECORD_DOC,
  isFixedSchema,
  isNamed,
  isUnionSchema,
} from './avro-names.ts'
import { defaultJson } from './avro-default.ts'

/** An Avro schema as parsed JSON: a type name, a type object, or a union array. */
export type AvroSchemaJson = object | string

const DEFAULT_PRECISION = 64

type Props = Record<string, unknown>
interface Primitive {
  kind: 'primitive'
  type: string
  props: Props
}
interface ArrayNode {
  kind: 'array'
  items: AvroNode
  props: Props
}
interface MapNode {
  kind: 'map'
  values: AvroNode
  props: Props
}
interface RecordNode {
  kind: 'record'
  name: string
  namespace: string | undefined
  doc: string | undefined
  fields: FieldNode[]
  props: Props
}
interface FixedNode {
  kind: 'fixed'
  name: string
  namespace: string | undefined
  size: number
  props: Props
}
interface UnionNode {
  kind: 'union'
  types: AvroNode[]
}
interface FieldNode {
  name: string
  type: AvroNode
  doc: string | undefined
  hasDefault: boolean
  defaultValue: unknown
  props: Props
}
type AvroNode = Primitive | ArrayNode | MapNode | RecordNode | FixedNode | UnionNode

interface Context {
  /** AvroData's schemaMap: required schemas already made, found again by equality. */
  readonly made: Map<string, Array<{ schema: Schema; node: AvroNode }>>
  /** Records by Connect name: an optional, item or branch use of the name is that record. */
  readonly records: Map<string, RecordNode>
  /** Names of field schemas met so far (a named type met again may carry its parameters on the field). */
  readonly seen: Set<string>
  defaults: number
}

const cache = new WeakMap<Schema, AvroSchemaJson>()

/** The Avro schema (parsed JSON) AvroData makes of a Connect schema; the same object for the same schema. */
export function avroSchemaOf(schema: Schema): AvroSchemaJson {
  let json = cache.get(schema)
  if (json === undefined) {
    const context: Context = { made: new Map(), records: new Map(), seen: new Set(), defaults: 0 }
    json = deepFreeze(writeNode(fromConnect(schema, context, false), undefined, new Map()))
    cache.set(schema, json)
  }
  return json
}

/** Namespace and name: a Connect name split at its last dot, or the next ConnectDefault. */
function nameOf(context: Context, name: string | undefined): [string | undefined, string] {
  if (name === undefined) {
    context.defaults++
    return [AVRO_NAMESPACE, CONNECT_DEFAULT_NAME + (context.defaults > 1 ? context.defaults : '')]
  }
  const dot = name.lastIndexOf('.')
  return dot < 0 ? [undefined, name] : [name.slice(0, dot), name.slice(dot + 1)]
}

const nonOptional = (schema: Schema): Schema => (schema.optional ? withOptions(schema, { optional: false }) : schema)

function findMade(context: Context, schema: Schema): AvroNode | undefined {
  return context.made.get(`${schema.type}:${schema.name ?? ''}`)?.find((entry) => sameSchema(entry.schema, schema))?.node
}

function remember(context: Context, schema: Schema, node: AvroNode): void {
  const key = `${schema.type}:${schema.name ?? ''}`
  const list = context.made.get(key)
  if (list === undefined) context.made.set(key, [{ schema, node }])
  else list.push({ schema, node })
}

function fromConnectWithRecords(schema: Schema, context: Context, ignoreOptional: boolean): AvroNode {
  const record = schema.name === undefined ? undefined : context.records.get(schema.name)
  if (record === undefined) return fromConnect(schema, context, ignoreOptional)
  return ignoreOptional ? record : optionalOf(schema, record)
}

function optionalOf(schema: Schema, node: AvroNode): AvroNode {
  if (!schema.optional) return node
  const nullType: Primitive = { kind: 'primitive', type: 'null', props: {} }
  return { kind: 'union', types: schema.defaultValue !== undefined && schema.defaultValue !== null ? [node, nullType] : [nullType, node] }
}

/** Avro's addProp: a property keeps its first value. */
function addProp(props: Props, key: string, value: unknown): void {
  if (!(key in props)) props[key] = value
}

function parametersJson(parameters: Readonly<Record<string, string>>): Props {
  const json: Props = {}
  for (const [key, value] of Object.entries(parameters)) if (key !== FIELD_DEFAULT_FLAG) json[key] = value
  return json
}

function fromConnect(schema: Schema, context: Context, ignoreOptional: boolean): AvroNode {
  const union = isUnionSchema(schema)
  if (!union && !schema.optional) {
    const made = findMade(context, schema)
    if (made !== undefined) return made
  }
  const parameters = schema.parameters ?? {}
  const primitive = (type: string): Primitive => ({ kind: 'primitive', type, props: {} })
  let connectType: string | undefined
  let base: AvroNode
  switch (schema.type) {
    case 'int8':
    case 'int16':
      connectType = schema.type
      base = primitive('int')
      break
    case 'int32':
      base = primitive('int')
      break
    case 'int64':
      base = primitive('long')
      break
    case 'float32':
      base = primitive('float')
      break
    case 'float64':
      base = primitive('double')
      break
    case 'boolean':
      base = primitive('boolean')
      break
    case 'string':
      base = primitive('string')
      break
    case 'bytes': {
      if (isFixedSchema(schema)) {
        const [namespace, name] = nameOf(context, schema.name)
        base = { kind: 'fixed', name, namespace, size: Number.parseInt(parameters[FIXED_SIZE] as string, 10), props: {} }
      } else {
        base = primitive('bytes')
      }
      if (isNamed(schema, DECIMAL)) {
        base.props.scale = decimalScale(schema)
        base.props.precision =
          parameters[DECIMAL_PRECISION] === undefined ? DEFAULT_PRECISION : Number.parseInt(parameters[DECIMAL_PRECISION], 10)
      }
      break
    }
    case 'array':
      base = { kind: 'array', items: fromConnectWithRecords(schema.valueSchema as Schema, context, false), props: {} }
      break
    case 'map': {
      const keySchema = schema.keySchema as Schema
      if (keySchema.type === 'string' && !keySchema.optional) {
        base = { kind: 'map', values: fromConnectWithRecords(schema.valueSchema as Schema, context, false), props: {} }
        break
      }
      let entry: RecordNode
      if (schema.name === undefined) {
        entry = { kind: 'record', name: MAP_ENTRY, namespace: AVRO_NAMESPACE, doc: undefined, fields: [], props: {} }
      } else {
        const [namespace, name] = nameOf(context, schema.name)
        entry = { kind: 'record', name, namespace, doc: undefined, fields: [], props: { 'connect.internal.type': MAP_ENTRY } }
      }
      entry.fields.push(fieldOf('key', keySchema, undefined, context), fieldOf('value', schema.valueSchema as Schema, undefined, context))
      base = { kind: 'array', items: entry, props: {} }
      break
    }
    case 'struct': {
      if (union) {
        const types: AvroNode[] = schema.optional ? [primitive('null')] : []
        for (const field of schema.fields ?? []) types.push(fromConnectWithRecords(nonOptional(field.schema), context, true))
        base = { kind: 'union', types }
      } else if (schema.optional) {
        base = { kind: 'union', types: [primitive('null'), fromConnectWithRecords(nonOptional(schema), context, false)] }
      } else {
        const [namespace, name] = nameOf(context, schema.name)
        const record: RecordNode = { kind: 'record', name, namespace, doc: parameters[RECORD_DOC], fields: [], props: {} }
        if (schema.name !== undefined) context.records.set(schema.name, record)
        for (const field of schema.fields ?? [])
          record.fields.push(fieldOf(field.name, field.schema, parameters[FIELD_DOC_PREFIX + field.name], context))
        base = record
      }
      break
    }
  }
  let node: AvroNode = base
  if (base.kind !== 'union') {
    const props = base.props
    if (schema.doc !== undefined) addProp(props, 'connect.doc', schema.doc)
    if (schema.version !== undefined) addProp(props, 'connect.version', schema.version)
    if (schema.parameters !== undefined) {
      const json = parametersJson(schema.parameters)
      if (Object.keys(json).length > 0) addProp(props, 'connect.parameters', json)
    }
    if (schema.defaultValue !== undefined && schema.defaultValue !== null && parameters[FIELD_DEFAULT_FLAG] === undefined) {
      addProp(props, 'connect.default', defaultJson(schema, schema.defaultValue))
    }
    if (schema.name !== undefined) addProp(props, 'connect.name', schema.name)
    if (connectType !== undefined) addProp(props, 'connect.type', connectType)
    if (isNamed(schema, DECIMAL)) addProp(props, 'logicalType', 'decimal')
    else if (isNamed(schema, TIME)) addProp(props, 'logicalType', 'time-millis')
    else if (isNamed(schema, TIMESTAMP)) addProp(props, 'logicalType', 'timestamp-millis')
    else if (isNamed(schema, DATE)) addProp(props, 'logicalType', 'date')
    for (const [key, value] of Object.entries(parameters)) if (key.startsWith('avro')) addProp(props, key, value)
    if (!ignoreOptional) node = optionalOf(schema, base)
  }
  if (!schema.optional) remember(context, schema, node)
  return node
}

function fieldOf(name: string, schema: Schema, doc: string | undefined, context: Context): FieldNode {
  let hasDefault = false
  let defaultValue: unknown
  if (schema.defaultValue !== undefined && schema.defaultValue !== null) {
    hasDefault = true
    defaultValue = defaultJson(schema, schema.defaultValue)
  } else if (schema.optional) {
    hasDefault = true
    defaultValue = null
  }
  const seenBefore = schema.name !== undefined && context.seen.has(schema.name)
  if (schema.name !== undefined) context.seen.add(schema.name)
  const type = fromConnect(schema, context, false)
  // Avro drops a default that does not fit the field's type (AvroData logs it and goes on).
  if (hasDefault && !fitsDefault(type, defaultValue)) hasDefault = false
  const field: FieldNode = { name, type, doc, hasDefault, defaultValue: hasDefault ? defaultValue : undefined, props: {} }
  if (seenBefore && schema.parameters !== undefined && isNamedType(type)) {
    const json = parametersJson(schema.parameters)
    if (Object.keys(json).length > 0) field.props['connect.parameters'] = json
  }
  return field
}

function isNamedType(node: AvroNode): boolean {
  if (node.kind === 'union') return node.types.some((type) => type.kind === 'record' || type.kind === 'fixed')
  return node.kind === 'record' || node.kind === 'fixed'
}

/** Avro's check of a field default: the JSON must fit the type (a union: its first branch). */
function fitsDefault(node: AvroNode, value: unknown): boolean {
  switch (node.kind) {
    case 'union':
      return fitsDefault(node.types[0] as AvroNode, value)
    case 'fixed':
      return typeof value === 'string'
    case 'array':
      return Array.isArray(value) && value.every((item) => fitsDefault(node.items, item))
    case 'map':
      return isObject(value) && Object.values(value).every((item) => fitsDefault(node.values, item))
    case 'record':
      return (
        isObject(value) &&
        node.fields.every((field) => (field.name in value ? fitsDefault(field.type, value[field.name]) : field.hasDefault))
      )
    case 'primitive':
      switch (node.type) {
        case 'null':
          return value === null
        case 'boolean':
          return typeof value === 'boolean'
        case 'int':
          return Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31
        case 'long':
          return Number.isInteger(value)
        case 'float':
        case 'double':
          return typeof value === 'number'
        default:
          return typeof value === 'string'
      }
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)

/** Avro's type names: a named type in this namespace with one of these names is written in full. */
const TYPE_NAMES = new Set([
  'record',
  'enum',
  'array',
  'map',
  'union',
  'fixed',
  'string',
  'bytes',
  'int',
  'long',
  'float',
  'double',
  'boolean',
  'null',
])

/** Avro's Schema.toString: `written` holds the named types already written in full, by full name. */
function writeNode(node: AvroNode, space: string | undefined, written: Map<string, AvroNode>): AvroSchemaJson {
  switch (node.kind) {
    case 'union':
      return node.types.map((type) => writeNode(type, space, written))
    case 'primitive':
      return Object.keys(node.props).length === 0 ? node.type : { type: node.type, ...node.props }
    case 'array':
      return { type: 'array', items: writeNode(node.items, space, written), ...node.props }
    case 'map':
      return { type: 'map', values: writeNode(node.values, space, written), ...node.props }
    default:
      break
  }
  const full = node.namespace === undefined ? node.name : `${node.namespace}.${node.name}`
  const known = written.get(full)
  if (known !== undefined) {
    if (known !== node && JSON.stringify(known) !== JSON.stringify(node))
      throw new Error(`Avro schema: the name ${full} stands for two different types`)
    return node.namespace === space && !TYPE_NAMES.has(node.name) ? node.name : full
  }
  written.set(full, node)
  const json: Record<string, unknown> = { type: node.kind, name: node.name }
  if (node.namespace !== undefined) {
    if (node.namespace !== space) json.namespace = node.namespace
  } else if (space !== undefined) {
    json.namespace = ''
  }
  if (node.kind === 'fixed') {
    json.size = node.size
  } else {
    if (node.doc !== undefined) json.doc = node.doc
    json.fields = node.fields.map((field) => {
      const out: Record<string, unknown> = { name: field.name, type: writeNode(field.type, node.namespace, written) }
      if (field.doc !== undefined) out.doc = field.doc
      if (field.hasDefault) out.default = field.defaultValue
      return Object.assign(out, field.props)
    })
  }
  return Object.assign(json, node.props)
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const item of Object.values(value)) deepFreeze(item)
  }
  return value
}
