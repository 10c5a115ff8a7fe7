/**
 * Converters turn a record's data into the bytes stored in the log and back, per connector
 * (`key.converter`, `value.converter`), as Kafka Connect's do: `json` (default), `string`, `bytes`,
 * with Kafka's class names accepted. A record with a schema is written as JsonConverter writes it
 * (schema/connect-json*.ts); `schemas.enable=true` reads and writes Kafka's `{ schema, payload }`
 * envelope, with `"schema": null` for schemaless data.
 * JSON nested deeper than 1,000 levels (Jackson's limit, which Kafka's JsonConverter inherits) is a
 * conversion failure, found before anything recursive meets it, so it takes the connector's error
 * handling (the dead-letter topic) instead of overflowing the stack of a transform or a sink.
 */
import { TributaryError } from '../errors.ts'
import { DEFAULT_MAX_JSON_DEPTH, assertJsonDepth } from '../json-depth.ts'
import { JsonBytes, type ConnectorConfig } from './plugin.ts'
import type { ConnectData, DataConverter, SyncDataConverter } from './record-processing.ts'
import {
  isRegistryConverter,
  registryConverterFor,
  REGISTRY_CONVERTERS,
  validateRegistryConverterConfig,
  type RegistryServices,
} from './registry-converter-config.ts'
import { schemaFromJson, schemaJson } from './schema/connect-json.ts'
import { SchemaValueError, payloadFromJson, payloadWriter } from './schema/connect-json-payload.ts'
import { parseJsonLossless } from './schema/lossless-json.ts'
import { toJson } from './to-json.ts'
import type { Schema } from './schema/schema.ts'
import type { ConfigProblem } from './validate-connector.ts'

const ALIASES: Readonly<Record<string, 'json' | 'string' | 'bytes'>> = {
  json: 'json',
  string: 'string',
  bytes: 'bytes',
  'org.apache.kafka.connect.json.JsonConverter': 'json',
  'org.apache.kafka.connect.storage.StringConverter': 'string',
  'org.apache.kafka.connect.converters.ByteArrayConverter': 'bytes',
}

export const converterNames = [...Object.keys(ALIASES), ...Object.keys(REGISTRY_CONVERTERS)]

function failure(kind: string, topic: string, cause: unknown, message: string): TributaryError {
  return new TributaryError('TRB_CONVERTER_FAILED', `${kind} converter: ${message}`, { cause, details: { topic, converter: kind } })
}

/**
 * Refuses bytes nested deeper than the limit. A text of no more bytes than the limit cannot nest
 * deeper than it, so the small records most topics carry are not scanned.
 */
function assertShallow(topic: string, bytes: Buffer): void {
  if (bytes.length <= DEFAULT_MAX_JSON_DEPTH) return
  try {
    assertJsonDepth(bytes, DEFAULT_MAX_JSON_DEPTH, `a record of ${topic}`)
  } catch (error) {
    throw failure('json', topic, error, (error as Error).message)
  }
}

/** Whether data nests deeper than `maxDepth` arrays and objects, walked without recursion. */
export function nestsDeeperThan(data: unknown, maxDepth: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value: data, depth: 0 }]
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value, depth } = item
    if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) continue
    if (depth + 1 > maxDepth) return true
    for (const child of Array.isArray(value) ? value : Object.values(value)) pending.push({ value: child, depth: depth + 1 })
  }
  return false
}

/** A value JSON.stringify could not write: too deep (the usual cause of its RangeError) or otherwise. */
function serialiseFailure(kind: string, topic: string, data: unknown, error: unknown): TributaryError {
  if (error instanceof RangeError && nestsDeeperThan(data, DEFAULT_MAX_JSON_DEPTH)) {
    const tooDeep = new TributaryError(
      'TRB_JSON_TOO_DEEP',
      `a record for ${topic} nests deeper than ${DEFAULT_MAX_JSON_DEPTH} levels of arrays and objects; flatten it`,
      { cause: error, details: { maxDepth: DEFAULT_MAX_JSON_DEPTH } },
    )
    return failure(kind, topic, tooDeep, tooDeep.message)
  }
  return failure(kind, topic, error, `cannot serialise: ${(error as Error).message}`)
}

const SCHEMA_NULL_PREFIX = Buffer.from('{"schema":null,"payload":')
const ENVELOPE_CLOSE = Buffer.from('}')
const SCHEMA_PREFIX = '{"schema":'
const PAYLOAD_KEY = ',"payload":'

/** A schema read from a record, with the record's opening up to its payload when that text is known to be the whole schema. */
interface ReadSchema {
  readonly schema: Schema
  /** `{"schema":<the schema's text>,"payload":` in UTF-8, as the record had it; absent when not checked. */
  readonly head?: Buffer
}

/** Schemas read from records, by their JSON text, as JsonConverter's `schemas.cache.size` (1,000) keeps them. */
class SchemaCache {
  private readonly schemas = new Map<string, ReadSchema>()
  private readonly limit: number

  constructor(limit = 1000) {
    this.limit = limit
  }

