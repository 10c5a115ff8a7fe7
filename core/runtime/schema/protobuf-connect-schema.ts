/**
 * The Connect schema of a Protobuf message, as Confluent's ProtobufData.toConnectSchema gives it with
 * its defaults, so a sink sees what a Confluent worker would: a struct named as the message (its short
 * name), every field optional (proto3 has no required field) with its number in the
 * `io.confluent.connect.protobuf.Tag` parameter, int32 kept as int8/int16 by `(confluent.field_meta)`,
 * the other integer types as int32/int64 (`io.confluent.connect.protobuf.Type` says which), an enum
 * as a string with its constants in parameters, a repeated field as an array, an `…Entry` message with
 * `key` and `value` as a map, a oneof as an optional struct named `io.confluent.connect.protobuf.Union.…`,
 * and Confluent's Decimal, Date, TimeOfDay and Timestamp messages as Connect's logical types.
 */
import protobuf from 'protobufjs'
import type { Enum, Field, OneOf, Type } from 'protobufjs'
import { isPlainField, realOneofs } from '../../registry/formats/protobuf-shapes.ts'
import { DECIMAL, Logical } from './logical.ts'
import { FIELD_META, LOGICAL_TYPES, MAP_ENTRY_SUFFIX, PROTOBUF_TAG } from './protobuf-data.ts'
import { Schemas, type Schema } from './schema.ts'

export const PROTOBUF_TYPE = 'io.confluent.connect.protobuf.Type'
export const PROTOBUF_ENUM = 'io.confluent.connect.protobuf.Enum'
export const PROTOBUF_UNION_PREFIX = 'io.confluent.connect.protobuf.Union.'

/** The `(confluent.field_meta)` params of a field, as written. */
export function fieldMeta(field: Field): Readonly<Record<string, string>> {
  const params: Record<string, string> = {}
  for (const option of field.parsedOptions ?? []) {
    const meta = (option as Record<string, { params?: unknown } | undefined>)[FIELD_META]
    const list = meta?.params === undefined ? [] : Array.isArray(meta.params) ? meta.params : [meta.params]
    for (const entry of list as Array<{ key?: unknown; value?: unknown }>) {
      if (typeof entry.key === 'string') params[entry.key] = String(entry.value)
    }
  }
  return params
}

/** The Protobuf full name of a message type, without protobufjs' leading dot. */
export function fullNameOf(type: Type | Enum): string {
  return type.fullName.replace(/^\./, '')
}

/** Whether a repeated message field is one of Confluent's map forms (a map field or an `…Entry` message). */
export function isMapField(field: Field): boolean {
  if (field.map) return true
  if (!field.repeated || !(field.resolvedType instanceof protobuf.Type)) return false
  const entry = field.resolvedType
  const fields = entry.fieldsArray
  return (
    entry.name.endsWith(MAP_ENTRY_SUFFIX) &&
    fields.length === 2 &&
    fields[0]?.name === 'key' &&
    fields[1]?.name === 'value' &&
    !fields[0].repeated &&
    !fields[1].repeated
  )
}

/** ProtobufSchema.toMapField: `SomeNameEntry` becomes `some_name`. */
export function toMapField(name: string): string {
  if (!name.endsWith(MAP_ENTRY_SUFFIX)) return name
  const camel = name.slice(0, -MAP_ENTRY_SUFFIX.length)
  return camel.replace(/(?!^)([A-Z])/g, '_$1').toLowerCase()
}

/** The field's number goes on the field's own schema: the array's, not its elements', for a repeated one. */
const tagged = (field: Field) => ({ optional: true, parameters: { [PROTOBUF_TAG]: String(field.id) } })

function withTag(
  field: Field,
  parameters: Readonly<Record<string, string>> = {},
): { optional: true; parameters?: Readonly<Record<string, string>> } {
  if (!field.repeated) return { optional: true, parameters: { ...parameters, [PROTOBUF_TAG]: String(field.id) } }
  return Object.keys(parameters).length === 0 ? { optional: true } : { optional: true, parameters }
}

function scalarSchema(field: Field): Schema | undefined {
  const typed = (plain: string): Record<string, string> => (field.type === plain ? {} : { [PROTOBUF_TYPE]: field.type })
  switch (field.type) {
    case 'int32':
    case 'sint32':
    case 'sfixed32': {
      const connectType = fieldMeta(field)['connect.type']
      if (connectType === 'int8') return Schemas.int8(withTag(field))
      if (connectType === 'int16') return Schemas.int16(withTag(field))
      return Schemas.int32(withTag(field, typed('int32')))
    }
    case 'uint32':
    case 'fixed32':
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      return Schemas.int64(withTag(field, typed('int64')))
    case 'float':
      return Schemas.float32(withTag(field))
    case 'double':
      return Schemas.float64(withTag(field))
    case 'bool':
      return Schemas.boolean(withTag(field))
    case 'string':
      return Schemas.string(withTag(field))
    case 'bytes':
      return Schemas.bytes(withTag(field))
    default:
      return undefined
  }
}

