/**
 * Where a worker keeps its data and listens: command-line flags win over TRIBUTARY_* environment
 * variables, which win over the defaults.
 */
import { z } from 'zod'
import { anchoredPattern } from './config/env-policy.ts'
import { TributaryError } from './errors.ts'
import { kafkaLimitsFromEnv, kafkaLimitsSchema } from './kafka-limits-settings.ts'
import { DEFAULT_STORAGE_TOPIC_PREFIX, STORAGE_TOPIC_PREFIX_RULE } from './runtime/storage-topics.ts'

const port = z.coerce.number().int().min(0).max(65_535)

const settingsSchema = z
  .object({
    configDir: z.string().min(1),
    dataDir: z.string().min(1),
    restHost: z.string().min(1),
    restPort: port,
    /** host:port other workers of a group reach this one's REST API at (Kafka Connect's rest.advertised.*). */
    restAdvertisedAddress: z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port')
      .optional(),
    kafkaHost: z.string().min(1),
    /** host:port Kafka clients are told to connect to (Kafka's advertised.listeners); default: the one they used. */
    kafkaAdvertisedAddress: z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port')
      .optional(),
    kafkaPort: port,
    /** The Schema Registry's port (on restHost, with the REST API's TLS and token); 0 turns it off. */
    schemaRegistryPort: port,
    restAuthToken: z.string().min(1).optional(),
    /** Names besides the worker's own that requests may carry in `Host` (DNS rebinding guard); `*`: any. */
    restAllowedHosts: z.array(z.string().min(1)),
    /** Start on a non-loopback address without a REST token or Kafka SASL users (loud warning). */
    insecureNoAuth: z.boolean(),
    /** Keep topics on a Kafka cluster (comma-separated host:port) instead of the embedded engine. */
    logBrokers: z
      .string()
      .regex(/^\s*[^\s:,]+:\d{1,5}\s*(,\s*[^\s:,]+:\d{1,5}\s*)*$/, 'expected host:port[,host:port…]')
      .optional(),
    /** user:password for SASL/PLAIN to that cluster. */
    logSaslPlain: z
      .string()
      .regex(/^[^:]+:/, 'expected user:password')
      .optional(),
    /** TLS on the REST API and the Kafka listener: certificate and key files (PEM), and a client CA for mutual TLS. */
    tlsCert: z.string().min(1).optional(),
    tlsKey: z.string().min(1).optional(),
    tlsClientCa: z.string().min(1).optional(),
    /** The Kafka listener's users file (SCRAM credentials, made by `tributary users add`). */
    kafkaUsersFile: z.string().min(1).optional(),
    /** SASL users of the Kafka listener (name → password), from the environment; none here or in the file: no authentication. */
    kafkaSaslPlainUsers: z.record(z.string(), z.string()).optional(),
    /** Kafka's super.users: SASL principals (`User:<name>`) allowed everything, internal topics included. */
    /** The Kafka listener's connection and buffer limits (TRIBUTARY_KAFKA_MAX_CONNECTIONS, ...). */
    kafkaLimits: kafkaLimitsSchema,
    /** Kafka's allow.everyone.if.no.acl.found for the listener's ACLs. */
    kafkaAllowEveryoneIfNoAclFound: z
      .enum(['true', 'false'], { message: 'TRIBUTARY_KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND must be true or false' })
      .transform((value) => value === 'true'),
    kafkaSuperUsers: z
      .array(z.string().regex(/^User:[^\s;,]+$/, 'TRIBUTARY_KAFKA_SUPER_USERS lists principals as User:<name>, separated by ;'))
      .default([]),
    /** Distributed mode: join this worker group (Kafka Connect's group.id) and run only its share. */
    groupId: z.string().min(1).optional(),
    /** Names the internal topics (storage-topics.ts): two groups on one Kafka cluster need two prefixes. */
    storageTopicPrefix: z
      .string()
      .regex(STORAGE_TOPIC_PREFIX_RULE, 'expected _tributary- or _tributary-<name>- (letters, digits, . _ -), so the topics stay internal'),
    /**
     * Kafka Connect's exactly.once.source.support: source batches and their offsets in one transaction;
     * the same for topic pipelines (a sink whose store is the log: its output and consumed offsets).
     */
    exactlyOnceSourceSupport: z.enum(['enabled', 'disabled'], {
      message: 'TRIBUTARY_EXACTLY_ONCE_SOURCE_SUPPORT must be enabled or disabled',
    }),
    /** A group member silent for this long is dropped and its tasks move (session.timeout.ms). */
    groupSessionTimeoutMs: z.coerce.number().int().min(100).max(3_600_000),
    /** Directories file connectors may read and write (and below); default: the data dir and the working directory. */
    fileAllowedPaths: z.array(z.string().min(1)).min(1, 'list at least one directory'),
    /** The environment variables pipeline files may read (a pattern the whole name matches); default: any but the worker's own credentials. */
    envAllowlist: z.string().refine(isPattern, 'expected a regular expression, e.g. APP_.*|PG_.*').optional(),
    /** CIDR ranges and host names HTTP and database connectors may reach; absent: any host. */
    connectAllowedHosts: z.array(z.string().min(1)).min(1, 'list at least one CIDR range or host name').optional(),
    /** Files and directories of connector plugins to load beside the built-in ones (their code runs in the worker). */
    pluginPath: z.array(z.string().min(1)),
  })
  .refine((s) => (s.tlsCert === undefined) === (s.tlsKey === undefined), {
    message: 'give both --tls-cert and --tls-key, or neither',
    path: ['tlsCert'],
  })
  .refine((s) => s.tlsClientCa === undefined || s.tlsCert !== undefined, {
    message: '--tls-client-ca needs --tls-cert and --tls-key',
    path: ['tlsClientCa'],
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
  readonly 'schema-registry-port'?: string | undefined
  readonly 'rest-auth-token'?: string | undefined
  readonly 'kafka-users-file'?: string | undefined
  readonly 'tls-cert'?: string | undefined
  readonly 'tls-key'?: string | undefined
  readonly 'tls-client-ca'?: string | undefined
  readonly 'rest-allowed-hosts'?: string | undefined
  readonly 'insecure-no-auth'?: boolean | undefined
  readonly 'log-brokers'?: string | undefined
  readonly 'group-id'?: string | undefined
  readonly 'storage-topic-prefix'?: string | undefined
  readonly 'file-allowed-paths'?: string | undefined
  readonly 'env-allowlist'?: string | undefined
  readonly 'connect-allowed-hosts'?: string | undefined
  readonly 'plugin-path'?: string | undefined
}

export function resolveWorkerSettings(flags: SettingsFlags, env: NodeJS.ProcessEnv = process.env): WorkerSettings {
  const dataDir = flags['data-dir'] ?? env.TRIBUTARY_DATA_DIR ?? 'data'
  const result = settingsSchema.safeParse({
    configDir: flags.config ?? env.TRIBUTARY_CONFIG_DIR ?? 'config',
    dataDir,
    restHost: flags['rest-host'] ?? env.TRIBUTARY_REST_HOST ?? '127.0.0.1',
    restPort: flags['rest-port'] ?? env.TRIBUTARY_REST_PORT ?? 8083,
    restAdvertisedAddress: flags['rest-advertised-address'] ?? env.TRIBUTARY_REST_ADVERTISED_ADDRESS,
    kafkaHost: flags['kafka-host'] ?? env.TRIBUTARY_KAFKA_HOST ?? '127.0.0.1',
    kafkaAdvertisedAddress: flags['kafka-advertised-address'] ?? env.TRIBUTARY_KAFKA_ADVERTISED_ADDRESS,
    kafkaPort: flags['kafka-port'] ?? env.TRIBUTARY_KAFKA_PORT ?? 9092,
    schemaRegistryPort: flags['schema-registry-port'] ?? env.TRIBUTARY_SCHEMA_REGISTRY_PORT ?? 8081,
    restAuthToken: flags['rest-auth-token'] ?? env.TRIBUTARY_REST_AUTH_TOKEN,
    kafkaUsersFile: flags['kafka-users-file'] ?? env.TRIBUTARY_KAFKA_USERS_FILE,
    tlsCert: flags['tls-cert'] ?? env.TRIBUTARY_TLS_CERT,
    tlsKey: flags['tls-key'] ?? env.TRIBUTARY_TLS_KEY,
    tlsClientCa: flags['tls-client-ca'] ?? env.TRIBUTARY_TLS_CLIENT_CA,
    restAllowedHosts: parseList(flags['rest-allowed-hosts'] ?? env.TRIBUTARY_REST_ALLOWED_HOSTS) ?? [],
    insecureNoAuth: flags['insecure-no-auth'] ?? parseBoolean(env.TRIBUTARY_INSECURE_NO_AUTH, 'TRIBUTARY_INSECURE_NO_AUTH'),
    logBrokers: flags['log-brokers'] ?? env.TRIBUTARY_LOG_BROKERS,
    logSaslPlain: env.TRIBUTARY_LOG_SASL_PLAIN,
    groupId: flags['group-id'] ?? env.TRIBUTARY_GROUP_ID,
    exactlyOnceSourceSupport: env.TRIBUTARY_EXACTLY_ONCE_SOURCE_SUPPORT ?? 'enabled',
    storageTopicPrefix: flags['storage-topic-prefix'] ?? env.TRIBUTARY_STORAGE_TOPIC_PREFIX ?? DEFAULT_STORAGE_TOPIC_PREFIX,
    groupSessionTimeoutMs: env.TRIBUTARY_GROUP_SESSION_TIMEOUT_MS ?? 10_000,
    // Only from the environment: a password on the command line would show in every process list.
    kafkaSaslPlainUsers: parseUsers(env.TRIBUTARY_KAFKA_SASL_PLAIN_USERS),
    fileAllowedPaths: parseList(flags['file-allowed-paths'] ?? env.TRIBUTARY_FILE_ALLOWED_PATHS) ?? [dataDir, process.cwd()],
    envAllowlist: flags['env-allowlist'] ?? env.TRIBUTARY_ENV_ALLOWLIST,
    connectAllowedHosts: parseList(flags['connect-allowed-hosts'] ?? env.TRIBUTARY_CONNECT_ALLOWED_HOSTS),
    pluginPath: parseList(flags['plugin-path'] ?? env.TRIBUTARY_PLUGIN_PATH) ?? [],
    kafkaLimits: kafkaLimitsFromEnv(env),
    kafkaAllowEveryoneIfNoAclFound: env.TRIBUTARY_KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND ?? 'true',
    kafkaSuperUsers: env.TRIBUTARY_KAFKA_SUPER_USERS?.split(/[;,]/)
      .map((p) => p.trim())
      .filter((p) => p !== ''),
  })
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`)
  throw new TributaryError('TRB_CONFIG_INVALID', `invalid worker settings: ${problems.join('; ')}`, { details: { problems } })
}

function parseBoolean(text: string | undefined, name: string): boolean {
  const value = text?.trim().toLowerCase()
  if (value === undefined || value === '' || value === 'false' || value === '0') return false
  if (value === 'true' || value === '1') return true
  throw new TributaryError('TRB_CONFIG_INVALID', `${name} must be true or false, not ${JSON.stringify(text)}`, {
    details: { setting: name },
  })
}

function isPattern(text: string): boolean {
  try {
    anchoredPattern(text)
    return true
  } catch {
    return false
  }
}

/** `a, b` → ['a', 'b'], as Kafka's list settings; unset → undefined. */
export function parseList(text: string | undefined): string[] | undefined {
  return text
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/** `alice:secret,bob:other` → { alice: 'secret', bob: 'other' }; a password may contain ':'. */
function parseUsers(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined || text.trim() === '') return undefined
  const users: Record<string, string> = {}
  for (const entry of text.split(',')) {
    const colon = entry.indexOf(':')
    if (colon <= 0) {
      throw new TributaryError('TRB_CONFIG_INVALID', 'TRIBUTARY_KAFKA_SASL_PLAIN_USERS must list user:password pairs separated by commas', {
        details: { setting: 'TRIBUTARY_KAFKA_SASL_PLAIN_USERS' },
      })
    }
    users[entry.slice(0, colon).trim()] = entry.slice(colon + 1)
  }
  return users
}
