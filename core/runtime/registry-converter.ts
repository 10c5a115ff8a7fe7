/**
 * Converters on a schema registry, as Confluent's AvroConverter, JsonSchemaConverter and
 * ProtobufConverter are: a record is written in the registry's wire format (wire-format.ts) under the
 * id of its schema's registered form, and read back through the schema that id names. The language
 * (Avro, JSON Schema, Protobuf) is a RegistryCodec; this file holds what they share: subjects and
 * their naming strategies, auto-registration or lookup, and caches, so that only the first record of a
 * schema (or of an id) waits for the registry and every later one is converted at once.
 */
import { TributaryError } from '../errors.ts'
import { isRegistryError } from '../registry/registry-errors.ts'
import type { SchemaRegistry, StoredSchema } from '../registry/registry.ts'
import type { SchemaType } from '../registry/schema-format.ts'
import type { ConnectData, DataConverter } from './record-processing.ts'
import type { Schema } from './schema/schema.ts'
import { frame, unframe } from './wire-format.ts'

/** One schema language's part: Connect schemas to registry text, and data to payload bytes and back. */
export interface RegistryCodec {
  readonly schemaType: SchemaType
  /** The schema's text in the registry's language; the codec caches it per schema. */
  schemaText(schema: Schema): string
  /** The record's full name, for RecordNameStrategy; undefined for a schema that has none. */
  recordName(schema: Schema): string | undefined
  /** Writes data of the schema (built once per schema, called per record). */
  writer(schema: Schema): (data: unknown) => Buffer
  /**
   * The Connect schema of a registered schema and a reader of its payloads (built once per id);
   * `readData`, where a payload says which of the schema's types it holds (Protobuf's message
   * indexes), gives that type's Connect schema with the value.
   */
  reader(stored: StoredSchema): {
    readonly schema: Schema
    read(payload: Buffer): unknown
    readData?(payload: Buffer): { value: unknown; schema: Schema }
  }
}

export type SubjectNameStrategy = 'TopicNameStrategy' | 'RecordNameStrategy' | 'TopicRecordNameStrategy'

export const SUBJECT_NAME_STRATEGIES: Readonly<Record<string, SubjectNameStrategy>> = {
  TopicNameStrategy: 'TopicNameStrategy',
  RecordNameStrategy: 'RecordNameStrategy',
  TopicRecordNameStrategy: 'TopicRecordNameStrategy',
  'io.confluent.kafka.serializers.subject.TopicNameStrategy': 'TopicNameStrategy',
  'io.confluent.kafka.serializers.subject.RecordNameStrategy': 'RecordNameStrategy',
  'io.confluent.kafka.serializers.subject.TopicRecordNameStrategy': 'TopicRecordNameStrategy',
}

export interface RegistryConverterSettings {
  /** The name the connector's config gave (for messages). */
  readonly name: string
  readonly isKey: boolean
  /** Where the registry is, for messages: its URL or "the built-in registry". */
  readonly where: string
  readonly autoRegister: boolean
  readonly useLatestVersion: boolean
  readonly normalize: boolean
  readonly strategy: SubjectNameStrategy
}

/** Ids read from records are kept for this many schemas, as Confluent's clients cache 1,000. */
const READERS_KEPT = 1000

interface Writing {
  readonly id: number
  readonly write: (data: unknown) => Buffer
}

