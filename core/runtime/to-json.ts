/**
 * A record's data as JSON text, exactly as the json converter writes it: Buffers as base64 strings
 * (Kafka's JsonConverter writes BYTES so), bigints as their digits, and data that carries its own
 * JSON text (JsonTextSource, JsonBytes) as that text. Sources that encode records ahead of the
 * converter (in another thread, say) use it to write the same bytes.
 */
import { toJsonText, type JsonTextSource } from './plugin.ts'

/** Buffers inside JSON data are written as base64 strings, as Kafka's JsonConverter writes BYTES. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
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
