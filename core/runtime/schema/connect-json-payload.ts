/**
 * Kafka Connect's JsonConverter, its payload half: data written as JSON text the way JsonConverter
 * writes it for a schema (Decimal as base64 of the unscaled two's-complement bytes, bytes as base64,
 * Date/Time/Timestamp as numbers, floats as Java prints them, a map with string keys as an object and
 * any other as an array of [key, value] pairs, a struct's fields in the schema's order), and read back
 * into the data schema.ts describes. Writers are compiled once per schema and kept: a record costs a
 * walk of its own values, not of its schema.
 */
import {
  DATE,
  DECIMAL,
  TIME,
  TIMESTAMP,
  dateToDays,
  daysToDate,
  decimalBase64,
  decimalFromBytes,
  decimalScale,
  millisToDate,
  timeToMillis,
} from './logical.ts'
import { javaDoubleJson, javaFloatJson } from './java-number-text.ts'
import { jsonString } from './json-text.ts'
import { toPayloadText, type PayloadTextSource } from './payload-text.ts'
import type { Schema } from './schema.ts'

type Writer = (value: unknown) => string

/** A value that does not fit its schema; `path` names the field (`after.price`). */
export class SchemaValueError extends Error {
  readonly path: string
  constructor(path: string, message: string) {
    super(path === '' ? message : `${path}: ${message}`)
    this.path = path
  }
}

const writers = new WeakMap<Schema, Writer>()

/** The function that writes a value of this schema as JsonConverter's payload JSON. */
export function payloadWriter(schema: Schema): Writer {
  let writer = writers.get(schema)
  if (writer === undefined) {
    writer = compile(schema)
    writers.set(schema, writer)
  }
  return writer
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (Buffer.isBuffer(value)) return 'a Buffer'
  return typeof value === 'object' ? (value instanceof Date ? 'a Date' : 'an object') : `${typeof value} ${String(value).slice(0, 40)}`
}

function mismatch(schema: Schema, value: unknown): never {
  throw new SchemaValueError('', `${describe(value)} does not fit schema ${schema.name ?? schema.type}`)
}

function compile(schema: Schema): Writer {
  const write = compileValue(schema)
  const fallback = schema.defaultValue
  const hasDefault = fallback !== undefined && fallback !== null
  const optional = schema.optional
  return (value) => {
    if (value === null || value === undefined) {
      if (hasDefault) return write(fallback)
      if (optional) return 'null'
      throw new SchemaValueError('', `null for a required ${schema.name ?? schema.type} with no default`)
    }
    return write(value)
  }
}

function integerWriter(schema: Schema, allowBigint: boolean): Writer {
  // A bigint (an int64 beyond 2^53, a timestamp in ns) often comes again (many records of one ms):
  // its text is kept.
  let lastBig: bigint | undefined
  let lastText = ''
  return (value) => {
    if (typeof value === 'number' && Number.isInteger(value)) return String(value)
    if (allowBigint && typeof value === 'bigint') {
      if (value !== lastBig) {
        lastBig = value
        lastText = value.toString()
      }
      return lastText
    }
    return mismatch(schema, value)
  }
}

function logicalWriter(schema: Schema): Writer | undefined {
  switch (schema.name) {
    case DECIMAL: {
      const scale = decimalScale(schema)
      return (value) => {
        if (Buffer.isBuffer(value)) return `"${value.toString('base64')}"`
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') return mismatch(schema, value)
        try {
          return `"${decimalBase64(value, scale)}"`
        } catch (error) {
          throw new SchemaValueError('', (error as Error).message)
        }
      }
    }
    case DATE:
      return schema.type === 'int32'
        ? (value) => (value instanceof Date ? String(dateToDays(value)) : integerWriter(schema, false)(value))
        : undefined
    case TIME:
      return schema.type === 'int32'
        ? (value) => (value instanceof Date ? String(timeToMillis(value)) : integerWriter(schema, false)(value))
        : undefined
    case TIMESTAMP:
      return schema.type === 'int64'
        ? (value) => (value instanceof Date ? String(value.getTime()) : integerWriter(schema, true)(value))
        : undefined
    default:
      return undefined
  }
}

