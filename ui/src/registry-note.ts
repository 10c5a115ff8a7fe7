/**
 * What the record browser says of a key or value the worker read through the Schema Registry
 * (`decode=registry`): its format and schema id, or, when it could not be read, the id and why, so a
 * base64 value is not taken for data that was never meant to be text.
 */
import type { RecordView, RegistryFormat } from './types.ts'

const FORMAT_NAMES: Readonly<Record<RegistryFormat, string>> = { avro: 'Avro', 'json-schema': 'JSON Schema', protobuf: 'Protobuf' }

export function registryNote(record: RecordView, field: 'key' | 'value'): { readonly text: string; readonly isError: boolean } | undefined {
  const format = record[`${field}_format`]
  const id = record[`${field}_schema_id`]
  const error = record[`${field}_decode_error`]
  if (error !== undefined) return { text: `not decoded: ${error}`, isError: true }
  if (format === undefined) return undefined
  return { text: `${FORMAT_NAMES[format] ?? format}, schema id ${id ?? '?'}`, isError: false }
}
