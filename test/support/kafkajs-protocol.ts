/**
 * kafkajs's own request encoders and response decoders, reached through its internal modules: an
 * independent implementation of the pre-flexible protocol versions to check the listener's codecs
 * against, byte for byte where the two must agree.
 */
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

type RequestFactory = (args: unknown) => { apiVersion: number; encode(): Promise<{ buffer: Buffer }> | { buffer: Buffer } }
type ResponseModule = { decode(raw: Buffer): Promise<unknown> }

/** The versions of an API kafkajs implements, e.g. kafkajsVersions('joinGroup') → [0, 1, 2, 3, 4, 5]. */
export function kafkajsVersions(api: string): number[] {
  return (require(`kafkajs/src/protocol/requests/${api}`) as { versions: string[] }).versions.map(Number)
}

/** The body (no header) kafkajs sends for `api` (its folder name, e.g. 'listOffsets') at `version`. */
export async function kafkajsRequestBody(api: string, version: number, args: unknown): Promise<Buffer> {
  const make = require(`kafkajs/src/protocol/requests/${api}/v${version}/request`) as RequestFactory
  const request = make(args)
  // Some of kafkajs's version folders reuse an older request; comparing against it would test the wrong version.
  if (request.apiVersion !== version) throw new Error(`kafkajs ${api} v${version} built a v${request.apiVersion} request`)
  return (await request.encode()).buffer
}

/** kafkajs's reading of a response body (after the correlation id). */
export async function kafkajsDecodeResponse<T = Record<string, unknown>>(api: string, version: number, body: Buffer): Promise<T> {
  const { decode } = require(`kafkajs/src/protocol/requests/${api}/v${version}/response`) as ResponseModule
  return (await decode(body)) as T
}