export function registryConverter(
  codec: RegistryCodec,
  registry: () => Promise<SchemaRegistry>,
  settings: RegistryConverterSettings,
): DataConverter {
  const writings = new WeakMap<Schema, Map<string, Writing>>()
  const pendingWritings = new Map<string, Promise<Writing>>()
  const readers = new Map<number, ReturnType<RegistryCodec['reader']>>()
  const pendingReaders = new Map<number, Promise<ReturnType<RegistryCodec['reader']>>>()
  const failure = (topic: string, message: string, cause?: unknown) =>
    new TributaryError('TRB_CONVERTER_FAILED', `${settings.name}: ${message}`, { cause, details: { topic, converter: settings.name } })

  const unavailable = (topic: string, error: Error) =>
    new TributaryError(
      'TRB_SCHEMA_REGISTRY_UNAVAILABLE',
      `${settings.name}: ${settings.where} did not answer (${error.message}); the task will retry`,
      { cause: error, details: { topic, converter: settings.name } },
    )

  const subjectOf = (topic: string, schema: Schema): string => {
    if (settings.strategy === 'TopicNameStrategy') return `${topic}-${settings.isKey ? 'key' : 'value'}`
    const name = codec.recordName(schema)
    if (name === undefined)
      throw failure(
        topic,
        `${settings.strategy} needs a schema with a record name, and this ${schema.type} schema has none; use TopicNameStrategy or name the schema (SetSchemaMetadata)`,
      )
    return settings.strategy === 'RecordNameStrategy' ? name : `${topic}-${name}`
  }

  const write = (topic: string, writing: Writing, data: unknown): Buffer => {
    try {
      return frame(writing.id, writing.write(data))
    } catch (error) {
      throw failure(topic, `the data does not fit its schema: ${(error as Error).message}`, error)
    }
  }

  /** The id (and writer) for a schema under a subject: registered, looked up, or the latest version's. */
  const resolveWriting = async (topic: string, subject: string, schema: Schema): Promise<Writing> => {
    const text = codec.schemaText(schema)
    const input = { schema: text, schemaType: codec.schemaType }
    try {
      const store = await registry()
      if (settings.useLatestVersion) {
        const latest = await store.version(subject, 'latest')
        if (latest.schemaType !== codec.schemaType)
          throw failure(topic, `the latest schema of subject ${subject} is ${latest.schemaType}, not ${codec.schemaType}`)
        // Written as the latest version says (fields it lacks are left out, those it adds take their defaults).
        return { id: latest.id, write: codec.writer(codec.reader(latest).schema) }
      }
      const id = settings.autoRegister
        ? (await store.register(subject, input, { normalize: settings.normalize })).id
        : (await store.lookup(subject, input, { normalize: settings.normalize })).id
      return { id, write: codec.writer(schema) }
    } catch (error) {
      if (error instanceof TributaryError) throw error
      if (isRegistryError(error) && error.errorCode >= 50000) throw unavailable(topic, error)
      if (isRegistryError(error)) {
        const what =
          settings.autoRegister && !settings.useLatestVersion
            ? `cannot register the schema under subject ${subject}`
            : `finds no schema for subject ${subject}`
        const hint =
          error.errorCode === 40401 || error.errorCode === 40403
            ? ' (auto.register.schemas=false: register it first, e.g. with tributary schemas register)'
            : ''
        throw failure(topic, `${settings.where} ${what}: ${error.message}${hint}`, error)
      }
      throw failure(topic, `${settings.where} failed: ${(error as Error).message}`, error)
    }
  }

  const readerOf = async (topic: string, id: number): Promise<ReturnType<RegistryCodec['reader']>> => {
    let stored: StoredSchema
    try {
      stored = await (await registry()).schemaById(id)
    } catch (error) {
      if (isRegistryError(error) && error.errorCode === 40403) {
        throw failure(
          topic,
          `schema id ${id} is not in ${settings.where}: the record was written against another registry, or its schema was deleted for good`,
          error,
        )
      }
      if (isRegistryError(error) && error.errorCode >= 50000) throw unavailable(topic, error)
      throw failure(topic, `${settings.where} could not give schema id ${id}: ${(error as Error).message}`, error)
    }
    if (stored.schemaType !== codec.schemaType)
      throw failure(
        topic,
        `schema id ${id} is ${stored.schemaType}, so ${settings.name} (${codec.schemaType}) cannot read the record; use the converter of that language`,
      )
    try {
      return codec.reader(stored)
    } catch (error) {
      throw failure(topic, `schema id ${id} cannot be read as a Connect schema: ${(error as Error).message}`, error)
    }
  }

  const read = (topic: string, reader: ReturnType<RegistryCodec['reader']>, id: number, payload: Buffer): ConnectData => {
    try {
      return reader.readData === undefined ? { value: reader.read(payload), schema: reader.schema } : reader.readData(payload)
    } catch (error) {
      throw failure(topic, `the payload does not decode with schema id ${id}: ${(error as Error).message}`, error)
    }
  }

  return {
    fromData(topic, data, schema) {
      // As Confluent's serializers: null stays null (a tombstone), with or without a schema.
      if (data === null || data === undefined) return null
      if (schema === undefined)
        throw failure(
          topic,
          'needs records with a schema (the source gives none): use the json converter for schemaless data, or set a schema with a transform',
        )
      const subject = subjectOf(topic, schema)
      let bySubject = writings.get(schema)
      const known = bySubject?.get(subject)
      if (known !== undefined) return write(topic, known, data)
      const key = `${subject}\u0000${codec.schemaText(schema)}`
      let pending = pendingWritings.get(key)
      if (pending === undefined) {
        pending = resolveWriting(topic, subject, schema).finally(() => pendingWritings.delete(key))
        pendingWritings.set(key, pending)
      }
      return pending.then((writing) => {
        if (bySubject === undefined) {
          bySubject = new Map()
          writings.set(schema, bySubject)
        }
        bySubject.set(subject, writing)
        return write(topic, writing, data)
      })
    },
    toData(topic, bytes) {
      if (bytes === null || bytes.length === 0) return { value: null }
      const framed = unframe(bytes)
      if ('problem' in framed) throw failure(topic, framed.problem)
      const known = readers.get(framed.id)
      if (known !== undefined) return read(topic, known, framed.id, framed.payload)
      let pending = pendingReaders.get(framed.id)
      if (pending === undefined) {
        pending = readerOf(topic, framed.id).finally(() => pendingReaders.delete(framed.id))
        pendingReaders.set(framed.id, pending)
      }
      return pending.then((reader) => {
        if (readers.size >= READERS_KEPT) readers.delete(readers.keys().next().value as number)
        readers.set(framed.id, reader)
        return read(topic, reader, framed.id, framed.payload)
      })
    },
  }
}
