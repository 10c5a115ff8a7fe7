/**
 * Where a worker keeps its data and listens: command-line flags win over TRIBUTARY_* environment
 * variables, which win over the defaults.
 */
import { z } from 'zod'
import { TributaryError } from './errors.ts'
import { kafkaLimitsFromEnv, kafkaLimitsSchema } from './kafka-limits-settings.ts'

const port = z.coerce.number().int().min(0).max(65_535)

const settingsSchema = z.object({
  configDir: z.string().min(1),
  dataDir: z.string().min(1),
  restHost: z.string().min(1),
  restPort: port,
  /** host:port other workers of a group reach this one's REST API at (Kafka Connect's rest.advertised.*). */
  restAdvertisedAddress: z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port').optional(),
  kafkaHost: z.string().min(1),
  /** host:port Kafka clients are told to connect to (Kafka's advertised.listeners); default: the one they used. */
  kafkaAdvertisedAddress: z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port').optional(),
  kafkaPort: port,
  restAuthToken: z.string().min(1).optional(),
  /** Keep topics on a Kafka cluster (comma-separated host:port) instead of the embedded engine. */
  logBrokers: z.string().regex(/^\s*[^\s:,]+:\d{1,5}\s*(,\s*[^\s:,]+:\d{1,5}\s*)*$/, 'expected host:port[,host:port…]').optional(),
  /** user:password for SASL/PLAIN to that cluster. */
  logSaslPlain: z.string().regex(/^[^:]+:/, 'expected user:password').optional(),
  /** SASL/PLAIN users of the Kafka listener (name → password); none: no authentication. */
  kafkaSaslPlainUsers: z.record(z.string(), z.string()).optional(),
  /** Kafka's super.users: SASL principals (`User:<name>`) allowed everything, internal topics included. */
  /** The Kafka listener's connection and buffer limits (TRIBUTARY_KAFKA_MAX_CONNECTIONS, ...). */
  kafkaLimits: kafkaLimitsSchema,
  /** Kafka's allow.everyone.if.no.acl.found for the listener's ACLs. */
  kafkaAllowEveryoneIfNoAclFound: z.enum(['true', 'false'], { message: 'TRIBUTARY_KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND must be true or false' }).transform((value) => value === 'true'),
  kafkaSuperUsers: z.array(z.string().regex(/^User:[^\s;,]+$/, 'TRIBUTARY_KAFKA_SUPER_USERS lists principals as User:<name>, separated by ;')).default([]),
  /** Distributed mode: join this worker group (Kafka Connect's group.id) and run only its share. */
  groupId: z.string().min(1).optional(),
  /** A group member silent for this long is dropped and its tasks move (session.timeout.ms). */
  groupSessionTimeoutMs: z.coerce.number().int().min(100).max(3_600_000),
})

export type WorkerSettings = z.infer<typeof settingsSchema>

export interface SettingsFlags {
  readonly config?: string | undefined
  readonly 'data-dir'?: string | undefined
  readonly 'rest-host'?: string | undefined
  readonly 'rest-port'?: string | undefined
  readonly 'rest-advertised-address'?: string | undefined
  readonly 'kafka-host'?: string | undefined
  readonly 'kafka-advertised-address'?: string | undefined
  readonly 'kafka-port'?: string | undefined
  readonly 'rest-auth-token'?: string | undefined
  readonly 'log-brokers'?: string | undefined
  readonly 'group-id'?: string | undefined
}

export function resolveWorkerSettings(flags: SettingsFlags, env: NodeJS.ProcessEnv = process.env): WorkerSettings {
  const result = settingsSchema.safeParse({
    configDir: flags.config ?? env.TRIBUTARY_CONFIG_DIR ?? 'config',
    dataDir: flags['data-dir'] ?? env.TRIBUTARY_DATA_DIR ?? 'data',
    restHost: flags['rest-host'] ?? env.TRIBUTARY_REST_HOST ?? '127.0.0.1',
    restPort: flags['rest-port'] ?? env.TRIBUTARY_REST_PORT ?? 8083,
    restAdvertisedAddress: flags['rest-advertised-address'] ?? env.TRIBUTARY_REST_ADVERTISED_ADDRESS,
    kafkaHost: flags['kafka-host'] ?? env.TRIBUTARY_KAFKA_HOST ?? '127.0.0.1',
    kafkaAdvertisedAddress: flags['kafka-advertised-address'] ?? env.TRIBUTARY_KAFKA_ADVERTISED_ADDRESS,
    kafkaPort: flags['kafka-port'] ?? env.TRIBUTARY_KAFKA_PORT ?? 9092,
    restAuthToken: flags['rest-auth-token'] ?? env.TRIBUTARY_REST_AUTH_TOKEN,
    logBrokers: flags['log-brokers'] ?? env.TRIBUTARY_LOG_BROKERS,
    logSaslPlain: env.TRIBUTARY_LOG_SASL_PLAIN,
    groupId: flags['group-id'] ?? env.TRIBUTARY_GROUP_ID,
    groupSessionTimeoutMs: env.TRIBUTARY_GROUP_SESSION_TIMEOUT_MS ?? 10_000,
    // Only from the environment: a password on the command line would show in every process list.
    kafkaSaslPlainUsers: parseUsers(env.TRIBUTARY_KAFKA_SASL_PLAIN_USERS),
    kafkaLimits: kafkaLimitsFromEnv(env),
    kafkaAllowEveryoneIfNoAclFound: env.TRIBUTARY_KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND ?? 'true',
    kafkaSuperUsers: env.TRIBUTARY_KAFKA_SUPER_USERS?.split(/[;,]/).map((p) => p.trim()).filter((p) => p !== ''),
  })
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`)
  throw new TributaryError('TRB_CONFIG_INVALID', `invalid worker settings: ${problems.join('; ')}`, { details: { problems } })
}

/** `alice:secret,bob:other` → { alice: 'secret', bob: 'other' }; a password may contain ':'. */
function parseUsers(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined || text.trim() === '') return undefined
  const users: Record<string, string> = {}
  for (const entry of text.split(',')) {
    const colon = entry.indexOf(':')
    if (colon <= 0) {
      throw new TributaryError('TRB_CONFIG_INVALID', 'TRIBUTARY_KAFKA_SASL_PLAIN_USERS must list user:password pairs separated by commas', { details: { setting: 'TRIBUTARY_KAFKA_SASL_PLAIN_USERS' } })
    }
    users[entry.slice(0, colon).trim()] = entry.slice(colon + 1)
  }
  return users
}
