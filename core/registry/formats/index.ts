/** The schema languages the registry keeps, by Confluent's `schemaType`. */
import type { SchemaFormat, SchemaType } from '../schema-format.ts'
import { avroFormat } from './avro.ts'
import { jsonSchemaFormat } from './json-schema.ts'
import { protobufFormat } from './protobuf.ts'

export const schemaFormats: ReadonlyMap<SchemaType, SchemaFormat> = new Map<SchemaType, SchemaFormat>([
  ['AVRO', avroFormat],
  ['JSON', jsonSchemaFormat],
  ['PROTOBUF', protobufFormat],
])
