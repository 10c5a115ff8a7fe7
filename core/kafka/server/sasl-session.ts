/**
 * SASL on one connection, run as Kafka's broker runs it: PLAIN (RFC 4616), SCRAM-SHA-256 and
 * SCRAM-SHA-512 (scram.ts), all checked against the salted credentials of sasl-users.ts. Until the
 * client has authenticated it may send only ApiVersions and SaslHandshake. After a v0 handshake its
 * next frames are bare tokens with no Kafka header, answered by bare tokens; after a v1 handshake the
 * tokens come in SaslAuthenticate requests (SCRAM takes two). Any other request, an unknown
 * mechanism or wrong credentials ends the connection, after an answer saying why wherever the
 * protocol has room for one.
 */
import { TributaryError } from '../../errors.ts'
import { ApiKey, apiName } from '../protocol/api-keys.ts'
import {
  decodeSaslAuthenticateRequest,
  encodeSaslAuthenticateResponse,
  saslAuthenticateVersions,
} from '../protocol/apis/sasl-authenticate.ts'
import { decodeSaslHandshakeRequest, encodeSaslHandshakeResponse, saslHandshakeVersions } from '../protocol/apis/sasl-handshake.ts'
import { KafkaError } from '../protocol/error-codes.ts'
import type { KafkaReader } from '../protocol/reader.ts'
import { decodeRequestHeader, startResponse, type RequestHeader } from '../protocol/request-header.ts'
import { isFlexibleVersion, type VersionRange } from './api-handler.ts'
import type { SaslUsers } from './sasl-users.ts'
import { isScramMechanism, ScramServer } from './scram.ts'

export interface SaslOptions {
  /** Who may authenticate, by any of the enabled mechanisms. */
  readonly users: SaslUsers
}

/** Kafka's sasl.server.max.receive.size: the largest frame a client may send before it authenticates. */
export const SASL_MAX_RECEIVE_BYTES = 512 * 1024

/** Kafka's sasl.enabled.mechanisms, in the order the handshake lists them. */
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const

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

/** One mechanism's exchange: each client token gets a reply, until it is done or has failed. */
type Exchange = (token: Buffer) => { readonly reply: Buffer; readonly user?: string } | { readonly failure: string }

type State = 'handshake' | 'token' | 'authenticate' | 'done'

/** SASL's state machine for one connection: handshake → token(s) → done. */
export class SaslSession {
  private readonly users: SaslUsers
  private state: State = 'handshake'
  private exchange: Exchange | undefined
  private mechanism = ''
  private authenticatedUser: string | undefined

  constructor(options: SaslOptions) {
    this.users = options.users
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
    const { header, body } = decodeRequestHeader(
      frame,
      (apiKey, version) => apiKey === ApiKey.SaslAuthenticate && isFlexibleVersion(saslAuthenticateVersions, version),
    )
    const expected: readonly number[] = this.state === 'handshake' ? [ApiKey.ApiVersions, ApiKey.SaslHandshake] : [ApiKey.SaslAuthenticate]
    if (!expected.includes(header.apiKey)) {
      const failure = new TributaryError(
        'TRB_SASL_FAILED',
        `unexpected ${apiName(header.apiKey)} request during SASL ${this.state === 'handshake' ? 'handshake' : 'authentication'}`,
        { details: { apiKey: header.apiKey } },
      )
      return { kind: 'answer', header, response: undefined, failure }
    }
    if (header.apiKey === ApiKey.ApiVersions) return { kind: 'serve' }
    if (header.apiKey === ApiKey.SaslHandshake)
      return this.handshake(header, readAll(header, body, saslHandshakeVersions, decodeSaslHandshakeRequest).mechanism)
    return this.authenticate(header, readAll(header, body, saslAuthenticateVersions, decodeSaslAuthenticateRequest).authBytes)
  }

