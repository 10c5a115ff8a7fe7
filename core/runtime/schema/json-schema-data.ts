/**
 * Confluent's JsonSchemaConverter, its schema half: a Connect schema as the JSON Schema that
 * JsonSchemaData.fromConnectSchema makes of it with its defaults (draft-07 keywords, no `$schema`,
 * additional properties allowed, decimal.format BASE64), in the exact text the converter registers,
 * so a subject filled by a Kafka Connect worker and one filled here hold the same schema:
 *
 *   int8 … int64     {"type":"integer","connect.type":"int32"}     float32, float64  "type":"number"
 *   bytes, Decimal   {"type":"string","connect.type":"bytes"}      boolean, string
 *   array            {"type":"array","items":…}
 *   map              string keys: {"type":"object","additionalProperties":…,"connect.type":"map"};
 *                    other keys: an array of {"key":…,"value":…} objects, "connect.type":"map"
 *   struct           {"type":"object","properties":{…}}, each property with its "connect.index"
 *   optional         {"oneOf":[{"type":"null"},T]} (the field's "connect.index" outside, on the oneOf)
 *   name, doc        "title", "description"; version and parameters as "connect.version", "connect.parameters"
 *
 * The text is everit-json-schema's, read and written again by Jackson: keywords in everit's order
 * ("type" first, but last for a boolean), and properties, connect.* keywords and parameters in the
 * order of the Java hash maps that hold them (java-hash-order.ts). Made once per schema object and kept.
 */
import { javaDoubleJson } from './java-number-text.ts'
import { javaHashMapOrder } from './java-hash-order.ts'
import { payloadWriter } from './connect-json-payload.ts'
import { jsonNumber, orderedJsonText, type OrderedJson } from './ordered-json.ts'
import { withOptions, type Schema } from './schema.ts'

export const JSON_SCHEMA_NAMESPACE = 'io.confluent.connect.json'
/** A struct of this name is a union: its fields are the branches, one of them set. */
export const JSON_ONE_OF = `${JSON_SCHEMA_NAMESPACE}.OneOf`
/** A string with this parameter is an enum of the symbols in `io.confluent.connect.json.Enum.<symbol>` parameters. */
export const JSON_ENUM = `${JSON_SCHEMA_NAMESPACE}.Enum`
const NULL_SYMBOL = '<NULL>'

/** everit's schema classes, as far as the converter makes them. */
type Kind =
  | { kind: 'number'; integer: boolean }
  | { kind: 'string' }
  | { kind: 'boolean' }
  | { kind: 'null' }
  | { kind: 'enum'; symbols: Array<string | null> }
  | { kind: 'array'; items: Node }
  | { kind: 'object'; properties: Array<[string, Node]>; additional?: Node }
  | { kind: 'oneOf'; branches: Node[] }

type Node = Kind & {
  title?: string
  description?: string
  defaultValue?: OrderedJson
  /** Keywords everit keeps but does not know, in the order the converter puts them. */
  unprocessed: Array<[string, OrderedJson]>
}

const NULL_NODE: Node = { kind: 'null', unprocessed: [] }

const texts = new WeakMap<Schema, string>()

/** The JSON Schema text JsonSchemaConverter registers for a Connect schema. */
export function jsonSchemaText(schema: Schema): string {
  let text = texts.get(schema)
  if (text === undefined) {
    text = orderedJsonText(printed(fromConnect(schema, undefined, false)))
    texts.set(schema, text)
  }
  return text
}

/** The schema's `title` at the top (Confluent's JsonSchema.name()), which RecordNameStrategy takes. */
export function jsonSchemaRecordName(schema: Schema): string | undefined {
  return schema.optional || schema.name === JSON_ONE_OF ? undefined : schema.name
}

const nonOptional = (schema: Schema): Schema => (schema.optional ? withOptions(schema, { optional: false }) : schema)

