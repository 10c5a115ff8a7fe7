/**
 * Avro for the registry converter (Confluent's AvroConverter): a Connect schema registers as the Avro
 * schema AvroData makes of it, data is written as Avro binary, and a registered schema reads back as
 * the Connect schema AvroData would give, with its values.
 */
import type { StoredSchema } from '../../registry/registry.ts'
import type { RegistryCodec } from '../registry-converter.ts'
import { avroReader, avroWriter } from './avro-binary.ts'
import { connectSchemaOf } from './avro-connect-schema.ts'
import { avroSchemaOf } from './avro-data.ts'
import type { Schema } from './schema.ts'

const texts = new WeakMap<Schema, string>()

function schemaText(schema: Schema): string {
  let text = texts.get(schema)
  if (text === undefined) {
    text = JSON.stringify(avroSchemaOf(schema))
    texts.set(schema, text)
  }
  return text
}

export const avroCodec: RegistryCodec = {
  schemaType: 'AVRO',
  schemaText,
  recordName(schema) {
    const avro = avroSchemaOf(schema) as { type?: unknown; name?: unknown; namespace?: unknown }
    if (typeof avro !== 'object' || avro.type !== 'record' || typeof avro.name !== 'string') return undefined
    return avro.name.includes('.') || typeof avro.namespace !== 'string' ? avro.name : `${avro.namespace}.${avro.name}`
  },
  writer: avroWriter,
  reader(stored: StoredSchema) {
    if (stored.references.length > 0)
      throw new Error('schemas with references are not read by the Avro converter yet; inline the referenced types')
    const json = JSON.parse(stored.schema) as object | string
    return { schema: connectSchemaOf(json), read: avroReader(json) }
  },
}
