/**
 * Defaults between Connect and Avro: a Connect default as the JSON of an Avro field default or of
 * `connect.default` (AvroData's defaultValueFromConnect: bytes and Decimals as ISO-8859-1 text, dates
 * as days or ms, a map with other than string keys as [key, value] pairs), and that JSON read back.
 */
import {
  DATE,
  DECIMAL,
  TIME,
  TIMESTAMP,
  dateToDays,
  daysToDate,
  decimalFromBytes,
  decimalScale,
  decimalToBytes,
  millisToDate,
  timeToMillis,
} from './logical.ts'
import type { Schema } from './schema.ts'
import { AVRO_UNION, isNamed, isUnionSchema } from './avro-names.ts'

const isJson = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)

/** A Connect value as the JSON of an Avro default (AvroData's defaultValueFromConnect): bytes as ISO-8859-1 text. */
export function defaultJson(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (isNamed(schema, DECIMAL) && !Buffer.isBuffer(value)) return decimalToBytes(value as string, decimalScale(schema)).toString('latin1')
  if (value instanceof Date) {
    if (isNamed(schema, DATE)) return dateToDays(value)
    if (isNamed(schema, TIME)) return timeToMillis(value)
    return value.getTime()
  }
  switch (schema.type) {
    case 'int64':
      return typeof value === 'bigint' ? Number(value) : value
    case 'bytes':
      return Buffer.isBuffer(value) || value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value
    case 'array':
      return (value as unknown[]).map((item) => defaultJson(schema.valueSchema as Schema, item))
    case 'map': {
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object)
      const keySchema = schema.keySchema as Schema
      if (keySchema.type === 'string' && !keySchema.optional)
        return Object.fromEntries(entries.map(([key, item]) => [key, defaultJson(schema.valueSchema as Schema, item)]))
      return entries.map(([key, item]) => [defaultJson(keySchema, key), defaultJson(schema.valueSchema as Schema, item)])
    }
    case 'struct': {
      const struct = value as Record<string, unknown>
      const json: Record<string, unknown> = {}
      const union = isUnionSchema(schema)
      for (const field of schema.fields ?? []) {
        const item = struct[field.name] ?? field.schema.defaultValue ?? null
        if (union) return defaultJson(field.schema, item)
        json[field.name] = defaultJson(field.schema, item)
      }
      return json
    }
    default:
      return value
  }
}

/** An Avro default's JSON (a field's `default` or `connect.default`) as Connect data. */
export function defaultFromJson(schema: Schema, json: unknown): unknown {
  if (json === null || json === undefined) return null
  if (schema.name === DECIMAL && typeof json === 'string')
    return decimalFromBytes(Buffer.from(json, 'latin1'), Number(schema.parameters?.scale ?? 0))
  if (typeof json === 'number') {
    if (schema.name === DATE) return daysToDate(json)
    if (schema.name === TIME || schema.name === TIMESTAMP) return millisToDate(json)
  }
  const fail = (): never => {
    throw new Error(`default ${JSON.stringify(json)} does not fit ${schema.type}`)
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
      return Number.isInteger(json) ? json : fail()
    case 'float32':
    case 'float64':
      return typeof json === 'number' ? json : fail()
    case 'boolean':
      return typeof json === 'boolean' ? json : fail()
    case 'string':
      return typeof json === 'string' ? json : fail()
    case 'bytes':
      return typeof json === 'string' ? Buffer.from(json, 'latin1') : fail()
    case 'array':
      return Array.isArray(json) ? json.map((item) => defaultFromJson(schema.valueSchema as Schema, item)) : fail()
    case 'map': {
      const keySchema = schema.keySchema as Schema
      const valueSchema = schema.valueSchema as Schema
      if (Array.isArray(json)) {
        return new Map(
          json.map((entry) =>
            Array.isArray(entry)
              ? [defaultFromJson(keySchema, entry[0]), defaultFromJson(valueSchema, entry[1])]
              : isJson(entry)
                ? [defaultFromJson(keySchema, entry.key), defaultFromJson(valueSchema, entry.value)]
                : fail(),
          ),
        )
      }
      return isJson(json)
        ? Object.fromEntries(Object.entries(json).map(([key, item]) => [key, defaultFromJson(valueSchema, item)]))
        : fail()
    }
    case 'struct': {
      if (!isJson(json) || schema.name === AVRO_UNION) return fail()
      return Object.fromEntries(
        (schema.fields ?? []).map((field) => [
          field.name,
          field.name in json ? defaultFromJson(field.schema, json[field.name]) : (field.schema.defaultValue ?? null),
        ]),
      )
    }
  }
}
