/**
 * Confluent's JsonSchemaConverter, its way back: a registered JSON Schema as the Connect schema
 * JsonSchemaData.toConnectSchema gives. The connect.* keywords json-schema-data.ts writes restore
 * what JSON Schema cannot say (int8 … float32, bytes, maps, versions, parameters, the fields' order);
 * a plain JSON Schema maps as Confluent maps it: integer → int64, number → float64, string, boolean,
 * object with properties → struct (fields in the order everit's hash map gives them), object with
 * additionalProperties → map, array → array, enum → string with its symbols as parameters,
 * oneOf/anyOf of null and T → optional T, any other oneOf/anyOf → a union struct
 * (io.confluent.connect.json.OneOf). `$ref` within the document is followed.
 */
import { javaHashMapOrder } from './java-hash-order.ts'
import { JSON_ENUM, JSON_ONE_OF } from './json-schema-data.ts'
import { jsonSchemaValue } from './json-schema-payload.ts'
import { parseJsonLossless } from './lossless-json.ts'
import { Schemas, withOptions, type Schema, type SchemaOptions } from './schema.ts'

type JsonObject = Record<string, unknown>

const CONNECT_NUMBER_TYPES = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'bytes'] as const

const isObject = (node: unknown): node is JsonObject => node !== null && typeof node === 'object' && !Array.isArray(node)
const isNullSchema = (node: unknown): boolean => isObject(node) && node.type === 'null'

class Reading {
  readonly root: unknown
  readonly following = new Set<string>()

  constructor(root: unknown) {
    this.root = root
  }