function compileValue(schema: Schema): Writer {
  const logical = logicalWriter(schema)
  if (logical !== undefined) return logical
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
      return integerWriter(schema, false)
    case 'int64':
      return integerWriter(schema, true)
    case 'float32':
      return (value) => (typeof value === 'number' ? javaFloatJson(value) : mismatch(schema, value))
    case 'float64':
      return (value) => (typeof value === 'number' ? javaDoubleJson(value) : mismatch(schema, value))
    case 'boolean':
      return (value) => (value === true ? 'true' : value === false ? 'false' : mismatch(schema, value))
    case 'string':
      return (value) => (typeof value === 'string' ? jsonString(value) : mismatch(schema, value))
    case 'bytes':
      return (value) =>
        Buffer.isBuffer(value)
          ? `"${value.toString('base64')}"`
          : value instanceof Uint8Array
            ? `"${Buffer.from(value).toString('base64')}"`
            : mismatch(schema, value)
    case 'array': {
      const items = payloadWriter(schema.valueSchema as Schema)
      return (value) => {
        if (!Array.isArray(value)) return mismatch(schema, value)
        let text = '['
        for (let index = 0; index < value.length; index++) text += (index === 0 ? '' : ',') + within(`[${index}]`, items, value[index])
        return `${text}]`
      }
    }
    case 'map':
      return mapWriter(schema)
    case 'struct':
      return structWriter(schema)
  }
}

/** Runs a writer for a part of a value, naming the part in what it throws. */
function within(part: string, write: Writer, value: unknown): string {
  try {
    return write(value)
  } catch (error) {
    if (error instanceof SchemaValueError)
      throw new SchemaValueError(
        error.path === '' ? part : `${part}.${error.path}`.replace('.[', '['),
        error.message.slice(error.path === '' ? 0 : error.path.length + 2),
      )
    throw error
  }
}

function entriesOf(value: unknown): Array<[unknown, unknown]> | undefined {
  if (value instanceof Map) return [...value.entries()]
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value)) return Object.entries(value)
  return undefined
}

function mapWriter(schema: Schema): Writer {
  const keySchema = schema.keySchema as Schema
  const keys = payloadWriter(keySchema)
  const values = payloadWriter(schema.valueSchema as Schema)
  const stringKeys = keySchema.type === 'string'
  return (value) => {
    const entries = entriesOf(value)
    if (entries === undefined) return mismatch(schema, value)
    if (stringKeys) return `{${entries.map(([key, item]) => `${jsonString(String(key))}:${within(String(key), values, item)}`).join(',')}}`
    return `[${entries.map(([key, item]) => `[${keys(key)},${values(item)}]`).join(',')}]`
  }
}

/** What a field's NULL is written as: its default's text, `null`, or undefined where it is refused (required, no default). */
function nullText(schema: Schema): string | undefined {
  const fallback = schema.defaultValue
  if (fallback !== undefined && fallback !== null) {
    try {
      return compileValue(schema)(fallback)
    } catch {
      return undefined // a default that does not fit: the slow path says so when it is needed
    }
  }
  return schema.optional ? 'null' : undefined
}

/**
 * A struct's writer, compiled to one function of its fields (property reads by name, one string
 * expression), which is several times faster than a loop over the fields. Anything unusual (a value
 * that is not a struct, a NULL the schema refuses, a field that fails) goes to the loop, which names
 * the field in what it throws. Data is never changed in place (plugin.ts), so a struct many records
 * share is written once while it comes again; one with its own payload text (toPayloadText) writes
 * itself.
 */
function structWriter(schema: Schema): Writer {
  const fields = schema.fields ?? []
  const slow = structLoopWriter(schema)
  if (fields.length === 0) return slow
  const values = fields.map((field) => compileValue(field.schema))
  const nulls = fields.map((field) => nullText(field.schema))
  // A field's string value often comes again (a status, a timestamp of rows loaded together): its text is kept.
  let body = `let lastValue\nlet lastText = ""\n${fields.map((_, index) => `let l${index}, t${index}\n`).join('')}return function write(s) {\n`
  body += '  if (s === lastValue) return lastText\n'
  body += '  if (s === null || typeof s !== "object" || Array.isArray(s) || Buffer.isBuffer(s)) return slow(s)\n'
  body += '  const own = s[toPayloadText]\n  if (own !== undefined) return own.call(s)\n  try {\n    let v\n'
  fields.forEach((field, index) => {
    const whenNull = nulls[index] === undefined ? 'slow(s)' : `n${index}`
    body += `    v = s[${JSON.stringify(field.name)}]\n    const a${index} = v === null || v === undefined ? ${whenNull} : v === l${index} ? t${index} : typeof v === "string" ? (t${index} = w${index}(v), l${index} = v, t${index}) : w${index}(v)\n`
  })
  const parts = fields.map((field, index) => `${JSON.stringify(`${index === 0 ? '{' : ','}${jsonString(field.name)}:`)} + a${index}`)
  body += `    lastText = ${parts.join(' + ')} + "}"\n    lastValue = s\n    return lastText\n  } catch {\n    return slow(s)\n  }\n}`
  const names = ['Buffer', 'slow', 'toPayloadText', ...values.map((_, index) => `w${index}`), ...nulls.map((_, index) => `n${index}`)]
  // Field names enter the code only as JSON string literals.
  const make = new Function(...names, body) as (...args: unknown[]) => Writer
  return make(Buffer, slow, toPayloadText, ...values, ...nulls)
}