  private handshake(header: RequestHeader, mechanism: string): SaslStep {
    const writer = startResponse(header.correlationId, header.apiKey, false)
    const exchange = this.exchangeFor(mechanism)
    if (exchange === undefined) {
      encodeSaslHandshakeResponse(writer, header.apiVersion, {
        errorCode: KafkaError.UNSUPPORTED_SASL_MECHANISM,
        mechanisms: [...SASL_MECHANISMS],
      })
      const failure = new TributaryError(
        'TRB_SASL_FAILED',
        `unsupported SASL mechanism ${mechanism}; enabled: ${SASL_MECHANISMS.join(', ')}`,
        { details: { mechanism } },
      )
      return { kind: 'answer', header, response: writer.chunks(), failure }
    }
    this.exchange = exchange
    this.mechanism = mechanism
    this.state = header.apiVersion === 0 ? 'token' : 'authenticate'
    encodeSaslHandshakeResponse(writer, header.apiVersion, { errorCode: KafkaError.NONE, mechanisms: [...SASL_MECHANISMS] })
    return { kind: 'answer', header, response: writer.chunks(), failure: undefined }
  }

  private authenticate(header: RequestHeader, token: Buffer): SaslStep {
    const result = this.step(token)
    const writer = startResponse(header.correlationId, header.apiKey, isFlexibleVersion(saslAuthenticateVersions, header.apiVersion))
    encodeSaslAuthenticateResponse(writer, header.apiVersion, {
      errorCode: result.failure ? KafkaError.SASL_AUTHENTICATION_FAILED : KafkaError.NONE,
      errorMessage: result.failure?.message ?? null,
      authBytes: result.reply,
      // 0: the session never needs re-authenticating (KIP-368).
      sessionLifetimeMs: 0,
    })
    return { kind: 'answer', header, response: writer.chunks(), failure: result.failure }
  }

  /** A v0 handshake's token: no way to say what went wrong, so a failure just closes. */
  private legacyToken(token: Buffer): SaslStep {
    const result = this.step(token)
    return { kind: 'answer', header: undefined, response: result.failure ? undefined : [result.reply], failure: result.failure }
  }

  private step(token: Buffer): { reply: Buffer; failure: TributaryError | undefined } {
    const result = this.exchange?.(token) ?? { failure: 'no SASL mechanism was chosen' }
    if ('failure' in result) {
      return {
        reply: Buffer.alloc(0),
        failure: new TributaryError('TRB_SASL_FAILED', result.failure, { details: { mechanism: this.mechanism } }),
      }
    }
    if (result.user !== undefined) {
      this.state = 'done'
      this.authenticatedUser = result.user
    }
    return { reply: result.reply, failure: undefined }
  }

  private exchangeFor(mechanism: string): Exchange | undefined {
    if (mechanism === 'PLAIN') return (token) => this.checkPlain(token)
    if (!isScramMechanism(mechanism)) return undefined
    const server = new ScramServer(mechanism, {
      credentialOf: (user) => this.users.credential(user, mechanism),
      decoyKey: this.users.decoyKey,
    })
    return (token) => {
      const step = server.receive(token)
      return step.kind === 'failed'
        ? { failure: step.reason }
        : step.kind === 'done'
          ? { reply: step.reply, user: step.user }
          : { reply: step.reply }
    }
  }

  /** A PLAIN token (authzid NUL authcid NUL passwd). */
  private checkPlain(token: Buffer): { reply: Buffer; user: string } | { failure: string } {
    const parts = token.toString('utf8').split('\u0000')
    const [authorizationId, user, password] = parts
    const problem =
      parts.length !== 3
        ? `Invalid SASL/PLAIN response: expected 3 tokens, got ${parts.length}`
        : !user
          ? 'Authentication failed: username not specified'
          : !password
            ? 'Authentication failed: password not specified'
            : authorizationId && authorizationId !== user
              ? 'Authentication failed: Client requested an authorization id that is different from username'
              : !this.users.checkPassword(user, password)
                ? 'Authentication failed: Invalid username or password'
                : undefined
    return problem === undefined ? { reply: Buffer.alloc(0), user: user ?? '' } : { failure: problem }
  }
}

function readAll<T>(header: RequestHeader, body: KafkaReader, versions: VersionRange, decode: (reader: KafkaReader) => T): T {
  if (header.apiVersion < versions.min || header.apiVersion > versions.max) {
    throw new TributaryError('TRB_PROTOCOL_UNSUPPORTED', `${apiName(header.apiKey)} v${header.apiVersion} is not supported`, {
      details: { apiKey: header.apiKey, apiVersion: header.apiVersion },
    })
  }
  const request = decode(body)
  if (body.remaining !== 0)
    throw new TributaryError('TRB_PROTOCOL_FRAME', `${apiName(header.apiKey)} request has ${body.remaining} bytes after its end`)
  return request
}
