/**
 * The Kafka listener's SASL users, held only as SCRAM credentials (salt, iterations, stored and
 * server keys), as Kafka keeps SCRAM users: no password is kept in memory or on disk. SCRAM-SHA-256
 * and SCRAM-SHA-512 check against the credential of their own hash; SASL/PLAIN derives the key from
 * the password it is sent and compares. A users file (`--kafka-users-file`, written by
 * `tributary users add`) holds the same credentials as JSON:
 *
 *   { "version": 1, "users": { "<name>": { "SCRAM-SHA-256": { "salt", "iterations", "storedKey", "serverKey" }, "SCRAM-SHA-512": {…} } } }
 *
 * with byte values in base64.
 */
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { TributaryError } from '../../errors.ts'
import {
  matchesCredential,
  SCRAM_MECHANISMS,
  SCRAM_MIN_ITERATIONS,
  scramCredential,
  type ScramCredential,
  type ScramMechanism,
} from './scram.ts'

export type UserCredentials = Readonly<Partial<Record<ScramMechanism, ScramCredential>>>

const base64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64')
  .transform((text) => Buffer.from(text, 'base64'))
const credentialSchema = z.object({
  salt: base64,
  iterations: z.number().int().min(SCRAM_MIN_ITERATIONS),
  storedKey: base64,
  serverKey: base64,
})
const fileSchema = z.object({
  version: z.literal(1),
  users: z.record(
    z.string().min(1),
    z.object({ 'SCRAM-SHA-256': credentialSchema.optional(), 'SCRAM-SHA-512': credentialSchema.optional() }).strict(),
  ),
})

const MECHANISMS = Object.keys(SCRAM_MECHANISMS) as ScramMechanism[]

export class SaslUsers {
  /** Makes the decoy salts unknown users get (scram.ts): new on every start. */
  readonly decoyKey = randomBytes(32)
  private readonly users: ReadonlyMap<string, UserCredentials>
  /** Checked against for unknown users, so they cost one derivation like the others. */
  private decoy: ScramCredential | undefined

  private constructor(users: ReadonlyMap<string, UserCredentials>) {
    this.users = users
  }

  /** Users from name → password (TRIBUTARY_KAFKA_SASL_PLAIN_USERS): salted at once; the passwords are not kept. */
  static fromPasswords(passwords: Readonly<Record<string, string>>, iterations = SCRAM_MIN_ITERATIONS): SaslUsers {
    return new SaslUsers(new Map(Object.entries(passwords).map(([name, password]) => [name, credentialsFor(password, iterations)])))
  }

  /** Parses a users file's text; `source` names it in errors. */
  static fromJson(text: string, source: string): SaslUsers {
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch (error) {
      throw new TributaryError('TRB_CONFIG_INVALID', `${source} is not JSON: ${(error as Error).message}`, { details: { file: source } })
    }
    const parsed = fileSchema.safeParse(data)
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`)
      throw new TributaryError(
        'TRB_CONFIG_INVALID',
        `${source} is not a users file (make one with tributary users add): ${problems.join('; ')}`,
        { details: { file: source, problems } },
      )
    }
    return new SaslUsers(new Map(Object.entries(parsed.data.users)))
  }

  static empty(): SaslUsers {
    return new SaslUsers(new Map())
  }

  get names(): string[] {
    return [...this.users.keys()].sort()
  }

  get size(): number {
    return this.users.size
  }

  credential(user: string, mechanism: ScramMechanism): ScramCredential | undefined {
    return this.users.get(user)?.[mechanism]
  }

  /**
   * SASL/PLAIN: whether `password` is the user's. An unknown user costs the same derivation as a
   * known one, so the time taken does not tell which names exist.
   */
  checkPassword(user: string, password: string): boolean {
    const credentials = this.users.get(user)
    const mechanism = MECHANISMS.find((name) => credentials?.[name] !== undefined) ?? 'SCRAM-SHA-256'
    const credential = credentials?.[mechanism] ?? this.decoyCredential(mechanism)
    return matchesCredential(mechanism, credential, password) && credentials !== undefined
  }

  /** Derived on the first unknown user, then reused. */
  private decoyCredential(mechanism: ScramMechanism): ScramCredential {
    this.decoy ??= scramCredential(mechanism, this.decoyKey.toString('base64'), { salt: this.decoyKey })
    return this.decoy
  }

  /** These users and `other`'s; a name in both is an error, since one of the two would be ignored. */
  merge(other: SaslUsers, what: string): SaslUsers {
    const both = other.names.filter((name) => this.users.has(name))
    if (both.length > 0)
      throw new TributaryError(
        'TRB_CONFIG_INVALID',
        `${what} define the same Kafka users twice: ${both.join(', ')}; keep each user in one place`,
        { details: { users: both } },
      )
    return new SaslUsers(new Map([...this.users, ...other.users]))
  }

  /** A copy with `user` set to the credentials of `password` (both SCRAM hashes). */
  withUser(user: string, password: string, iterations = SCRAM_MIN_ITERATIONS): SaslUsers {
    return new SaslUsers(new Map([...this.users, [user, credentialsFor(password, iterations)]]))
  }

  withoutUser(user: string): SaslUsers {
    return new SaslUsers(new Map([...this.users].filter(([name]) => name !== user)))
  }

  toJson(): string {
    const users = Object.fromEntries(
      [...this.users].map(([name, credentials]) => [
        name,
        Object.fromEntries(
          Object.entries(credentials).map(([mechanism, c]) => [
            mechanism,
            {
              salt: c.salt.toString('base64'),
              iterations: c.iterations,
              storedKey: c.storedKey.toString('base64'),
              serverKey: c.serverKey.toString('base64'),
            },
          ]),
        ),
      ]),
    )
    return `${JSON.stringify({ version: 1, users }, null, 2)}\n`
  }
}

function credentialsFor(password: string, iterations: number): UserCredentials {
  return Object.fromEntries(MECHANISMS.map((mechanism) => [mechanism, scramCredential(mechanism, password, { iterations })]))
}
