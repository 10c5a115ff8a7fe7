/**
 * Single message transforms: small functions from a record to a record (or null, to drop it), built
 * from a flat string config. Kafka's `$Key`/`$Value` class variants choose which side they act on;
 * Tributary's short names act on the value unless `target=key`.
 */
import { z, type ZodType } from 'zod'
import type { ConnectRecord } from '../plugin.ts'
import type { Schema } from '../schema/schema.ts'

export interface Transform {
  apply<R extends ConnectRecord>(record: R): R | null
}

export type Target = 'key' | 'value'

export interface TransformPlugin<C = unknown> {
  readonly name: string
  /** Kafka/Debezium class names; a `$Key` suffix selects the key, `$Value` the value. */
  readonly aliases: readonly string[]
  readonly description: string
  readonly config: ZodType<C>
  create(config: C, target: Target): Transform
}

export function defineTransform<C>(plugin: TransformPlugin<C>): TransformPlugin<unknown> {
  return plugin as TransformPlugin<unknown>
}

export const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
)

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value)
}

/** One side of a record: its data and, when it has one, the schema that describes that data. */
export interface Side {
  readonly data: unknown
  readonly schema: Schema | undefined
}

export function sideOf(record: ConnectRecord, target: Target): Side {
  return target === 'key' ? { data: record.key, schema: record.keySchema } : { data: record.value, schema: record.valueSchema }
}

/**
 * The record with the targeted side replaced, data and schema together: a side given no schema
 * loses the one it had, so no schema outlives the data it described.
 */
export function withSide<R extends ConnectRecord>(record: R, target: Target, side: Side): R {
  const out: { -readonly [K in keyof ConnectRecord]: ConnectRecord[K] } = { ...record }
  if (target === 'key') {
    out.key = side.data
    if (side.schema === undefined) delete out.keySchema
    else out.keySchema = side.schema
  } else {
    out.value = side.data
    if (side.schema === undefined) delete out.valueSchema
    else out.valueSchema = side.schema
  }
  return out as R
}

/** Replaces the targeted side of the record with what `update` makes of it, schema included. */
export function updateSide<R extends ConnectRecord>(record: R, target: Target, update: (side: Side) => Side): R {
  return withSide(record, target, update(sideOf(record, target)))
}

/** Reads a dotted path (`after.status`) from nested objects. */
export function getPath(data: unknown, path: string): unknown {
  let current = data
  for (const part of path.split('.')) {
    if (!isPlainObject(current)) return undefined
    current = current[part]
  }
  return current
}