function fromConnect(schema: Schema, index: number | undefined, ignoreOptional: boolean): Node {
  let unprocessed: Array<[string, OrderedJson]> = []
  let node: Node
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'float32':
    case 'float64':
      node = { kind: 'number', integer: schema.type.startsWith('int'), unprocessed }
      unprocessed.push(['connect.type', schema.type])
      break
    case 'boolean':
      node = { kind: 'boolean', unprocessed }
      break
    case 'string':
      node =
        schema.parameters?.[JSON_ENUM] !== undefined
          ? { kind: 'enum', symbols: enumSymbols(schema), unprocessed }
          : { kind: 'string', unprocessed }
      break
    case 'bytes':
      node = { kind: 'string', unprocessed }
      unprocessed.push(['connect.type', 'bytes'])
      break
    case 'array':
      node = { kind: 'array', items: fromConnect(schema.valueSchema as Schema, undefined, false), unprocessed }
      break
    case 'map': {
      const keys = schema.keySchema as Schema
      const values = schema.valueSchema as Schema
      if (keys.type === 'string' && !keys.optional) {
        node = { kind: 'object', properties: [], additional: fromConnect(values, undefined, false), unprocessed }
      } else {
        const entry: Node = {
          kind: 'object',
          properties: [
            ['key', fromConnect(keys, 0, false)],
            ['value', fromConnect(values, 1, false)],
          ],
          unprocessed: [],
        }
        node = { kind: 'array', items: entry, unprocessed }
      }
      unprocessed.push(['connect.type', 'map'])
      break
    }
    case 'struct':
      if (schema.name === JSON_ONE_OF) {
        const branches = (schema.fields ?? []).map((field) => fromConnect(nonOptional(field.schema), field.index, true))
        node = { kind: 'oneOf', branches: schema.optional ? [NULL_NODE, ...branches] : branches, unprocessed }
      } else if (schema.optional) {
        node = { kind: 'oneOf', branches: [NULL_NODE, fromConnect(nonOptional(schema), undefined, false)], unprocessed }
      } else {
        node = {
          kind: 'object',
          properties: (schema.fields ?? []).map((field) => [field.name, fromConnect(field.schema, field.index, false)]),
          unprocessed,
        }
      }
      break
  }
  if (node.kind !== 'oneOf') {
    if (schema.name !== undefined) node.title = schema.name
    if (schema.version !== undefined) unprocessed.push(['connect.version', jsonNumber(schema.version)])
    if (schema.doc !== undefined) node.description = schema.doc
    const parameters = Object.entries(schema.parameters ?? {}).filter(([key]) => !key.startsWith(JSON_SCHEMA_NAMESPACE))
    if (parameters.length > 0) unprocessed.push(['connect.parameters', parametersNode(parameters)])
    if (schema.defaultValue !== undefined && schema.defaultValue !== null) node.defaultValue = defaultNode(schema, schema.defaultValue)
    if (!ignoreOptional && schema.optional) {
      unprocessed = []
      node = { kind: 'oneOf', branches: [NULL_NODE, node], unprocessed }
    }
  }
  if (index !== undefined) unprocessed.push(['connect.index', jsonNumber(index)])
  return node
}

function enumSymbols(schema: Schema): Array<string | null> {
  const prefix = `${JSON_ENUM}.`
  return Object.keys(schema.parameters ?? {})
    .filter((key) => key.startsWith(prefix))
    .map((key) => (key.slice(prefix.length) === NULL_SYMBOL ? null : key.slice(prefix.length)))
}

/** Parameters are collected into a HashMap, then printed as org.json's JSONObject of it. */
function parametersNode(parameters: Array<[string, string]>): OrderedJson {
  const values = new Map(parameters)
  const keys = javaHashMapOrder(javaHashMapOrder(parameters.map(([key]) => key)), 'sized')
  return new Map(keys.map((key) => [key, values.get(key) as string]))
}

/**
 * A default as everit prints it: the value JsonSchemaData writes, made org.json objects (keys in
 * hash order) and numbers (a float printed by org.json without trailing zeros, then read and
 * written again by Jackson: 1.0 becomes 1).
 */
