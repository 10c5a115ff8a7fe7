/**
 * JSON Schema for the registry converter (Confluent's JsonSchemaConverter): a Connect schema
 * registers as the JSON Schema JsonSchemaData makes of it, data is written as the JSON
 * JsonSchemaData writes, and a registered schema reads back as the Connect schema JsonSchemaData
 * would give, with its values.
 */
import type { StoredSchema } from '../../registry/registry.ts'
import type { RegistryCodec } from '../registry-converter.ts'
import { connectSchemaOfJsonSchema } from './json-schema-connect.ts'
import { jsonSchemaRecordName, jsonSchemaText } from './json-schema-data.ts'
import { jsonSchemaPayloadReader, jsonSchemaPayloadWriter } from './json-schema-payload.ts'

export const jsonSchemaCodec: RegistryCodec = {
  schemaType: 'JSON',
  schemaText: jsonSchemaText,
  recordName: jsonSchemaRecordName,
  writer: jsonSchemaPayloadWriter,
  reader(stored: StoredSchema) {
    if (stored.references.length > 0)
      throw new Error('schemas with references are not read by the JSON Schema converter yet; inline the referenced schemas')
    const schema = connectSchemaOfJsonSchema(stored.schema)
    return { schema, read: jsonSchemaPayloadReader(schema) }
  },
}
