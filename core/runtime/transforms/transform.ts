/**
 * Single message transforms: small functions from a record to a record (or null, to drop it), built
 * from a flat string config. Kafka's `$Key`/`$Value` class variants choose which side they act on;
 * Tributary's short names act on the value unless `target=key`.
 */
import { z, type ZodType } from 'zod'
import type { ConnectRecord } from '../plugin.ts'

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

export const commaList = z.string().transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item.length > 0))

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value)
}

/** Replaces the targeted side of the record with what `update` makes of it. */
export function updateSide<R extends ConnectRecord>(record: R, target: Target, update: (data: unknown) => unknown): R {
  return target === 'key' ? { ...record, key: update(record.key) } : { ...record, value: update(record.value) }
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
