/**
 * Kafka Connect's JsonConverter, its schema half: a schema as the JSON JsonConverter writes in the
 * `schema` field of its `{ "schema": …, "payload": … }` envelope (keys in its order: type, the parts,
 * optional, name, version, doc, parameters, default, and `field` last in a struct's field; float32 and
 * float64 named "float" and "double"), and back.
 * The text is made once per schema object and kept.
 */
import { Schemas, type Schema, type SchemaOptions, type SchemaType } from './schema.ts'
import { jsonString } from './json-text.ts'
import { payloadFromJson, payloadWriter } from './connect-json-payload.ts'

const schemaTexts = new WeakMap<Schema, string>()

/** JsonConverter's names for the types: float32 and float64 are "float" and "double" in its JSON. */
const JSON_TYPE_NAMES: Readonly<Record<SchemaType, string>> = {
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  float32: 'float',
  float64: 'double',
  boolean: 'boolean',
  string: 'string',
  bytes: 'bytes',
  array: 'array',
  map: 'map',
  struct: 'struct',
}
const TYPES_BY_JSON_NAME = new Map(Object.entries(JSON_TYPE_NAMES).map(([type, name]) => [name, type as SchemaType]))

export function schemaJson(schema: Schema): string {
  let text = schemaTexts.get(schema)
  if (text === undefined) {
    text = buildSchemaJson(schema, undefined)
    schemaTexts.set(schema, text)
  }
  return text
}

function buildSchemaJson(schema: Schema, fieldName: string | undefined): string {
  let text = `{"type":"${JSON_TYPE_NAMES[schema.type]}"`
  if (schema.type === 'array') text += `,"items":${schemaJson(schema.valueSchema as Schema)}`
  else if (schema.type === 'map')
    text += `,"keys":${schemaJson(schema.keySchema as Schema)},"values":${schemaJson(schema.valueSchema as Schema)}`
  else if (schema.type === 'struct')
    text += `,"fields":[${(schema.fields ?? []).map((field) => buildSchemaJson(field.schema, field.name)).join(',')}]`
  text += `,"optional":${schema.optional}`
  if (schema.name !== undefined) text += `,"name":${jsonString(schema.name)}`
  if (schema.version !== undefined) text += `,"version":${schema.version}`
  if (schema.doc !== undefined) text += `,"doc":${jsonString(schema.doc)}`
  if (schema.parameters !== undefined) {
    text += `,"parameters":{${Object.entries(schema.parameters)
      .map(([key, value]) => `${jsonString(key)}:${jsonString(value)}`)
      .join(',')}}`
  }
  if (schema.defaultValue !== undefined && schema.defaultValue !== null) text += `,"default":${payloadWriter(schema)(schema.defaultValue)}`
  if (fieldName !== undefined) text += `,"field":${jsonString(fieldName)}`
  return `${text}}`
}

type JsonObject = Record<string, unknown>

function isObject(node: unknown): node is JsonObject {
  return node !== null && typeof node === 'object' && !Array.isArray(node)
}

/** A schema from its JsonConverter JSON; throws with the path of what is wrong. */
export function schemaFromJson(node: unknown, path = 'schema'): Schema {
  if (!isObject(node)) throw new Error(`${path} must be an object`)
  const type = typeof node.type === 'string' ? TYPES_BY_JSON_NAME.get(node.type) : undefined
  if (type === undefined) throw new Error(`${path}.type: unknown schema type ${JSON.stringify(node.type)}`)
  const options: { -readonly [K in keyof SchemaOptions]: SchemaOptions[K] } = { optional: node.optional === true }
  if (typeof node.name === 'string') options.name = node.name
  if (typeof node.version === 'number') options.version = node.version
  if (typeof node.doc === 'string') options.doc = node.doc
  if (isObject(node.parameters))
    options.parameters = Object.fromEntries(Object.entries(node.parameters).map(([key, value]) => [key, String(value)]))
  let schema: Schema
  switch (type) {
    case 'array':
      schema = Schemas.array(schemaFromJson(node.items, `${path}.items`), options)
      break
    case 'map':
      schema = Schemas.map(schemaFromJson(node.keys, `${path}.keys`), schemaFromJson(node.values, `${path}.values`), options)
      break
    case 'struct': {
      if (!Array.isArray(node.fields)) throw new Error(`${path}.fields must be an array`)
      const fields = node.fields.map((fieldNode: unknown, index: number): [string, Schema] => {
        const name = isObject(fieldNode) ? fieldNode.field : undefined
        if (typeof name !== 'string') throw new Error(`${path}.fields[${index}].field must be a string`)
        return [name, schemaFromJson(fieldNode, `${path}.fields[${index}]`)]
      })
      schema = Schemas.struct(fields, options)
      break
    }
    default:
      schema = Schemas[type](options)
  }
  if (node.default !== undefined && node.default !== null) {
    // The default is written as a payload of the schema itself.
    const value = payloadFromJson({ ...schema, optional: true }, node.default, `${path}.default`)
    return Object.freeze({ ...schema, defaultValue: value })
  }
  return schema
}