/** The same, as a loop over the fields: the reference, and where errors are named. */
function structLoopWriter(schema: Schema): Writer {
  const fields = schema.fields ?? []
  const names = fields.map((field) => field.name)
  const prefixes = fields.map((field, index) => `${index === 0 ? '{' : ','}${jsonString(field.name)}:`)
  const parts = fields.map((field) => payloadWriter(field.schema))
  const count = fields.length
  return (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) return mismatch(schema, value)
    const own = (value as Partial<PayloadTextSource>)[toPayloadText]
    if (own !== undefined) return own.call(value)
    const struct = value as Record<string, unknown>
    if (count === 0) return '{}'
    let text = ''
    for (let index = 0; index < count; index++) {
      const name = names[index] as string
      let part: string
      try {
        part = (parts[index] as Writer)(struct[name])
      } catch (error) {
        if (error instanceof SchemaValueError)
          throw new SchemaValueError(
            error.path === '' ? name : `${name}.${error.path}`.replace('.[', '['),
            error.message.slice(error.path === '' ? 0 : error.path.length + 2),
          )
        throw error
      }
      text += (prefixes[index] as string) + part
    }
    return `${text}}`
  }
}

const FLOAT_WORDS: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
}

/**
 * Reads parsed payload JSON back into the data a schema describes. int64 values beyond 2^53 arrive
 * as bigint when the JSON was parsed losslessly (see parseJsonLossless).
 */
export function payloadFromJson(schema: Schema, node: unknown, path = ''): unknown {
  if (node === null || node === undefined) {
    if (schema.defaultValue !== undefined && schema.defaultValue !== null) return schema.defaultValue
    if (schema.optional) return null
    throw new SchemaValueError(path, `null for a required ${schema.name ?? schema.type} with no default`)
  }
  const fail = (): never => {
    throw new SchemaValueError(path, `${describe(node)} does not fit schema ${schema.name ?? schema.type}`)
  }
  switch (schema.name) {
    case DECIMAL:
      if (typeof node === 'string') return decimalFromBytes(Buffer.from(node, 'base64'), decimalScale(schema))
      return typeof node === 'number' || typeof node === 'bigint' ? String(node) : fail()
    case DATE:
      return typeof node === 'number' ? daysToDate(node) : fail()
    case TIME:
      return typeof node === 'number' ? millisToDate(node) : fail()
    case TIMESTAMP:
      return typeof node === 'number' ? millisToDate(node) : typeof node === 'bigint' ? millisToDate(Number(node)) : fail()
    default:
      break
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
      return typeof node === 'number' && Number.isInteger(node) ? node : fail()
    case 'int64':
      return (typeof node === 'number' && Number.isInteger(node)) || typeof node === 'bigint' ? node : fail()
    case 'float32':
    case 'float64':
      if (typeof node === 'number') return node
      return typeof node === 'string' && node in FLOAT_WORDS ? FLOAT_WORDS[node] : fail()
    case 'boolean':
      return typeof node === 'boolean' ? node : fail()
    case 'string':
      return typeof node === 'string' ? node : fail()
    case 'bytes':
      return typeof node === 'string' ? Buffer.from(node, 'base64') : fail()
    case 'array': {
      if (!Array.isArray(node)) return fail()
      const items = schema.valueSchema as Schema
      return node.map((item: unknown, index) => payloadFromJson(items, item, `${path}[${index}]`))
    }
    case 'map': {
      const keySchema = schema.keySchema as Schema
      const valueSchema = schema.valueSchema as Schema
      if (Array.isArray(node)) {
        return new Map(
          node.map((pair: unknown, index) => {
            if (!Array.isArray(pair) || pair.length !== 2)
              throw new SchemaValueError(`${path}[${index}]`, 'a map entry must be a [key, value] pair')
            return [
              payloadFromJson(keySchema, pair[0], `${path}[${index}][0]`),
              payloadFromJson(valueSchema, pair[1], `${path}[${index}][1]`),
            ]
          }),
        )
      }
      if (typeof node !== 'object') return fail()
      const result: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(node)) result[key] = payloadFromJson(valueSchema, item, path === '' ? key : `${path}.${key}`)
      return result
    }
    case 'struct': {
      if (typeof node !== 'object' || Array.isArray(node)) return fail()
      const source = node as Record<string, unknown>
      const result: Record<string, unknown> = {}
      for (const field of schema.fields ?? [])
        result[field.name] = payloadFromJson(field.schema, source[field.name], path === '' ? field.name : `${path}.${field.name}`)
      return result
    }
  }
}
