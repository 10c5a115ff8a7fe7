/**
 * Reads a record's key or value written in the registry's wire format (a zero magic byte, a schema
 * id, the payload) as JSON text, for people browsing a topic (`?decode=registry`): Avro through the
 * registry converter's codec into Connect data, then written as the json converter writes it (an
 * int64 as a number, bytes as base64); JSON Schema payloads as the JSON they are; Protobuf through the
 * registry's own .proto parser and protobufjs, in Protobuf's JSON mapping. A schema is fetched once
 * per id and its reader kept; what cannot be read says why instead.
 */
import protobuf from 'protobufjs'
import type { Type } from 'protobufjs'
import { fileDeclarations, linkProtoSchema } from '../registry/formats/protobuf-files.ts'
import type { SchemaRegistry, StoredSchema } from '../registry/registry.ts'
import { REGISTRY_CONVERTERS } from '../runtime/registry-converter-config.ts'
import { payloadWriter } from '../runtime/schema/connect-json-payload.ts'
import { decodeMessageIndexes } from '../runtime/schema/protobuf-message-indexes.ts'
import { unframe, MAGIC_BYTE, HEADER_BYTES } from '../runtime/wire-format.ts'

export type RegistryFormat = 'avro' | 'json-schema' | 'protobuf'

export type Decoded =
  | { readonly schemaId: number; readonly format: RegistryFormat; readonly json: string }
  | { readonly schemaId: number; readonly error: string }

type Reader = { readonly format: RegistryFormat; read(payload: Buffer): string }

/** Readers are kept for this many ids, as the converters keep theirs. */
const READERS_KEPT = 1000

const avroCodec = Object.values(REGISTRY_CONVERTERS).find((codec) => codec.schemaType === 'AVRO')

/** Whether bytes start as the wire format does; only those are decoded, the rest shown as they are. */
export function isRegistryFramed(bytes: Buffer | null): bytes is Buffer {
  return bytes !== null && bytes.length >= HEADER_BYTES && bytes[0] === MAGIC_BYTE
}

export function registryDecoder(registry: (() => Promise<SchemaRegistry>) | undefined): (bytes: Buffer) => Promise<Decoded> {
  const readers = new Map<number, Reader>()
  const readerOf = async (id: number): Promise<Reader> => {
    const known = readers.get(id)
    if (known !== undefined) return known
    if (registry === undefined) throw new Error('this worker has no schema registry')
    const reader = readerFor(await (await registry()).schemaById(id))
    if (readers.size >= READERS_KEPT) readers.delete(readers.keys().next().value as number)
    readers.set(id, reader)
    return reader
  }
  return async (bytes) => {
    const framed = unframe(bytes)
    if ('problem' in framed) return { schemaId: -1, error: framed.problem }
    try {
      const reader = await readerOf(framed.id)
      try {
        return { schemaId: framed.id, format: reader.format, json: reader.read(framed.payload) }
      } catch (error) {
        return { schemaId: framed.id, error: `the payload does not decode with schema id ${framed.id}: ${(error as Error).message}` }
      }
    } catch (error) {
      return { schemaId: framed.id, error: `schema id ${framed.id}: ${(error as Error).message}` }
    }
  }
}

function readerFor(stored: StoredSchema): Reader {
  if (stored.references.length > 0) throw new Error(`the ${stored.schemaType} schema has references, which are not decoded here yet`)
  switch (stored.schemaType) {
    case 'AVRO': {
      if (avroCodec === undefined) throw new Error('no Avro codec')
      const reader = avroCodec.reader(stored)
      const write = payloadWriter(reader.schema)
      return { format: 'avro', read: (payload) => write(reader.read(payload)) }
    }
    case 'JSON':
      return { format: 'json-schema', read: (payload) => jsonText(payload.toString('utf8')) }
    case 'PROTOBUF':
      return protobufReader(stored.schema)
  }
}

/** The payload's own text (an integer beyond 2^53 kept as written), once it is known to be JSON. */
function jsonText(text: string): string {
  JSON.parse(text)
  return text.trim()
}

function protobufReader(text: string): Reader {
  const linked = linkProtoSchema(text, [])
  const messages = (declarations: readonly protobuf.ReflectionObject[]) =>
    declarations.filter((item): item is Type => item instanceof protobuf.Type)
  const top = messages(fileDeclarations(linked.file))
  return {
    format: 'protobuf',
    read(payload) {
      const { indexes, offset } = decodeMessageIndexes(payload)
      let type: Type | undefined
      for (const index of indexes) {
        type = (type === undefined ? top : messages(type.nestedArray))[index]
        if (type === undefined) throw new Error(`no message at index path [${indexes.join(', ')}] in the schema`)
      }
      const message = linked.linked.lookupType((type as Type).fullName)
      const decoded = message.decode(payload.subarray(offset))
      return JSON.stringify(message.toObject(decoded, { longs: String, enums: String, bytes: String, defaults: true, json: true }))
    },
  }
}
