/**
 * What one Kafka API is to the server: the versions it serves, the codec for those versions, and the
 * handler that turns a request into a response using the broker. The registry in handlers/index.ts
 * lists every API the listener speaks; ApiVersions advertises exactly that list, so a client never
 * sends a request the server cannot read.
 */
import type { RequestHeader } from '../protocol/request-header.ts'
import type { KafkaReader } from '../protocol/reader.ts'
import type { KafkaWriter } from '../protocol/writer.ts'
import type { Broker } from './broker.ts'
import type { ConnectionInfo } from './connection-info.ts'
import type { Session } from './auth/authorizer.ts'

export interface VersionRange {
  readonly min: number
  readonly max: number
  /** The first flexible version (KIP-482); Infinity when the served versions have none. */
  readonly flexibleFrom: number
}

export interface RequestContext {
  readonly broker: Broker
  readonly header: RequestHeader
  readonly connection: ConnectionInfo
  /** Aborted when the connection closes: long polls stop waiting. */
  readonly signal: AbortSignal
  /** Who sent the request, for the broker's authorizer. */
  readonly session: Session
  /**
   * Runs `callback` once the response has been handed to the socket, or once it never will be: what
   * the handler lent the response (buffers its batches are views into) may then be reused. Absent
   * where nothing sends the response on (a handler called in process).
   */
  readonly onAnswered?: (callback: () => void) => void
}

export interface ApiHandler<Req, Res> {
  readonly apiKey: number
  readonly versions: VersionRange
  decodeRequest(reader: KafkaReader, version: number): Req
  /**
   * True when `handle` does everything the order of requests matters to before its first await: the
   * connection then serves its next request while this answer is pending, and sends answers in order.
   */
  readonly pipelined?: boolean
  /** The response, or undefined for a request that gets none (a produce with acks=0). */
  handle(request: Req, context: RequestContext): Promise<Res | undefined>
  encodeResponse(writer: KafkaWriter, version: number, response: Res): void
}

/** A handler with its request and response types erased, for the registry. */
export interface AnyApiHandler {
  readonly apiKey: number
  readonly versions: VersionRange
  decodeRequest(reader: KafkaReader, version: number): unknown
  readonly pipelined?: boolean
  handle(request: unknown, context: RequestContext): Promise<unknown>
  encodeResponse(writer: KafkaWriter, version: number, response: unknown): void
}

export function defineHandler<Req, Res>(handler: ApiHandler<Req, Res>): AnyApiHandler {
  return handler as unknown as AnyApiHandler
}

export function isFlexibleVersion(versions: VersionRange, version: number): boolean {
  return version >= versions.flexibleFrom
}
