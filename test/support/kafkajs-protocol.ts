/**
 * kafkajs's own request encoders and response decoders, reached through its internal modules: an
 * independent implementation of the pre-flexible protocol versions to check the listener's codecs
 * against, byte for byte where the two must agree.
 */
import { createRequire } from 'node:module'
import { KafkaReader } from '../../core/kafka/protocol/reader.ts'
import { KafkaWriter } from '../../core/kafka/protocol/writer.ts'

const require = createRequire(import.meta.url)

type RequestFactory = (args: unknown) => { encode(): Promise<{ buffer: Buffer }> | { buffer: Buffer } }
type ResponseModule = { decode(raw: Buffer): Promise<unknown> }

/** The versions of an API kafkajs implements, e.g. kafkajsVersions('joinGroup') → [0, 1, 2, 3, 4, 5]. */
export function kafkajsVersions(api: string): number[] {
  return (require(`kafkajs/src/protocol/requests/${api}`) as { versions: string[] }).versions.map(Number)
}

/** The body (no header) kafkajs sends for `api` (its folder name, e.g. 'listOffsets') at `version`. */
export async function kafkajsRequestBody(api: string, version: number, args: unknown): Promise<Buffer> {
  const make = require(`kafkajs/src/protocol/requests/${api}/v${version}/request`) as RequestFactory
  return (await make(args).encode()).buffer
}

/** kafkajs's reading of a response body (after the correlation id). */
export async function kafkajsDecodeResponse<T = Record<string, unknown>>(api: string, version: number, body: Buffer): Promise<T> {
  const { decode } = require(`kafkajs/src/protocol/requests/${api}/v${version}/response`) as ResponseModule
  return (await decode(body)) as T
}

/** Encodes with one of our encoders and returns the bytes. */
export function encodeWith<T>(encode: (w: KafkaWriter, v: number, value: T) => void, version: number, flexible: boolean, value: T): Buffer {
  const writer = new KafkaWriter(flexible)
  encode(writer, version, value)
  return writer.toBuffer()
}

/** Decodes with one of our decoders and checks that every byte was consumed. */
export function decodeWith<T>(decode: (r: KafkaReader, v: number) => T, version: number, flexible: boolean, bytes: Buffer): T {
  const reader = new KafkaReader(bytes, flexible)
  const value = decode(reader, version)
  if (reader.remaining !== 0) throw new Error(`${reader.remaining} bytes left after decoding`)
  return value
}

export function versionsOf(range: { readonly min: number; readonly max: number }): number[] {
  return Array.from({ length: range.max - range.min + 1 }, (_, i) => range.min + i)
}
