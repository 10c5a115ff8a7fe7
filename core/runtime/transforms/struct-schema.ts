/**
 * What transforms share when a record has a schema, after Kafka Connect's transform utilities:
 * a struct value is checked to be one (Requirements.requireStruct), a derived struct schema keeps
 * the name, version, doc and parameters of the one it came from but not its optionality or default
 * (SchemaUtil.copySchemaBasics), a field read honours `replace.null.with.default` (Struct.get), and a
 * schema derived from another is built once and kept beside it, never per record.
 */
import { z } from 'zod'
import { TributaryError } from '../../errors.ts'
import { Schemas, type Field, type Schema } from '../schema/schema.ts'
import { isPlainObject } from './transform.ts'

export type StructValue = Record<string, unknown>

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (Buffer.isBuffer(value)) return 'bytes'
  if (value instanceof Map) return 'a map'
  if (value instanceof Date) return 'a Date'
  return typeof value
}

/** A transform's data error (Connect's DataException). */
export function dataError(message: string): TributaryError {
  return new TributaryError('TRB_TRANSFORM_FAILED', message)
}

/** The value of a struct schema, as a plain object; anything else fails as Connect's requireStruct does. */
export function requireStruct(value: unknown, schema: Schema, purpose: string): StructValue {
  if (schema.type !== 'struct')
    throw dataError(`Only Struct objects supported for [${purpose}], found a ${schema.type} schema (${schema.name ?? 'unnamed'})`)
  if (!isPlainObject(value) || value instanceof Map || value instanceof Date)
    throw dataError(`Only Struct objects supported for [${purpose}], found: ${describe(value)}`)
  return value
}

/** A new struct schema with `source`'s name, version, doc and parameters and these fields. */
export function copyStruct(
  source: Schema,
  fields: ReadonlyArray<readonly [string, Schema]>,
  extra: { optional?: boolean; defaultValue?: unknown } = {},
): Schema {
  try {
    return Schemas.struct(fields, {
      ...(source.name !== undefined && { name: source.name }),
      ...(source.version !== undefined && { version: source.version }),
      ...(source.doc !== undefined && { doc: source.doc }),
      ...(source.parameters !== undefined && { parameters: source.parameters }),
      ...extra,
    })
  } catch (error) {
    throw dataError((error as Error).message)
  }
}

/** A field's value; with `replaceNullWithDefault` a null takes the field's default, as Struct.get does. */
export function fieldValue(struct: StructValue, field: Field, replaceNullWithDefault: boolean): unknown {
  const value = struct[field.name]
  if (value !== null && value !== undefined) return value
  return replaceNullWithDefault && field.schema.defaultValue !== undefined ? field.schema.defaultValue : null
}

/** A cache of what one transform derives from each input schema, kept as long as the input schema lives. */
export function derivedSchemas<T>(derive: (schema: Schema) => T): (schema: Schema) => T {
  const cache = new WeakMap<Schema, T>()
  return (schema) => {
    let derived = cache.get(schema)
    if (derived === undefined) {
      derived = derive(schema)
      cache.set(schema, derived)
    }
    return derived
  }
}

/** Kafka's `replace.null.with.default` key, which its struct transforms share. */
export const replaceNullWithDefault = z
  .enum(['true', 'false'])
  .default('true')
  .describe('With a schema: a null field that has a default takes the default, as Kafka Connect reads a struct')
