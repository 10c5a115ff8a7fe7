/**
 * The per-connector processing between a task and the log: the transform chain and the key and value
 * converters. Structural types here keep the task runners independent of how those are built.
 */
import type { RecordHeader } from '../log/log.ts'
import type { ConnectRecord, RecordHeaders } from './plugin.ts'
import type { Schema } from './schema/schema.ts'

/** Data read from the log, with the schema the bytes carried (none for schemaless data). */
export interface ConnectData {
  readonly value: unknown
  readonly schema?: Schema | undefined
}

/**
 * A converter answers at once, or with a promise when it must first ask a schema registry (a schema it
 * has not met yet); runners await only a promise, so the usual record costs no extra turn.
 */
export interface DataConverter {
  /** With a schema, the data is written as that schema says (and the schema with it, where the format carries one). */
  fromData(topic: string, data: unknown, schema?: Schema): Buffer | null | Promise<Buffer | null>
  toData(topic: string, bytes: Buffer | null): ConnectData | Promise<ConnectData>
}

/** A converter that never waits (json, string, bytes). */
export interface SyncDataConverter extends DataConverter {
  fromData(topic: string, data: unknown, schema?: Schema): Buffer | null
  toData(topic: string, bytes: Buffer | null): ConnectData
}

export interface RecordTransformer {
  apply<R extends ConnectRecord>(record: R): R | null
}

export interface RecordProcessing {
  readonly key: DataConverter
  readonly value: DataConverter
  readonly transforms: RecordTransformer
}

const NO_HEADERS: RecordHeader[] = Object.freeze([]) as unknown as RecordHeader[]

export function headersToLog(headers: RecordHeaders | undefined): RecordHeader[] {
  if (headers === undefined) return NO_HEADERS // shared: nothing downstream adds to a record's headers
  return Object.entries(headers).map(([key, value]) => ({ key, value: typeof value === 'string' ? Buffer.from(value, 'utf8') : value }))
}

/** Kafka allows repeated header keys; connectors see the last one, as Kafka Connect's lastWithName. */
const NO_SINK_HEADERS: Readonly<Record<string, Buffer>> = Object.freeze({})

export function headersFromLog(headers: readonly RecordHeader[]): Readonly<Record<string, Buffer>> {
  // Most records carry none: they share one frozen empty object instead of one each.
  if (headers.length === 0) return NO_SINK_HEADERS
  const result: Record<string, Buffer> = {}
  for (const header of headers) if (header.value !== null) result[header.key] = header.value
  return result
}

/** Bytes for a dead-letter copy of data that could not be converted: as-is, UTF-8, or JSON; null when none can be made. */
export function bestEffortBytes(data: unknown): Buffer | null {
  if (data === null || data === undefined) return null
  if (Buffer.isBuffer(data)) return data
  if (typeof data === 'string') return Buffer.from(data, 'utf8')
  try {
    return Buffer.from(JSON.stringify(data), 'utf8')
  } catch {
    // Too deep for JSON.stringify is too deep for String() as well (an array joins recursively).
    try {
      return Buffer.from(String(data), 'utf8')
    } catch {
      return null
    }
  }
}
