/**
 * A snapshot chunk as it crosses from the snapshot thread to the worker's (snapshot-thread.ts,
 * snapshot-in-thread.ts): every record's key and value payload, as JsonConverter writes them for
 * their schemas, in one UTF-8 buffer, which is moved to the other thread rather than copied, with
 * their bounds and the records' offsets. The schemas cross as their JsonConverter text, once per
 * table version; the worker's thread reads them back once and shares them among the records.
 */
import {
  JsonBytes,
  payloadWriter,
  schemaFromJson,
  schemaJson,
  type Schema,
  type SourceOffset,
  type SourcePartition,
  type SourceRecord,
} from '../../../core/runtime/plugin.ts'
import type { SnapshotProgress } from './snapshot.ts'

/** The key and value schemas of a chunk's records (a table has one of each per version), as text. */
export interface ChunkSchemas {
  readonly key: string | null
  readonly value: string
}

/** One chunk's records: `bytes` holds each record's key JSON then its value JSON (UTF-8), at `bounds`. */
export interface EncodedChunk {
  readonly kind: 'chunk'
  /** Present when they differ from the previous chunk's. */
  readonly schemas?: ChunkSchemas
  readonly topic: string
  readonly timestamp: number
  readonly bytes: Uint8Array
  /** Per record: key start (-1: no key), key end (where the value starts), value end (-1: no value). */
  readonly bounds: Int32Array
  /** The records' distinct offsets, and which one each record has. */
  readonly offsets: readonly SourceOffset[]
  readonly offsetIndex: Uint32Array
  readonly progress: SnapshotProgress
}

export type SnapshotThreadMessage =
  | EncodedChunk
  | { readonly kind: 'ready' | 'done'; readonly progress: SnapshotProgress }
  | { readonly kind: 'failed'; readonly message: string; readonly code: string | undefined }

/** What the worker's thread asks: the next chunk, or to stop. */
export type SnapshotThreadRequest = 'next' | 'close'

/**
 * The chunk's records as one UTF-8 buffer of their own (moved to the other thread, not copied).
 * Each JSON text is written on its own: joining them into one string first costs three times as
 * much (V8 flattens the joined texts slowly). The buffer is sized for ASCII (one byte a character,
 * the usual case) and sized again in bytes when a text holds more.
 */
export function encodeChunk(records: readonly SourceRecord[], progress: SnapshotProgress, schemas?: ChunkSchemas): EncodedChunk {
  const keys = new Array<string | null>(records.length)
  const values = new Array<string | null>(records.length)
  const offsets: SourceOffset[] = []
  const offsetIndex = new Uint32Array(records.length)
  let characters = 0
  // Every record of a chunk is of one table version: one writer each for keys and values.
  const first = records[0]
  const writeKey = first?.keySchema === undefined ? undefined : payloadWriter(first.keySchema)
  const writeValue = payloadWriter(first?.valueSchema as Schema)
  for (let index = 0; index < records.length; index++) {
    const record = records[index] as SourceRecord
    const key = record.key === null || record.key === undefined || writeKey === undefined ? null : writeKey(record.key)
    const value = record.value === null || record.value === undefined ? null : writeValue(record.value)
    keys[index] = key
    values[index] = value
    characters += (key?.length ?? 0) + (value?.length ?? 0)
    if (offsets.at(-1) !== record.sourceOffset) offsets.push(record.sourceOffset)
    offsetIndex[index] = offsets.length - 1
  }
  const bounds = new Int32Array(records.length * 3)
  // Four bytes to spare (the longest UTF-8 character): a text cut short at the end of the buffer
  // then always writes more bytes than it has characters, so a text beyond ASCII is never missed.
  let bytes = Buffer.allocUnsafeSlow(characters + 4)
  if (writeTexts(bytes, keys, values, bounds)) {
    bytes = bytes.subarray(0, characters)
  } else {
    let byteLength = 0
    for (let index = 0; index < records.length; index++)
      byteLength += Buffer.byteLength(keys[index] ?? '') + Buffer.byteLength(values[index] ?? '')
    bytes = Buffer.allocUnsafeSlow(byteLength)
    writeTexts(bytes, keys, values, bounds)
  }
  return {
    kind: 'chunk',
    ...(schemas !== undefined && { schemas }),
    topic: first?.topic ?? '',
    timestamp: first?.timestamp ?? Date.now(),
    bytes,
    bounds,
    offsets,
    offsetIndex,
    progress,
  }
}

/** Writes the texts one after another, with their bounds; false when one took more bytes than characters. */
function writeTexts(bytes: Buffer, keys: ReadonlyArray<string | null>, values: ReadonlyArray<string | null>, bounds: Int32Array): boolean {
  let at = 0
  let oneByteEach = true
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string | null
    const value = values[index] as string | null
    bounds[index * 3] = key === null ? -1 : at
    if (key !== null) {
      const written = bytes.write(key, at, 'utf8')
      oneByteEach &&= written === key.length
      at += written
    }
    bounds[index * 3 + 1] = at
    if (value !== null) {
      const written = bytes.write(value, at, 'utf8')
      oneByteEach &&= written === value.length
      at += written
    }
    bounds[index * 3 + 2] = value === null ? -1 : at
  }
  return oneByteEach
}

/** The schemas of a chunk's records, as text for the other thread. */
export function chunkSchemas(record: SourceRecord): ChunkSchemas {
  return { key: record.keySchema === undefined ? null : schemaJson(record.keySchema), value: schemaJson(record.valueSchema as Schema) }
}

/** The schemas read back from their text. */
export interface DecodedSchemas {
  readonly key: Schema | undefined
  readonly value: Schema
}

export function decodeSchemas(schemas: ChunkSchemas): DecodedSchemas {
  return {
    key: schemas.key === null ? undefined : schemaFromJson(JSON.parse(schemas.key)),
    value: schemaFromJson(JSON.parse(schemas.value)),
  }
}

/** The chunk's records again, their keys and values as JsonBytes over the chunk's buffer, with the schemas they were written for. */
export function decodeChunk(chunk: EncodedChunk, sourcePartition: SourcePartition, schemas: DecodedSchemas): SourceRecord[] {
  const { bounds, offsets, offsetIndex, topic, timestamp } = chunk
  const bytes = Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength)
  const count = offsetIndex.length
  const records = new Array<SourceRecord>(count)
  for (let index = 0; index < count; index++) {
    const keyStart = bounds[index * 3] as number
    const valueStart = bounds[index * 3 + 1] as number
    const valueEnd = bounds[index * 3 + 2] as number
    records[index] = {
      topic,
      key: keyStart < 0 ? null : new JsonBytes(bytes.subarray(keyStart, valueStart)),
      ...(keyStart >= 0 && { keySchema: schemas.key }),
      value: valueEnd < 0 ? null : new JsonBytes(bytes.subarray(valueStart, valueEnd)),
      ...(valueEnd >= 0 && { valueSchema: schemas.value }),
      timestamp,
      sourcePartition,
      sourceOffset: offsets[offsetIndex[index] as number] as SourceOffset,
    }
  }
  return records
}
