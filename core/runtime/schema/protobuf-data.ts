/**
 * A Connect schema as the .proto file Confluent's ProtobufData.fromConnectSchema makes of it with its
 * defaults, so that ProtobufConverter's consumers (and Confluent's, reading the same registry) see
 * the same schema: proto3, the package and message named from the struct's name (`ConnectDefault1`
 * when it has none), a field per Connect field numbered in order (or by its
 * `io.confluent.connect.protobuf.Tag` parameter), a nested message per struct type
 * (one per name inside each message), `repeated` for arrays and for maps (an `…Entry` message with
 * `key` and `value`), Connect's int8/int16 and Decimal parameters in `(confluent.field_meta)`, and
 * Decimal, Date, Time, Timestamp as confluent.type.Decimal, google.type.Date, google.type.TimeOfDay
 * and google.protobuf.Timestamp. Optional fields are plain proto3 fields (no wrappers).
 */
import { printOptionList } from '../../registry/formats/protobuf-print-option.ts'
import { DATE, DECIMAL, DECIMAL_PRECISION, TIME, TIMESTAMP } from './logical.ts'
import type { Schema } from './schema.ts'

export const DEFAULT_SCHEMA_NAME = 'ConnectDefault'
export const MAP_ENTRY_SUFFIX = 'Entry'
export const FIELD_META = '(confluent.field_meta)'
export const META_IMPORT = 'confluent/meta.proto'
/** The parameter that keeps a field's number when a Protobuf schema is read as a Connect one. */
export const PROTOBUF_TAG = 'io.confluent.connect.protobuf.Tag'

/** Confluent's logical types: the Connect name, the Protobuf type, the file that declares it. */
export const LOGICAL_TYPES: ReadonlyArray<readonly [string, string, string]> = [
  [DECIMAL, 'confluent.type.Decimal', 'confluent/type/decimal.proto'],
  [DATE, 'google.type.Date', 'google/type/date.proto'],
  [TIME, 'google.type.TimeOfDay', 'google/type/timeofday.proto'],
  [TIMESTAMP, 'google.protobuf.Timestamp', 'google/protobuf/timestamp.proto'],
]

const PRIMITIVES: Readonly<Record<string, string>> = {
  int8: 'int32',
  int16: 'int32',
  int32: 'int32',
  int64: 'int64',
  float32: 'float',
  float64: 'double',
  boolean: 'bool',
  string: 'string',
  bytes: 'bytes',
}

interface FieldDefinition {
  readonly label: 'repeated' | undefined
  readonly type: string
  readonly name: string
  readonly tag: number
  readonly params: ReadonlyArray<readonly [string, string]>
}

interface MessageDefinition {
  readonly name: string
  readonly fields: FieldDefinition[]
  readonly nested: MessageDefinition[]
  /** The struct type names already defined inside this message. */
  readonly defined: Set<string>
}

interface Context {
  nameIndex: number
  readonly imports: string[]
  usesMeta: boolean
}

/** The package and the message name of a Connect schema's name. */
export function splitName(fullName: string): { packageName: string | undefined; name: string } {
  const dot = fullName.lastIndexOf('.')
  return dot < 0 ? { packageName: undefined, name: fullName } : { packageName: fullName.slice(0, dot), name: fullName.slice(dot + 1) }
}

function nameOrDefault(context: Context, name: string | undefined): string {
  return name !== undefined && name !== '' ? name : `${DEFAULT_SCHEMA_NAME}${++context.nameIndex}`
}

function unqualified(context: Context, name: string | undefined): string {
  return splitName(nameOrDefault(context, name)).name
}

/** ProtobufSchema.toMapEntry: `some_name` becomes `SomeNameEntry`. */
export function toMapEntry(name: string): string {
  const camel = name.includes('_')
    ? name
        .split('_')
        .map((word) => (word === '' ? '' : `${word[0]?.toUpperCase()}${word.slice(1).toLowerCase()}`))
        .join('')
    : name
  return `${camel}${MAP_ENTRY_SUFFIX}`
}

function logicalType(schema: Schema): readonly [string, string, string] | undefined {
  return schema.name === undefined ? undefined : LOGICAL_TYPES.find(([connectName]) => connectName === schema.name)
}