function defaultNode(schema: Schema, value: unknown): OrderedJson {
  if (value === null || value === undefined) {
    if (schema.defaultValue !== undefined && schema.defaultValue !== null) return defaultNode(schema, schema.defaultValue)
    if (schema.optional) return null
    throw new Error(`a default of ${schema.name ?? schema.type} holds null for a required part`)
  }
  switch (schema.type) {
    case 'array':
      if (!Array.isArray(value)) break
      return value.map((item: unknown) => defaultNode(schema.valueSchema as Schema, item))
    case 'map': {
      const entries = value instanceof Map ? [...(value as Map<unknown, unknown>)] : Object.entries(value as object)
      const keys = schema.keySchema as Schema
      const values = schema.valueSchema as Schema
      if (keys.type === 'string' && !keys.optional)
        return hashOrdered(entries.map(([key, item]) => [String(key), defaultNode(values, item)]))
      return entries.map(([key, item]) =>
        hashOrdered([
          ['key', defaultNode(keys, key)],
          ['value', defaultNode(values, item)],
        ]),
      )
    }
    case 'struct': {
      if (schema.name === JSON_ONE_OF) break
      const struct = value as Record<string, unknown>
      return hashOrdered((schema.fields ?? []).map((field) => [field.name, defaultNode(field.schema, struct[field.name])]))
    }
    default: {
      const text = payloadWriter(nonOptional(schema))(value)
      if (text === 'true' || text === 'false') return text === 'true'
      if (schema.type === 'float32' || schema.type === 'float64') return floatDefault(text)
      return text.startsWith('"') ? (JSON.parse(text) as string) : jsonNumber(text)
    }
  }
  throw new Error(`the default of ${schema.name ?? schema.type} cannot be written as JSON Schema`)
}

function hashOrdered(entries: Array<[string, OrderedJson]>): OrderedJson {
  const values = new Map(entries)
  return new Map(javaHashMapOrder(entries.map(([key]) => key)).map((key) => [key, values.get(key) as OrderedJson]))
}

function floatDefault(javaText: string): OrderedJson {
  if (javaText.startsWith('"')) throw new Error(`${javaText} cannot be a default in JSON Schema`)
  let text = javaText
  if (text.includes('.') && !text.includes('E')) text = text.replace(/0+$/, '').replace(/\.$/, '')
  return /^-?\d+$/.test(text) ? jsonNumber(BigInt(text)) : jsonNumber(javaDoubleJson(Number(text)))
}

/** The keywords in the order everit's ToStringVisitor writes them. */
function printed(node: Node): OrderedJson {
  const out = new Map<string, OrderedJson>()
  const common = () => {
    if (node.title !== undefined) out.set('title', node.title)
    if (node.description !== undefined) out.set('description', node.description)
    if (node.defaultValue !== undefined) out.set('default', node.defaultValue)
    const values = new Map(node.unprocessed)
    for (const key of javaHashMapOrder(javaHashMapOrder(node.unprocessed.map(([name]) => name)), 'copy'))
      out.set(key, values.get(key) as OrderedJson)
  }
  switch (node.kind) {
    case 'number':
      out.set('type', node.integer ? 'integer' : 'number')
      common()
      break
    case 'string':
      out.set('type', 'string')
      common()
      break
    case 'boolean':
      common()
      out.set('type', 'boolean')
      break
    case 'null':
      out.set('type', 'null')
      common()
      break
    case 'enum':
      out.set('enum', javaHashMapOrder(node.symbols))
      common()
      break
    case 'array':
      out.set('type', 'array')
      common()
      out.set('items', printed(node.items))
      break
    case 'object':
      out.set('type', 'object')
      common()
      if (node.additional !== undefined) out.set('additionalProperties', printed(node.additional))
      if (node.properties.length > 0) {
        const properties = new Map(node.properties)
        out.set(
          'properties',
          new Map(javaHashMapOrder(node.properties.map(([name]) => name)).map((name) => [name, printed(properties.get(name) as Node)])),
        )
      }
      break
    case 'oneOf':
      common()
      out.set('oneOf', node.branches.map(printed))
      break
  }
  return out
}