  /**
   * The schema of an envelope whose text is `text` and parsed schema `node`. The schema's text is
   * taken up to the first `,"payload":`; it is a cache key only once it has been checked to be the
   * whole schema (a strict prefix of a JSON object is never a whole JSON object, so a key cannot
   * match the start of a different schema).
   */
  schemaOf(text: string, node: unknown): ReadSchema {
    const end = text.startsWith(SCHEMA_PREFIX) ? text.indexOf(PAYLOAD_KEY, SCHEMA_PREFIX.length) : -1
    const key = end < 0 ? undefined : text.slice(SCHEMA_PREFIX.length, end)
    const cached = key === undefined ? undefined : this.schemas.get(key)
    if (cached !== undefined) return cached
    const schema = schemaFromJson(node)
    if (key === undefined || JSON.stringify(node) !== key) return { schema }
    const read = { schema, head: Buffer.from(`${SCHEMA_PREFIX}${key}${PAYLOAD_KEY}`, 'utf8') }
    if (this.schemas.size >= this.limit) this.schemas.delete(this.schemas.keys().next().value as string)
    this.schemas.set(key, read)
    return read
  }
}

/**
 * The payload's text of a record that opens with `head` (a schema's whole text, checked) and closes
 * the envelope right after its payload; undefined for any other record. Comparing the opening is one
 * native memcmp, so a run of records of one schema parses a few hundred bytes each instead of the
 * few KB of their schema.
 */
function payloadTextAfter(head: Buffer, bytes: Buffer): string | undefined {
  const end = bytes.length - 1
  if (end <= head.length || bytes[end] !== 0x7d || bytes.compare(head, 0, head.length, 0, head.length) !== 0) return undefined
  return bytes.toString('utf8', head.length, end)
}

const envelopeHeads = new WeakMap<Schema, Buffer>()

/** `{"schema":<the schema>,"payload":` in UTF-8, made once per schema. */
function envelopeHead(schema: Schema): Buffer {
  let head = envelopeHeads.get(schema)
  if (head === undefined) {
    head = Buffer.from(`${SCHEMA_PREFIX}${schemaJson(schema)}${PAYLOAD_KEY}`, 'utf8')
    envelopeHeads.set(schema, head)
  }
  return head
}

function jsonConverter(schemasEnabled: boolean): SyncDataConverter {
  const schemas = new SchemaCache()
  // Records come in runs of one schema: the last schema read, and the writer of the last written, are kept at hand.
  let lastRead: ReadSchema | undefined
  let lastSchema: Schema | undefined
  let lastWriter: (data: unknown) => string = () => ''
  const writerOf = (schema: Schema) => {
    if (schema !== lastSchema) {
      lastSchema = schema
      lastWriter = payloadWriter(schema)
    }
    return lastWriter
  }
  const withSchema = (topic: string, data: unknown, schema: Schema): Buffer => {
    // JsonBytes with a schema hold the payload as JsonConverter writes it (a connector made it so):
    // their bytes are taken as they are.
    if (data instanceof JsonBytes) return schemasEnabled ? Buffer.concat([envelopeHead(schema), data.bytes, ENVELOPE_CLOSE]) : data.bytes
    let payload: string
    try {
      payload = writerOf(schema)(data)
    } catch (error) {
      if (error instanceof SchemaValueError) throw failure('json', topic, error, `the data does not fit its schema: ${error.message}`)
      throw serialiseFailure('json', topic, data, error)
    }
    if (!schemasEnabled) return Buffer.from(payload, 'utf8')
    // The envelope's opening (a few KB for a change event) is encoded once per schema and copied.
    const head = envelopeHead(schema)
    const length = Buffer.byteLength(payload, 'utf8')
    const bytes = Buffer.allocUnsafe(head.length + length + 1)
    head.copy(bytes, 0)
    bytes.write(payload, head.length, 'utf8')
    bytes[bytes.length - 1] = 0x7d // }
    return bytes
  }
  return {
    fromData(topic, data, schema) {
      // As JsonConverter: only a null without a schema is a tombstone; with one it is a null payload.
      if (schema !== undefined) return withSchema(topic, data ?? null, schema)
      if (data === null || data === undefined) return null
      if (data instanceof JsonBytes) return schemasEnabled ? Buffer.concat([SCHEMA_NULL_PREFIX, data.bytes, ENVELOPE_CLOSE]) : data.bytes
      try {
        return Buffer.from(schemasEnabled ? `{"schema":null,"payload":${toJson(data)}}` : toJson(data), 'utf8')
      } catch (error) {
        throw serialiseFailure('json', topic, data, error)
      }
    },
    toData(topic, bytes) {
      if (bytes === null || bytes.length === 0) return NO_DATA
      assertShallow(topic, bytes)
      if (schemasEnabled && lastRead?.head !== undefined) {
        const typed = typedPayload(topic, lastRead, bytes)
        if (typed !== undefined) return typed
      }
      const text = bytes.toString('utf8')
      let parsed: unknown
      try {
        parsed = schemasEnabled ? parseJsonLossless(text) : JSON.parse(text)
      } catch (error) {
        throw failure('json', topic, error, `not valid JSON: ${(error as Error).message}`)
      }
      if (!schemasEnabled) return { value: parsed }
      if (parsed === null || typeof parsed !== 'object' || !('payload' in parsed)) {
        throw failure('json', topic, undefined, 'schemas.enable=true needs { "schema": …, "payload": … } records')
      }
      const envelope = parsed as { schema?: unknown; payload: unknown }
      if (envelope.schema === null || envelope.schema === undefined) return { value: envelope.payload }
      let read: ReadSchema
      try {
        read = schemas.schemaOf(text, envelope.schema)
      } catch (error) {
        throw failure('json', topic, error, `the record's schema and payload do not agree: ${(error as Error).message}`)
      }
      lastRead = read
      return typedValue(topic, read.schema, envelope.payload)
    },
  }
}

