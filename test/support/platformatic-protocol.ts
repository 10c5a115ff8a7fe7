/**
 * @platformatic/kafka's request builders and response parsers: an independent implementation of the
 * flexible protocol versions (kafkajs stops before them) to check the listener's codecs against.
 */
import { Reader } from '@platformatic/kafka'

interface PlatformaticApi<Args extends unknown[]> {
  createRequest(...args: Args): { readonly buffer: Buffer }
  parseResponse(correlationId: number, apiKey: number, apiVersion: number, reader: Reader): unknown
}

/** The request body @platformatic/kafka writes for these arguments. */
export function platformaticRequestBody<Args extends unknown[]>(api: PlatformaticApi<Args>, ...args: Args): Buffer {
  return api.createRequest(...args).buffer
}

/** @platformatic/kafka's reading of a response body (after the response header). */
export function platformaticParseResponse(api: PlatformaticApi<never[]>, apiKey: number, apiVersion: number, body: Buffer): unknown {
  return api.parseResponse(0, apiKey, apiVersion, Reader.from(body))
}
