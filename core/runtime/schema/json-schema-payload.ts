/**
 * Confluent's JsonSchemaConverter, its payload half: the JSON JsonSchemaData.fromConnectData writes,
 * and back. It is JsonConverter's payload (connect-json-payload.ts: bytes and Decimal as base64,
 * Date/Time/Timestamp as integers, floats as Java prints them, fields in the schema's order) but for
 * two shapes: a map whose keys are not required strings is an array of {"key":…,"value":…} objects
 * (not of [key, value] pairs), and a union struct (io.confluent.connect.json.OneOf) is the value of
 * its one set branch. A schema without either is handed whole to JsonConverter's compiled writer.
 * Values beyond 2^53 are read as bigint (parseJsonLossless).
 */
import { SchemaValueError, payloadFromJson, payloadWriter } from './connect-json-payload.ts'
import { JSON_ONE_OF } from './json-schema-data.ts'
import { jsonString } from './json-text.ts'
import { parseJsonLossless } from './lossless-json.ts'
import type { Schema } from './schema.ts'

type TextWriter = (value: unknown) => string

const shapes = new WeakMap<Schema, boolean>()

/** Whether JsonSchemaData writes this schema's data otherwise than JsonConverter does. */
function differs(schema: Schema): boolean {
  let known = shapes.get(schema)
  if (known === undefined) {
    const keys = schema.keySchema
    known =
      (schema.type === 'map' && (keys?.type !== 'string' || keys.optional)) ||
      schema.name === JSON_ONE_OF ||
      (schema.keySchema !== undefined && differs(schema.keySchema)) ||
      (schema.valueSchema !== undefined && differs(schema.valueSchema)) ||
      (schema.fields ?? []).some((field) => differs(field.schema))
    shapes.set(schema, known)
  }
  return known
}

const writers = new WeakMap<Schema, TextWriter>()

function textWriter(schema: Schema): TextWriter {
  if (!differs(schema)) return payloadWriter(schema)
  let writer = writers.get(schema)
  if (writer === undefined) {
    writer = withNulls(schema, compile(schema))
    writers.set(schema, writer)
  }
  return writer
}

/** The payload bytes of a value (no wire-format header). */
export function jsonSchemaPayloadWriter(schema: Schema): (value: unknown) => Buffer {
  const write = textWriter(schema)
  return (value) => Buffer.from(write(value), 'utf8')
}

function withNulls(schema: Schema, write: TextWriter): TextWriter {
  const fallback = schema.defaultValue
  return (value) => {
    if (value !== null && value !== undefined) return write(value)
    if (fallback !== undefined && fallback !== null) return write(fallback)
    if (schema.optional) return 'null'
    throw new SchemaValueError('', `null for a required ${schema.name ?? schema.type} with no default`)
  }
}

function named(part: string, write: TextWriter, value: unknown): string {
  try {
    return write(value)
  } catch (error) {
    if (!(error instanceof SchemaValueError)) throw error
    const path = error.path === '' ? part : `${part}.${error.path}`
    throw new SchemaValueError(path, error.message.slice(error.path === '' ? 0 : error.path.length + 2))
  }
}

const notFitting = (schema: Schema): never => {
  throw new SchemaValueError('', `the value does not fit schema ${schema.name ?? schema.type}`)
}

function compile(schema: Schema): TextWriter {
  switch (schema.type) {
    case 'array': {
      const items = textWriter(schema.valueSchema as Schema)
      return (value) =>
        Array.isArray(value) ? `[${value.map((item, index) => named(`[${index}]`, items, item)).join(',')}]` : notFitting(schema)
    }
    case 'map': {
      const keySchema = schema.keySchema as Schema
      const keys = textWriter(keySchema)
      const values = textWriter(schema.valueSchema as Schema)
      const objectMode = keySchema.type === 'string' && !keySchema.optional
      return (value) => {
        const entries =
          value instanceof Map
            ? [...(value as Map<unknown, unknown>)]
            : value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value)
              ? Object.entries(value)
              : notFitting(schema)
        if (objectMode)
          return `{${entries.map(([key, item]) => `${jsonString(String(key))}:${named(String(key), values, item)}`).join(',')}}`
        return `[${entries.map(([key, item]) => `{"key":${keys(key)},"value":${named(String(key), values, item)}}`).join(',')}]`
      }
    }
    case 'struct': {
      const fields = (schema.fields ?? []).map((field) => ({
        name: field.name,
        prefix: `${jsonString(field.name)}:`,
        write: textWriter(field.schema),
      }))
      if (schema.name === JSON_ONE_OF) {
        return (value) => {
          const struct = value as Record<string, unknown>
          const set = fields.find((field) => struct[field.name] !== null && struct[field.name] !== undefined)
          return set === undefined ? withNulls(schema, () => notFitting(schema))(null) : named(set.name, set.write, struct[set.name])
        }
      }
      return (value) => {
        if (value === null || typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) return notFitting(schema)
        const struct = value as Record<string, unknown>
        return `{${fields.map((field) => field.prefix + named(field.name, field.write, struct[field.name])).join(',')}}`
      }
    }
    default:
      return payloadWriter(schema)
  }
}

