/**
 * SASL/PLAIN (RFC 4616) on one connection, run as Kafka's broker runs it. Until the client has
 * authenticated it may send only ApiVersions and SaslHandshake. After a v0 handshake its next frame
 * is the bare PLAIN token with no Kafka header, answered by a bare empty token; after a v1 handshake
 * the token comes in a SaslAuthenticate request. Any other request, an unknown mechanism or wrong
 * credentials ends the connection, after an answer saying why wherever the protocol has room for one.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { TributaryError } from '../../errors.ts'
import { ApiKey, apiName } from '../protocol/api-keys.ts'
import { decodeSaslAuthenticateRequest, encodeSaslAuthenticateResponse, saslAuthenticateVersions } from '../protocol/apis/sasl-authenticate.ts'
import { decodeSaslHandshakeRequest, encodeSaslHandshakeResponse, saslHandshakeVersions } from '../protocol/apis/sasl-handshake.ts'
import { KafkaError } from '../protocol/error-codes.ts'
import type { KafkaReader } from '../protocol/reader.ts'
import { decodeRequestHeader, startResponse, type RequestHeader } from '../protocol/request-header.ts'
import { isFlexibleVersion, type VersionRange } from './api-handler.ts'

export interface SaslOptions {
  readonly plain: { readonly users: Readonly<Record<string, string>> }
}

/** Kafka's sasl.server.max.receive.size: the largest frame a client may send before it authenticates. */
export const SASL_MAX_RECEIVE_BYTES = 512 * 1024

const MECHANISM = 'PLAIN'

/** What the connection does with a frame received before authentication completed. */
export type SaslStep =
  | { readonly kind: 'serve' }
  | {
    readonly kind: 'answer'
    readonly header: RequestHeader | undefined
    /** The response frame's body; undefined sends nothing. */
    readonly response: Buffer[] | undefined
    /** Set when the connection must close once the response is written. */
    readonly failure: TributaryError | undefined
  }

type State = 'handshake' | 'token' | 'authenticate' | 'done'

export class SaslPlainSession {
  private readonly users: Readonly<Record<string, string>>
  private state: State = 'handshake'
  private authenticatedUser: string | undefined

  constructor(options: SaslOptions) {
    this.users = options.plain.users
  }

  get isAuthenticated(): boolean {
    return this.state === 'done'
  }

  /** The user the client authenticated as, once it has. */
  get user(): string | undefined {
    return this.authenticatedUser
  }

  receive(frame: Buffer): SaslStep {
    if (this.state === 'token') return this.legacyToken(frame)
    const { header, body } = decodeRequestHeader(frame, (apiKey, version) =>
      apiKey === ApiKey.SaslAuthenticate && isFlexibleVersion(saslAuthenticateVersions, version))
    const expected: readonly number[] = this.state === 'handshake' ? [ApiKey.ApiVersions, ApiKey.SaslHandshake] : [ApiKey.SaslAuthenticate]
    if (!expected.includes(header.apiKey)) {
      const failure = new TributaryError('TRB_SASL_FAILED', `unexpected ${apiName(header.apiKey)} request during SASL ${this.state === 'handshake' ? 'handshake' : 'authentication'}`,
        { details: { apiKey: header.apiKey } })
      return { kind: 'answer', header, response: undefined, failure }
    }
    if (header.apiKey === ApiKey.ApiVersions) return { kind: 'serve' }
    if (header.apiKey === ApiKey.SaslHandshake) return this.handshake(header, readAll(header, body, saslHandshakeVersions, decodeSaslHandshakeRequest).mechanism)
    return this.authenticate(header, readAll(header, body, saslAuthenticateVersions, decodeSaslAuthenticateRequest).authBytes)
  }

  private handshake(header: RequestHeader, mechanism: string): SaslStep {
    const writer = startResponse(header.correlationId, header.apiKey, false)
    if (mechanism !== MECHANISM) {
      encodeSaslHandshakeResponse(writer, header.apiVersion, { errorCode: KafkaError.UNSUPPORTED_SASL_MECHANISM, mechanisms: [MECHANISM] })
      const failure = new TributaryError('TRB_SASL_FAILED', `unsupported SASL mechanism ${mechanism}; enabled: ${MECHANISM}`, { details: { mechanism } })
      return { kind: 'answer', header, response: writer.chunks(), failure }
    }
    this.state = header.apiVersion === 0 ? 'token' : 'authenticate'
    encodeSaslHandshakeResponse(writer, header.apiVersion, { errorCode: KafkaError.NONE, mechanisms: [MECHANISM] })
    return { kind: 'answer', header, response: writer.chunks(), failure: undefined }
  }

  private authenticate(header: RequestHeader, token: Buffer): SaslStep {
    const failure = this.check(token)
    const writer = startResponse(header.correlationId, header.apiKey, isFlexibleVersion(saslAuthenticateVersions, header.apiVersion))
    encodeSaslAuthenticateResponse(writer, header.apiVersion, {
      errorCode: failure ? KafkaError.SASL_AUTHENTICATION_FAILED : KafkaError.NONE,
      errorMessage: failure?.message ?? null,
      authBytes: Buffer.alloc(0),
      // 0: the session never needs re-authenticating (KIP-368).
      sessionLifetimeMs: 0,
    })
    return { kind: 'answer', header, response: writer.chunks(), failure }
  }

  /** A v0 handshake's token: no way to say what went wrong, so a failure just closes. */
  private legacyToken(token: Buffer): SaslStep {
    const failure = this.check(token)
    return { kind: 'answer', header: undefined, response: failure ? undefined : [], failure }
  }

  /** Checks a PLAIN token (authzid NUL authcid NUL passwd); the failure, or undefined on success. */
  private check(token: Buffer): TributaryError | undefined {
    const parts = token.toString('utf8').split('\u0000')
    const [authorizationId, user, password] = parts
    const problem =
      parts.length !== 3 ? `Invalid SASL/PLAIN response: expected 3 tokens, got ${parts.length}`
      : !user ? 'Authentication failed: username not specified'
      : !password ? 'Authentication failed: password not specified'
      : authorizationId && authorizationId !== user ? 'Authentication failed: Client requested an authorization id that is different from username'
      : !Object.hasOwn(this.users, user) || !sameSecret(this.users[user]!, password) ? 'Authentication failed: Invalid username or password'
      : undefined
    if (problem) return new TributaryError('TRB_SASL_FAILED', problem, { details: { mechanism: MECHANISM, user } })
    this.state = 'done'
    this.authenticatedUser = user
    return undefined
  }
}

/** Compares without leaking, through timing, how much of the secret matched or its length. */
function sameSecret(expected: string, given: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(expected), digest(given))
}

function readAll<T>(header: RequestHeader, body: KafkaReader, versions: VersionRange, decode: (reader: KafkaReader) => T): T {
  if (header.apiVersion < versions.min || header.apiVersion > versions.max) {
    throw new TributaryError('TRB_PROTOCOL_UNSUPPORTED', `${apiName(header.apiKey)} v${header.apiVersion} is not supported`,
      { details: { apiKey: header.apiKey, apiVersion: header.apiVersion } })
  }
  const request = decode(body)
  if (body.remaining !== 0) throw new TributaryError('TRB_PROTOCOL_FRAME', `${apiName(header.apiKey)} request has ${body.remaining} bytes after its end`)
  return request
}