  /** A `$ref` within the document (`#/definitions/Name`, `#/$defs/Name`). */
  resolve(ref: string): unknown {
    if (!ref.startsWith('#'))
      throw new Error(`$ref ${ref} points outside the schema; schemas with references are not read by the JSON Schema converter yet`)
    let node = this.root
    for (const part of ref
      .slice(1)
      .split('/')
      .filter((segment) => segment !== '')) {
      const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')
      node = isObject(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined
      if (node === undefined) throw new Error(`$ref ${ref} names nothing in the schema`)
    }
    return node
  }
}

/** The Connect schema of a JSON Schema's text. */
export function connectSchemaOfJsonSchema(text: string): Schema {
  const root = parseJsonLossless(text)
  return toConnect(new Reading(root), root, false)
}

function connectType(node: JsonObject): string | undefined {
  const type = node['connect.type']
  if (type !== undefined && typeof type !== 'string') throw new Error(`connect.type ${JSON.stringify(type)} is not a string`)
  return type
}

function typeOf(node: JsonObject): string | undefined {
  if (typeof node.type === 'string') return node.type
  if (node.type !== undefined) return undefined
  if ('enum' in node || 'const' in node) return 'enum'
  if ('oneOf' in node || 'anyOf' in node || 'allOf' in node) return 'combined'
  if ('properties' in node || 'additionalProperties' in node) return 'object'
  if ('items' in node) return 'array'
  return undefined
}

function toConnect(reading: Reading, node: unknown, forceOptional: boolean): Schema {
  if (!isObject(node)) throw new Error(`${JSON.stringify(node)} as a schema (a schema that takes any value) has no Connect schema`)
  if (typeof node.$ref === 'string') {
    if (reading.following.has(node.$ref)) throw new Error(`$ref ${node.$ref} refers to itself; recursive schemas have no Connect schema`)
    reading.following.add(node.$ref)
    try {
      return toConnect(reading, reading.resolve(node.$ref), forceOptional)
    } finally {
      reading.following.delete(node.$ref)
    }
  }
  if (Array.isArray(node.type)) {
    const types = node.type as unknown[]
    const others = types.filter((type) => type !== 'null')
    if (others.length === 1 && types.length === 2) return toConnect(reading, { ...node, type: others[0] }, true)
    if (types.length === 1) return toConnect(reading, { ...node, type: types[0] }, forceOptional)
    throw new Error(`"type": ${JSON.stringify(node.type)} (several types) is not read into a Connect schema`)
  }
  const options: { -readonly [K in keyof SchemaOptions]: SchemaOptions[K] } = {}
  let schema: Schema
  const type = typeOf(node)
  switch (type) {
    case 'boolean':
      schema = Schemas.boolean()
      break
    case 'integer':
    case 'number': {
      const connect = connectType(node)
      if (connect === undefined) schema = type === 'integer' ? Schemas.int64() : Schemas.float64()
      else if ((CONNECT_NUMBER_TYPES as readonly string[]).includes(connect))
        schema = Schemas[connect as (typeof CONNECT_NUMBER_TYPES)[number]]()
      else throw new Error(`unknown connect.type ${connect}`)
      break
    }
    case 'string':
      schema = connectType(node) === 'bytes' ? Schemas.bytes() : Schemas.string()
      break
    case 'enum': {
      const symbols = 'const' in node ? [node.const] : Array.isArray(node.enum) ? (node.enum as unknown[]) : []
      options.parameters = Object.fromEntries([
        [JSON_ENUM, ''],
        ...symbols.map((symbol) => {
          const text = symbol === null ? '<NULL>' : String(symbol)
          return [`${JSON_ENUM}.${text}`, text]
        }),
      ])
      schema = Schemas.string()
      break
    }
    case 'combined': {
      if (node.allOf !== undefined) throw new Error('allOf is not read into a Connect schema yet')
      const branches = (node.oneOf ?? node.anyOf) as unknown
      if (!Array.isArray(branches) || branches.length === 0) throw new Error('oneOf/anyOf needs a list of schemas')
      if (branches.length === 1) return toConnect(reading, branches[0], false)
      if (branches.length === 2 && branches.some(isNullSchema))
        return toConnect(
          reading,
          branches.find((branch) => !isNullSchema(branch)),
          true,
        )
      if (branches.some(isNullSchema)) options.optional = true
      const fields = branches
        .filter((branch) => !isNullSchema(branch))
        .map((branch, index) => [`${JSON_ONE_OF}.field.${index}`, toConnect(reading, branch, true)] as const)
      schema = Schemas.struct(fields, { name: JSON_ONE_OF })
      break
    }
    case 'array': {
      if (!isObject(node.items)) throw new Error('an array schema needs one "items" schema')
      const entry = node.items
      if (connectType(node) === 'map' && isObject(entry.properties)) {
        const properties = entry.properties
        schema = Schemas.map(toConnect(reading, properties.key, false), toConnect(reading, properties.value, false))
      } else {
        schema = Schemas.array(toConnect(reading, entry, false))
      }
      break
    }
    case 'object':
      if (connectType(node) === 'map') {
        if (!isObject(node.additionalProperties)) throw new Error('a map schema needs an "additionalProperties" schema')
        schema = Schemas.map(Schemas.string(), toConnect(reading, node.additionalProperties, false))
      } else {
        schema = Schemas.struct(structFields(reading, isObject(node.properties) ? node.properties : {}))
      }
      break
    default:
      throw new Error(`${JSON.stringify(node).slice(0, 80)} has no Connect schema`)
  }
  if (typeof node.title === 'string' && schema.name === undefined) options.name = node.title
  const version = node['connect.version']
  if (version !== undefined) {
    if (typeof version !== 'number' || !Number.isInteger(version))
      throw new Error(`connect.version ${JSON.stringify(version)} is not an integer`)
    options.version = version
  }
  if (typeof node.description === 'string') options.doc = node.description
  const parameters = node['connect.parameters']
  if (isObject(parameters))
    options.parameters = {
      ...options.parameters,
      ...Object.fromEntries(Object.entries(parameters).map(([key, value]) => [key, String(value)])),
    }
  if (forceOptional) options.optional = true
  schema = withOptions(schema, options)
  if (node.default !== undefined && node.default !== null)
    schema = withOptions(schema, { defaultValue: jsonSchemaValue(withOptions(schema, { optional: true }), node.default) })
  return schema
}

/** Fields by connect.index; where a property has none, it takes the next place, in everit's order. */
function structFields(reading: Reading, properties: JsonObject): Array<[string, Schema]> {
  const sorted = new Map<number, string>()
  for (const name of javaHashMapOrder(Object.keys(properties))) {
    const property = properties[name]
    const index = isObject(property) && typeof property['connect.index'] === 'number' ? property['connect.index'] : sorted.size
    sorted.set(index, name)
  }
  return [...sorted].sort(([a], [b]) => a - b).map(([, name]) => [name, toConnect(reading, properties[name], false)])
}