function dataType(context: Context, schema: Schema, fieldName: string, params: Array<readonly [string, string]>): string {
  const logical = logicalType(schema)
  if (logical !== undefined) {
    if (logical[0] === DECIMAL) {
      const precision = schema.parameters?.[DECIMAL_PRECISION]
      const scale = schema.parameters?.scale
      if (precision !== undefined) params.push(['precision', precision])
      if (scale !== undefined) params.push(['scale', scale])
    }
    return logical[1]
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
      params.push(['connect.type', schema.type])
      return 'int32'
    case 'array':
      throw new Error('an array of arrays has no Protobuf form (Confluent refuses it too)')
    case 'map':
      return toMapEntry(unqualified(context, schema.name))
    case 'struct': {
      const name = unqualified(context, schema.name)
      return name === fieldName ? `${name}Message` : name
    }
    default:
      return PRIMITIVES[schema.type] as string
  }
}

function fieldDefinition(context: Context, message: MessageDefinition, schema: Schema, name: string, tag: number): FieldDefinition {
  let fieldSchema = schema
  let label: FieldDefinition['label']
  if (fieldSchema.type === 'array') {
    label = 'repeated'
    fieldSchema = fieldSchema.valueSchema as Schema
  } else if (fieldSchema.type === 'map') {
    label = 'repeated'
  }
  const params: Array<readonly [string, string]> = []
  const type = dataType(context, fieldSchema, name, params)
  const logical = logicalType(fieldSchema)
  if (logical !== undefined) {
    if (!context.imports.includes(logical[2])) context.imports.push(logical[2])
  } else if (fieldSchema.type === 'struct') {
    // A struct of the enclosing message's own name is that message (a recursive reference).
    if (type !== message.name && !message.defined.has(type)) {
      message.defined.add(type)
      message.nested.push(messageDefinition(context, type, fieldSchema))
    }
  } else if (fieldSchema.type === 'map') {
    message.nested.push(mapDefinition(context, type, fieldSchema))
  }
  if (params.length > 0) context.usesMeta = true
  return { label, type, name, tag, params }
}

function messageDefinition(context: Context, name: string, schema: Schema): MessageDefinition {
  const message: MessageDefinition = { name, fields: [], nested: [], defined: new Set() }
  let next = 1
  for (const field of schema.fields ?? []) {
    // A schema read from Protobuf keeps its numbers; any other is numbered in order.
    const tag = field.schema.parameters?.[PROTOBUF_TAG]
    message.fields.push(fieldDefinition(context, message, field.schema, field.name, tag === undefined ? next++ : Number(tag)))
  }
  return message
}

/** A map's entry message: `key = 1` and `value = 2`, without Connect parameters (as Confluent). */
function mapDefinition(context: Context, name: string, schema: Schema): MessageDefinition {
  const entry: MessageDefinition = { name, fields: [], nested: [], defined: new Set() }
  const key = fieldDefinition(context, entry, schema.keySchema as Schema, 'key', 1)
  const value = fieldDefinition(context, entry, schema.valueSchema as Schema, 'value', 2)
  entry.fields.push({ ...key, params: [] }, { ...value, params: [] })
  return entry
}

function indent(text: string): string {
  return text
    .split('\n')
    .filter((line, index, lines) => index < lines.length - 1 || line !== '')
    .map((line) => `  ${line}\n`)
    .join('')
}

function printField(field: FieldDefinition): string {
  const options =
    field.params.length === 0
      ? ''
      : ` ${printOptionList([[FIELD_META, { params: field.params.map(([key, value]) => ({ key, value })) }]], new Set())}`
  return `${field.label === undefined ? '' : `${field.label} `}${field.type} ${field.name} = ${field.tag}${options};\n`
}

function printMessage(message: MessageDefinition): string {
  let out = `message ${message.name} {`
  if (message.fields.length > 0) out += `\n${indent(message.fields.map(printField).join(''))}`
  if (message.nested.length > 0) out += `\n${indent(message.nested.map(printMessage).join(''))}`
  return `${out}}\n`
}

/** The .proto text of a struct schema, in the registry's canonical layout. */
export function protoTextOf(schema: Schema): string {
  if (schema.type !== 'struct')
    throw new Error(`ProtobufConverter writes struct schemas only (Confluent's root message); this schema is ${schema.type}`)
  const context: Context = { nameIndex: 0, imports: [], usesMeta: false }
  const { packageName, name } = splitName(nameOrDefault(context, schema.name))
  const message = printMessage(messageDefinition(context, name, schema))
  const imports = context.usesMeta ? [META_IMPORT, ...context.imports] : context.imports
  let out = 'syntax = "proto3";\n'
  if (packageName !== undefined) out += `package ${packageName};\n`
  if (imports.length > 0) out += `\n${imports.map((path) => `import "${path}";\n`).join('')}`
  return `${out}\n${message}`
}
