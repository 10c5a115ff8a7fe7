/**
 * Which environment variables `${VAR}` in pipeline files may read: those whose whole name matches
 * `--env-allowlist` (a regular expression, as the `allowlist.pattern` of Kafka's
 * EnvVarConfigProvider; default: every name), and never the worker's own credentials
 * (TRIBUTARY_REST_AUTH_TOKEN, TRIBUTARY_KAFKA_SASL_PLAIN_USERS, TRIBUTARY_LOG_SASL_PLAIN and any other
 * TRIBUTARY_* variable named like a secret), whatever the pattern says: a pipeline file could
 * otherwise copy them into a connector's config, where a caller of the REST API reads them.
 */
import { TributaryError } from '../errors.ts'

export const ENV_ALLOWLIST_SETTING = '--env-allowlist (TRIBUTARY_ENV_ALLOWLIST)'

/** The worker's own settings that hold credentials, by their name. */
const WORKER_SECRET = /^TRIBUTARY_\w*(TOKEN|PASSWORD|PASSWD|SECRET|CREDENTIAL|SASL|SCRAM|AUTH|USERS|PRIVATE|KEY)/i

/** Why `${name}` may not be read; undefined when it may. */
export type EnvRefusal = (name: string) => string | undefined

/** `allowlist`: a pattern the whole name must match; absent: every name but the worker's secrets. */
export function envRefusal(allowlist?: string): EnvRefusal {
  const allowed = allowlist === undefined ? undefined : anchoredPattern(allowlist)
  return (name) => {
    if (WORKER_SECRET.test(name))
      return `environment variable ${name} holds one of the worker's own credentials and is never read by pipeline files; give the connector its own variable`
    if (allowed !== undefined && !allowed.test(name))
      return `environment variable ${name} may not be read by pipeline files: it does not match ${ENV_ALLOWLIST_SETTING} (${allowlist}); widen the pattern to allow it`
    return undefined
  }
}

/** The pattern matched against a whole name, as Java's Matcher.matches(); throws on a bad pattern. */
export function anchoredPattern(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`)
  } catch (error) {
    throw new TributaryError('TRB_CONFIG_INVALID', `${ENV_ALLOWLIST_SETTING} is not a regular expression: ${(error as Error).message}`, {
      details: { setting: ENV_ALLOWLIST_SETTING },
    })
  }
}
