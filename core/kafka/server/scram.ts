/**
 * SASL/SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677) as a Kafka broker runs them, without I/O:
 * the server side of one exchange, and the salted credentials it checks against. A credential keeps
 * only the salt, the iteration count and the two derived keys, as Kafka stores SCRAM users, so the
 * password is never held and never crosses the wire.
 *
 *   client-first  = gs2-header "n=" user ",r=" client-nonce ["," extensions]     gs2-header = "n," ["a=" user] ","
 *   server-first  = "r=" client-nonce server-nonce ",s=" base64(salt) ",i=" iterations
 *   client-final  = "c=" base64(gs2-header) ",r=" nonce ",p=" base64(client-proof)
 *   server-final  = "v=" base64(server-signature)
 *
 * An unknown user gets a server-first with a salt derived from its name, as if it existed, and fails
 * at the proof like a wrong password: the exchange does not tell which names exist.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'

export const SCRAM_MECHANISMS = {
  'SCRAM-SHA-256': { hash: 'sha256', keyBytes: 32 },
  'SCRAM-SHA-512': { hash: 'sha512', keyBytes: 64 },
} as const

export type ScramMechanism = keyof typeof SCRAM_MECHANISMS

/** Kafka refuses fewer (ScramMechanism.minIterations) and defaults to this many. */
export const SCRAM_MIN_ITERATIONS = 4096

export interface ScramCredential {
  readonly salt: Buffer
  readonly iterations: number
  readonly storedKey: Buffer
  readonly serverKey: Buffer
}

export function isScramMechanism(name: string): name is ScramMechanism {
  return Object.hasOwn(SCRAM_MECHANISMS, name)
}

const hmac = (mechanism: ScramMechanism, key: Buffer, text: string | Buffer): Buffer =>
  createHmac(SCRAM_MECHANISMS[mechanism].hash, key).update(text).digest()
const hash = (mechanism: ScramMechanism, data: Buffer): Buffer => createHash(SCRAM_MECHANISMS[mechanism].hash).update(data).digest()

/** The salted keys of a password (Hi() of RFC 5802, then ClientKey → StoredKey and ServerKey). */
export function scramCredential(
  mechanism: ScramMechanism,
  password: string,
  options: { salt?: Buffer; iterations?: number } = {},
): ScramCredential {
  const salt = options.salt ?? randomBytes(32)
  const iterations = options.iterations ?? SCRAM_MIN_ITERATIONS
  const { hash: digest, keyBytes } = SCRAM_MECHANISMS[mechanism]
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, keyBytes, digest)
  return {
    salt,
    iterations,
    storedKey: hash(mechanism, hmac(mechanism, salted, 'Client Key')),
    serverKey: hmac(mechanism, salted, 'Server Key'),
  }
}

/** Whether `password` is the one `credential` was made from (SASL/PLAIN checked against a SCRAM credential). */
export function matchesCredential(mechanism: ScramMechanism, credential: ScramCredential, password: string): boolean {
  const derived = scramCredential(mechanism, password, { salt: credential.salt, iterations: credential.iterations })
  return timingSafeEqual(derived.storedKey, credential.storedKey)
}

export type ScramStep =
  | { readonly kind: 'continue'; readonly reply: Buffer }
  | { readonly kind: 'done'; readonly reply: Buffer; readonly user: string }
  | { readonly kind: 'failed'; readonly reason: string }

export interface ScramServerOptions {
  /** The credential of a user for this mechanism; undefined when there is none. */
  readonly credentialOf: (user: string) => ScramCredential | undefined
  /** Makes unknown users' salts; the same key gives the same salt, so retries look alike. */
  readonly decoyKey: Buffer
  /** For test vectors only; random otherwise. */
  readonly serverNonce?: string
}

const INVALID_CREDENTIALS = 'Authentication failed during authentication due to invalid credentials with SASL mechanism'

/** The server side of one SCRAM exchange: receive() the client-first, then the client-final. */
export class ScramServer {
  private readonly mechanism: ScramMechanism
  private readonly options: ScramServerOptions
  private state: 'first' | 'final' | 'ended' = 'first'
  private user = ''
  private credential: ScramCredential | undefined
  private gs2Header = ''
  private clientFirstBare = ''
  private serverFirst = ''
  private nonce = ''

  constructor(mechanism: ScramMechanism, options: ScramServerOptions) {
    this.mechanism = mechanism
    this.options = options
  }

