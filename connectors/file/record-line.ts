/** Turns a sink record into the bytes of one output line, newline included. */
import type { SinkRecord } from '../../core/runtime/plugin.ts'

export interface LineOptions {
  readonly format: 'json' | 'raw'
  readonly envelope: boolean
}

const NEWLINE = Buffer.from('\n')

export function recordLine(record: SinkRecord, options: LineOptions): Buffer {
  if (options.envelope) {
    const { topic, partition, offset, timestamp, key, value } = record
    return Buffer.from(`${toJson({ topic, partition, offset, timestamp, key, value })}\n`)
  }
  const value = record.value
  if (options.format === 'raw' && Buffer.isBuffer(value)) return Buffer.concat([value, NEWLINE])
  if (options.format === 'raw' && typeof value === 'string') return Buffer.from(`${value}\n`)
  return Buffer.from(`${toJson(value)}\n`)
}

/** JSON with Buffers (at any depth) as base64 strings and bigints as decimal strings. */
function toJson(value: unknown): string {
  return JSON.stringify(value ?? null, function (this: Record<string, unknown>, key, converted: unknown) {
    // `this[key]` is the value before Buffer's own toJSON turned it into {type, data}.
    const original = this[key]
    if (Buffer.isBuffer(original)) return original.toString('base64')
    if (typeof original === 'bigint') return original.toString()
    return converted
  })
}