function enumSchema(type: Enum, parameters: Record<string, string>): Schema {
  const constants: Record<string, string> = { [PROTOBUF_ENUM]: type.name }
  for (const [name, number] of Object.entries(type.values)) constants[`${PROTOBUF_ENUM}.${name}`] = String(number)
  return Schemas.string({ name: type.name, optional: true, parameters: { ...constants, ...parameters } })
}

function messageFieldSchema(field: Field, type: Type, within: readonly string[]): Schema {
  const logical = LOGICAL_TYPES.find(([, protoName]) => protoName === fullNameOf(type))?.[0]
  const options = withTag(field)
  switch (logical) {
    case DECIMAL: {
      const meta = fieldMeta(field)
      const scale = Number.parseInt(meta.scale ?? '0', 10)
      const precision = meta.precision === undefined ? undefined : Number.parseInt(meta.precision, 10)
      return Logical.decimal(
        Number.isNaN(scale) ? 0 : scale,
        precision === undefined || Number.isNaN(precision) ? undefined : precision,
        options,
      )
    }
    case undefined:
      return structSchema(type, within, options)
    default: {
      const build = logical === LOGICAL_TYPES[1]?.[0] ? Logical.date : logical === LOGICAL_TYPES[2]?.[0] ? Logical.time : Logical.timestamp
      return build(options)
    }
  }
}

/** A field's Connect schema; `within` is the path of message names, to refuse a recursive type. */
export function fieldSchema(field: Field, within: readonly string[]): Schema {
  const resolved = field.resolvedType
  if (isMapField(field)) {
    const keyValue = mapParts(field)
    return Schemas.map(keyValue.key, keyValue.value, { ...tagged(field), name: keyValue.name })
  }
  let element: Schema
  if (resolved instanceof protobuf.Type) element = messageFieldSchema(field, resolved, within)
  else if (resolved instanceof protobuf.Enum) element = enumSchema(resolved, withTag(field).parameters ?? {})
  else {
    const scalar = scalarSchema(field)
    if (scalar === undefined) throw new Error(`field ${field.name} has the unknown type ${field.type}`)
    element = scalar
  }
  if (!field.repeated) return element
  return Schemas.array(element, tagged(field))
}

function mapParts(field: Field): { name: string; key: Schema; value: Schema } {
  const entry = field.resolvedType
  if (entry instanceof protobuf.Type) {
    const [key, value] = entry.fieldsArray as [Field, Field]
    return { name: toMapField(entry.name), key: fieldSchema(key, []), value: fieldSchema(value, []) }
  }
  // A `map<k, v>` field: protobufjs keeps it as one field with a key type.
  const keyField = new protobuf.Field('key', 1, (field as unknown as { keyType: string }).keyType)
  const valueField = new protobuf.Field('value', 2, field.type)
  if (field.parent !== null) {
    valueField.parent = field.parent
    valueField.resolve()
  }
  const entryName = `${field.name.replace(/(?:^|_)([a-z])/g, (_match, letter: string) => letter.toUpperCase())}${MAP_ENTRY_SUFFIX}`
  return { name: toMapField(entryName), key: fieldSchema(keyField, []), value: fieldSchema(valueField, []) }
}

function unionSchema(oneof: OneOf, within: readonly string[]): Schema {
  return Schemas.struct(
    oneof.fieldsArray.map((member) => [member.name, fieldSchema(member, within)] as const),
    { name: `${PROTOBUF_UNION_PREFIX}${oneof.name}`, optional: true },
  )
}

/** The struct of a message: its real oneofs first (as Confluent), then its other fields. */
export function structSchema(
  type: Type,
  within: readonly string[] = [],
  options: { optional?: boolean; parameters?: Readonly<Record<string, string>> } = {},
): Schema {
  const fullName = fullNameOf(type)
  if (within.includes(fullName)) throw new Error(`message ${fullName} contains itself; a recursive message has no Connect schema here`)
  const path = [...within, fullName]
  const fields: Array<readonly [string, Schema]> = []
  for (const [index, oneof] of realOneofs(type).entries()) fields.push([`${oneof.name}_${index}`, unionSchema(oneof, path)])
  for (const field of type.fieldsArray) if (isPlainField(field)) fields.push([field.name, fieldSchema(field, path)])
  return Schemas.struct(fields, { ...options, name: type.name })
}