  receive(message: Buffer): ScramStep {
    if (this.state === 'ended') return { kind: 'failed', reason: 'the SCRAM exchange has already ended' }
    const step = this.state === 'first' ? this.first(message.toString('utf8')) : this.final(message.toString('utf8'))
    this.state = step.kind === 'continue' ? 'final' : 'ended'
    return step
  }

  private first(text: string): ScramStep {
    const match = /^(n|y),(?:a=([^,]*))?,(.*)$/s.exec(text)
    if (match === null)
      return {
        kind: 'failed',
        reason: 'Invalid SCRAM client first message: channel binding is not supported, and the message must start with n,, or y,,',
      }
    const [, , authzid, bare] = match as unknown as [string, string, string | undefined, string]
    const attributes = parseAttributes(bare)
    const user = attributes.get('n')
    const clientNonce = attributes.get('r')
    if (user === undefined || clientNonce === undefined || clientNonce === '' || bare.startsWith('m=')) {
      return { kind: 'failed', reason: 'Invalid SCRAM client first message: it needs n=<user> and r=<nonce>' }
    }
    if (attributes.get('tokenauth') === 'true') return { kind: 'failed', reason: 'Delegation tokens are not supported' }
    const name = decodeSaslName(user)
    if (authzid !== undefined && authzid !== '' && decodeSaslName(authzid) !== name) {
      return { kind: 'failed', reason: 'Authentication failed: Client requested an authorization id that is different from username' }
    }
    this.user = name
    this.credential = this.options.credentialOf(name)
    this.gs2Header = text.slice(0, text.length - bare.length)
    this.clientFirstBare = bare
    this.nonce = clientNonce + (this.options.serverNonce ?? randomBytes(24).toString('base64url'))
    const { salt, iterations } = this.credential ?? this.decoy(name)
    this.serverFirst = `r=${this.nonce},s=${salt.toString('base64')},i=${iterations}`
    return { kind: 'continue', reply: Buffer.from(this.serverFirst, 'utf8') }
  }

  private final(text: string): ScramStep {
    const proofAt = text.lastIndexOf(',p=')
    if (proofAt < 0) return { kind: 'failed', reason: 'Invalid SCRAM client final message: no proof' }
    const withoutProof = text.slice(0, proofAt)
    const attributes = parseAttributes(withoutProof)
    const invalid = `${INVALID_CREDENTIALS} ${this.mechanism}`
    if (attributes.get('c') !== Buffer.from(this.gs2Header, 'utf8').toString('base64'))
      return { kind: 'failed', reason: 'Invalid SCRAM client final message: channel binding does not match the first message' }
    // Kafka accepts a nonce that ends with its own (ScramSaslServer), and librdkafka sends its client
    // nonce again in front of it: so does this.
    if (!(attributes.get('r') ?? '').endsWith(this.nonce))
      return { kind: 'failed', reason: 'Invalid SCRAM client final message: the nonce does not match' }
    const credential = this.credential
    const proof = Buffer.from(text.slice(proofAt + 3), 'base64')
    if (credential === undefined || proof.length !== credential.storedKey.length) return { kind: 'failed', reason: invalid }
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`
    const clientSignature = hmac(this.mechanism, credential.storedKey, authMessage)
    const clientKey = Buffer.alloc(proof.length)
    for (let i = 0; i < proof.length; i++) clientKey[i] = (proof[i] ?? 0) ^ (clientSignature[i] ?? 0)
    if (!timingSafeEqual(hash(this.mechanism, clientKey), credential.storedKey)) return { kind: 'failed', reason: invalid }
    const serverSignature = hmac(this.mechanism, credential.serverKey, authMessage)
    return { kind: 'done', reply: Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8'), user: this.user }
  }

  /** Salt and iterations for a user that does not exist, stable per name. */
  private decoy(user: string): { salt: Buffer; iterations: number } {
    return {
      salt: createHmac('sha256', this.options.decoyKey).update(`${this.mechanism}\u0000${user}`).digest(),
      iterations: SCRAM_MIN_ITERATIONS,
    }
  }
}

/** `k=v,k=v` with each value up to the next comma (SCRAM values never hold a raw comma). */
function parseAttributes(text: string): Map<string, string> {
  const attributes = new Map<string, string>()
  for (const part of text.split(',')) {
    const equals = part.indexOf('=')
    if (equals > 0) attributes.set(part.slice(0, equals), part.slice(equals + 1))
  }
  return attributes
}

/** saslname: `=2C` is a comma and `=3D` an equals sign. */
function decodeSaslName(name: string): string {
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=')
}
