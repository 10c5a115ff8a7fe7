/**
 * kafkajs's own request encoders and response decoders (its internal protocol modules), an
 * independent implementation to check our codecs against, version by version.
 */
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

interface KafkajsRequest {
  apiVersion: number
  encode(): Promise<{ buffer: Buffer }>
}

/** The body bytes kafkajs sends for `api` (its folder name, e.g. 'createTopics') at `version`. */
export async function kafkajsRequestBody(api: string, version: number, args: Record<string, unknown>): Promise<Buffer> {
  const build = require(`kafkajs/src/protocol/requests/${api}/v${version}/request`) as (args: Record<string, unknown>) => KafkajsRequest
  const request = build(args)
  if (request.apiVersion !== version) throw new Error(`kafkajs ${api} v${version} built a v${request.apiVersion} request`)
  return (await request.encode()).buffer
}

/** What kafkajs reads from a response body (after the correlation id) of `api` at `version`. */
export function kafkajsDecodeResponse(api: string, version: number, body: Buffer): Promise<Record<string, unknown>> {
  const response = require(`kafkajs/src/protocol/requests/${api}/v${version}/response`) as { decode(body: Buffer): Promise<Record<string, unknown>> }
  return response.decode(body)
}
