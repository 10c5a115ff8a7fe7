/**
 * A record's data as JSON text, exactly as the json converter writes it: Buffers as base64 strings
 * (Kafka's JsonConverter writes BYTES so), bigints as their digits, and data that carries its own
 * JSON text (JsonTextSource, JsonBytes) as that text. Sources that encode records ahead of the
 * converter (in another thread, say) use it to write the same bytes.
 */

/**
 * A key or value may carry its own JSON text: the JSON converter then calls this instead of
 * JSON.stringify, so a connector emitting many records of one shape encodes the shared parts once
 * (a change event's `source` block, say). It must return exactly what JSON.stringify would. Data is
 * never changed in place: a transform that changes a value builds a new object, which has no such
 * method and is serialised as usual.
 */
export const toJsonText: unique symbol = Symbol.for('tributary.toJsonText')
export interface JsonTextSource {
  [toJsonText](): string
}

/**
 * A key or value a connector holds only as its JSON, already in UTF-8 (made in another thread, say):
 * the JSON and string converters write these bytes as they are; transforms and predicates get the
 * parsed data (the transform chain parses it first), and JSON.stringify writes what the bytes hold.
 */
export class JsonBytes implements JsonTextSource {
  readonly bytes: Buffer

  constructor(bytes: Buffer) {
    this.bytes = bytes
  }

  [toJsonText](): string {
    return this.bytes.toString('utf8')
  }

  toJSON(): unknown {
    return JSON.parse(this.bytes.toString('utf8')) as unknown
  }
}

/** The data itself: JsonBytes parsed, anything else as it is. */
export function plainData(data: unknown): unknown {
  return data instanceof JsonBytes ? data.toJSON() : data
}

/** Buffers inside JSON data are written as base64 strings, as Kafka's JsonConverter writes BYTES. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (
    value !== null &&
    typeof value === 'object' &&
    (value as { type?: unknown }).type === 'Buffer' &&
    Array.isArray((value as { data?: unknown }).data)
  ) {
    return Buffer.from((value as { data: number[] }).data).toString('base64')
  }
  return typeof value === 'bigint' ? value.toString() : value
}

/**
 * JSON.stringify with a replacer calls it for every value, which costs more than the serialising
 * itself; only Buffers and bigints need it, so it runs only when a plain pass met one of them (a
 * Buffer serialises to `"type":"Buffer"`, which a string value cannot contain unescaped).
 */
export function toJson(data: unknown): string {
  if (typeof (data as Partial<JsonTextSource> | null)?.[toJsonText] === 'function') return (data as JsonTextSource)[toJsonText]()
  let text: string
  try {
    text = JSON.stringify(data)
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    return JSON.stringify(data, jsonReplacer) // a bigint
  }
  return text.includes('"type":"Buffer"') ? JSON.stringify(data, jsonReplacer) : text
}