/** Reads a payload (no wire-format header) into the data the schema describes. */
export function jsonSchemaPayloadReader(schema: Schema): (payload: Buffer) => unknown {
  if (!differs(schema)) return (payload) => payloadFromJson(schema, parseJsonLossless(payload.toString('utf8')))
  return (payload) => dataOf(schema, parseJsonLossless(payload.toString('utf8')), '')
}

/** A parsed JSON value as the data of its schema (also used for defaults in a JSON Schema). */
export function jsonSchemaValue(schema: Schema, node: unknown): unknown {
  return dataOf(schema, node, '')
}

const within = (path: string, part: string) => (path === '' ? part : part.startsWith('[') ? `${path}${part}` : `${path}.${part}`)

function dataOf(schema: Schema, node: unknown, path: string): unknown {
  if (!differs(schema)) return payloadFromJson(schema, node, path)
  if (node === null || node === undefined) return payloadFromJson(schema, node, path)
  const fail = (): never => {
    throw new SchemaValueError(path, `the JSON does not fit schema ${schema.name ?? schema.type}`)
  }
  switch (schema.type) {
    case 'array':
      return Array.isArray(node)
        ? node.map((item: unknown, index) => dataOf(schema.valueSchema as Schema, item, within(path, `[${index}]`)))
        : fail()
    case 'map': {
      const keySchema = schema.keySchema as Schema
      const valueSchema = schema.valueSchema as Schema
      if (keySchema.type === 'string' && !keySchema.optional) {
        if (typeof node !== 'object' || Array.isArray(node)) return fail()
        return Object.fromEntries(Object.entries(node as object).map(([key, item]) => [key, dataOf(valueSchema, item, within(path, key))]))
      }
      if (!Array.isArray(node)) return fail()
      return new Map(
        node.map((entry: unknown, index) => {
          if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
            throw new SchemaValueError(within(path, `[${index}]`), 'a map entry must be a {"key":…,"value":…} object')
          const { key, value } = entry as { key?: unknown; value?: unknown }
          return [dataOf(keySchema, key, within(path, `[${index}].key`)), dataOf(valueSchema, value, within(path, `[${index}].value`))]
        }),
      )
    }
    case 'struct': {
      const fields = schema.fields ?? []
      if (schema.name === JSON_ONE_OF) {
        const branch = fields.find((field) => fits(field.schema, node))
        if (branch === undefined) throw new SchemaValueError(path, 'no branch of the union fits the JSON')
        return Object.fromEntries(fields.map((field) => [field.name, field === branch ? dataOf(field.schema, node, path) : null]))
      }
      if (typeof node !== 'object' || Array.isArray(node)) return fail()
      const source = node as Record<string, unknown>
      return Object.fromEntries(fields.map((field) => [field.name, dataOf(field.schema, source[field.name], within(path, field.name))]))
    }
    default:
      return payloadFromJson(schema, node, path)
  }
}

/** Which union branch a JSON value is (JsonSchemaData takes the first that fits). */
function fits(schema: Schema, node: unknown): boolean {
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
      return typeof node === 'bigint' || (typeof node === 'number' && Number.isInteger(node))
    case 'float32':
    case 'float64':
      return typeof node === 'number' || typeof node === 'bigint'
    case 'boolean':
      return typeof node === 'boolean'
    case 'string':
    case 'bytes':
      return typeof node === 'string'
    case 'array':
      return Array.isArray(node)
    case 'map':
      return node !== null && typeof node === 'object'
    case 'struct': {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return false
      const names = new Set((schema.fields ?? []).map((field) => field.name))
      return Object.keys(node).every((key) => names.has(key))
    }
  }
}
