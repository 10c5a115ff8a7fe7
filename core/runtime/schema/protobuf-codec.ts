/**
 * Protobuf for the registry converter (Confluent's ProtobufConverter): a Connect struct schema
 * registers as the .proto file ProtobufData makes of it (protobuf-data.ts), a record is written as
 * Confluent's message indexes and the message's binary, and a registered schema reads back as the
 * Connect schema ProtobufData would give (protobuf-connect-schema.ts), for the message the indexes
 * name. Optional fields are plain proto3 fields, so a null scalar reads back as its default (see
 * protobuf-values.ts), as with Confluent's default `wrapper.for.nullables=false`.
 */
import type { Type } from 'protobufjs'
import { firstMessage, messageAt, protobufFormat } from '../../registry/formats/protobuf.ts'
import type { ParsedSchema } from '../../registry/schema-format.ts'
import type { StoredSchema } from '../../registry/registry.ts'
import type { RegistryCodec } from '../registry-converter.ts'
import { structSchema } from './protobuf-connect-schema.ts'
import { DEFAULT_SCHEMA_NAME, protoTextOf } from './protobuf-data.ts'
import { decodeMessageIndexes, encodeMessageIndexes } from './protobuf-message-indexes.ts'
import { protoWriter, structReader } from './protobuf-values.ts'
import type { Schema } from './schema.ts'

const texts = new WeakMap<Schema, string>()
const FIRST_MESSAGE = encodeMessageIndexes([0])

function schemaText(schema: Schema): string {
  let text = texts.get(schema)
  if (text === undefined) {
    text = protoTextOf(schema)
    texts.set(schema, text)
  }
  return text
}

function writer(schema: Schema): (data: unknown) => Buffer {
  const type = firstMessage(protobufFormat.parse(schemaText(schema), []))
  const convert = protoWriter(schema)
  return (data) => {
    return Buffer.concat([FIRST_MESSAGE, type.encode(convert(data) as Record<string, unknown>).finish()])
  }
}

interface MessageReader {
  readonly schema: Schema
  readonly read: (bytes: Buffer) => unknown
}

function messageReader(type: Type): MessageReader {
  const schema = structSchema(type)
  const toConnect = structReader(type, schema)
  return { schema, read: (bytes) => toConnect(type.decode(bytes)) }
}

function reader(stored: StoredSchema) {
  if (stored.references.length > 0)
    throw new Error(
      'schemas with references are not read by the Protobuf converter yet; import only the well-known files (google/protobuf, google/type, confluent)',
    )
  const parsed: ParsedSchema = protobufFormat.parse(stored.schema, [])
  const first = messageReader(firstMessage(parsed))
  const others = new Map<string, MessageReader>()
  const messageOf = (payload: Buffer): { message: MessageReader; offset: number } => {
    const { indexes, offset } = decodeMessageIndexes(payload)
    if (indexes.length === 1 && indexes[0] === 0) return { message: first, offset }
    const key = indexes.join('.')
    let message = others.get(key)
    if (message === undefined) {
      message = messageReader(messageAt(parsed, indexes))
      others.set(key, message)
    }
    return { message, offset }
  }
  return {
    schema: first.schema,
    read(payload: Buffer) {
      const { message, offset } = messageOf(payload)
      return message.read(payload.subarray(offset))
    },
    readData(payload: Buffer) {
      const { message, offset } = messageOf(payload)
      return { value: message.read(payload.subarray(offset)), schema: message.schema }
    },
  }
}

export const protobufCodec: RegistryCodec = {
  schemaType: 'PROTOBUF',
  schemaText,
  recordName(schema) {
    if (schema.type !== 'struct') return undefined
    return schema.name === undefined || schema.name === '' ? `${DEFAULT_SCHEMA_NAME}1` : schema.name
  },
  writer,
  reader,
}
