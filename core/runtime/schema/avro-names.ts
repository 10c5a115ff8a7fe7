/**
 * The names and parameters Confluent's AvroData gives what Avro cannot say of a Connect schema (its
 * namespace, the struct of a union, an enum's symbols, a fixed size, docs and defaults from Avro),
 * shared by both directions of the mapping.
 */
import type { Schema } from './schema.ts'

export const AVRO_NAMESPACE = 'io.confluent.connect.avro'
export const AVRO_UNION = `${AVRO_NAMESPACE}.Union`
export const AVRO_ENUM = `${AVRO_NAMESPACE}.Enum`
export const CONNECT_DEFAULT_NAME = 'ConnectDefault'
export const MAP_ENTRY = 'MapEntry'
export const FIXED_SIZE = 'connect.fixed.size'
export const RECORD_DOC = `${AVRO_NAMESPACE}.record.doc`
export const FIELD_DOC_PREFIX = `${AVRO_NAMESPACE}.field.doc.`
/** Set on a schema whose default came from an Avro field default rather than `connect.default`. */
export const FIELD_DEFAULT_FLAG = `${AVRO_NAMESPACE}.field.default`

/** A Connect schema's name is compared as AvroData compares it, ignoring case. */
export const isNamed = (schema: Schema, name: string): boolean =>
  schema.name !== undefined && schema.name.toLowerCase() === name.toLowerCase()

export function isUnionSchema(schema: Schema): boolean {
  return schema.type === 'struct' && schema.name === AVRO_UNION
}

export function isFixedSchema(schema: Schema): boolean {
  return schema.type === 'bytes' && schema.name !== undefined && schema.parameters?.[FIXED_SIZE] !== undefined
}