/** A payload read by its schema, or the converter's error naming the topic. */
function typedValue(topic: string, schema: Schema, payload: unknown): ConnectData {
  try {
    return { value: payloadFromJson(schema, payload), schema }
  } catch (error) {
    throw failure('json', topic, error, `the record's schema and payload do not agree: ${(error as Error).message}`)
  }
}

/** A record of the last schema read, from its payload's text alone; undefined to take the whole record's way. */
function typedPayload(topic: string, read: ReadSchema, bytes: Buffer): ConnectData | undefined {
  const text = payloadTextAfter(read.head!, bytes)
  if (text === undefined) return undefined
  let payload: unknown
  try {
    payload = parseJsonLossless(text)
  } catch {
    // Not a lone payload (a field after it, say): the whole record's way says what is wrong, if anything.
    return undefined
  }
  return typedValue(topic, read.schema, payload)
}

const NO_DATA: ConnectData = Object.freeze({ value: null })

const stringConverter: SyncDataConverter = {
  fromData(topic, data) {
    if (data === null || data === undefined) return null
    if (typeof data === 'string') return Buffer.from(data, 'utf8')
    if (Buffer.isBuffer(data)) return data
    if (data instanceof JsonBytes) return data.bytes
    try {
      return Buffer.from(toJson(data), 'utf8')
    } catch (error) {
      throw serialiseFailure('string', topic, data, error)
    }
  },
  toData: (_topic, bytes) => (bytes === null ? NO_DATA : { value: bytes.toString('utf8') }),
}

const bytesConverter: SyncDataConverter = {
  fromData(topic, data) {
    if (data === null || data === undefined) return null
    if (Buffer.isBuffer(data)) return data
    if (typeof data === 'string') return Buffer.from(data, 'utf8')
    throw failure('bytes', topic, undefined, `needs a Buffer or a string, got ${Array.isArray(data) ? 'array' : typeof data}`)
  },
  toData: (_topic, bytes) => (bytes === null ? NO_DATA : { value: bytes }),
}

function converterFor(config: ConnectorConfig, prefix: 'key.converter' | 'value.converter', services: RegistryServices): DataConverter {
  if (isRegistryConverter(config[prefix])) return registryConverterFor(config, prefix, services)
  return plainConverterFor(config, prefix)
}

function plainConverterFor(config: ConnectorConfig, prefix: 'key.converter' | 'value.converter'): SyncDataConverter {
  const kind = ALIASES[config[prefix] ?? 'json']
  if (kind === undefined) {
    throw new TributaryError('TRB_CONNECTOR_CONFIG_INVALID', `${prefix}: unknown converter "${config[prefix]}"`, {
      details: { problems: validateConverterConfig(config) },
    })
  }
  if (kind === 'json') return jsonConverter(config[`${prefix}.schemas.enable`] === 'true')
  return kind === 'string' ? stringConverter : bytesConverter
}

/** The connector's converters; the registry ones (avro) reach the registry through `services`. */
export function createConverters(config: ConnectorConfig, services: RegistryServices = {}): { key: DataConverter; value: DataConverter } {
  return { key: converterFor(config, 'key.converter', services), value: converterFor(config, 'value.converter', services) }
}

/** The json, string and bytes converters, which never wait. */
export function createPlainConverters(config: ConnectorConfig): { key: SyncDataConverter; value: SyncDataConverter } {
  return { key: plainConverterFor(config, 'key.converter'), value: plainConverterFor(config, 'value.converter') }
}

export function validateConverterConfig(config: ConnectorConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  for (const prefix of ['key.converter', 'value.converter'] as const) {
    const name = config[prefix]
    if (isRegistryConverter(name)) {
      problems.push(...validateRegistryConverterConfig(config, prefix))
      continue
    }
    if (name !== undefined && ALIASES[name] === undefined)
      problems.push({ key: prefix, message: `unknown converter "${name}"; use one of ${converterNames.join(', ')}` })
    const schemas = config[`${prefix}.schemas.enable`]
    if (schemas !== undefined && schemas !== 'true' && schemas !== 'false')
      problems.push({ key: `${prefix}.schemas.enable`, message: 'must be true or false' })
  }
  return problems
}
