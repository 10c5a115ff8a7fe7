/**
 * Secrets never leave through the API (core/secrets.ts says what a secret is and masks it),
 * and a caller that never saw them cannot send them elsewhere. A PUT or PATCH that sends a
 * placeholder back (a whole `[hidden]` value, or `postgres://u:[hidden]@h/db`) keeps the stored
 * secret, so GET-edit-PUT round trips work. But when the config changes where the connector connects
 * (a target key: `url`'s scheme, user, host, port or query, `host`, `hostname`, `port`,
 * `connector.class`…), every stored secret the new config would keep must be sent again: reusing it
 * would hand the stored password or token to a host the caller chose.
 */
import { TributaryError } from '../errors.ts'
import type { ConnectorConfig } from '../runtime/plugin.ts'
import { HIDDEN, holdsSecret, isSecretKey, maskText, restoreMaskedText, secretsInText } from '../secrets.ts'

/** Keys that say where a connector connects, by their last segment (`listen.*` is where it listens). */
const TARGET_SEGMENT = /^(?:url|urls|uri|uris|dsn|host|hosts|hostname|port|server|servers|endpoint|endpoints|address|addresses)$/i
const TARGET_KEYS = new Set(['connector.class', 'bootstrap.servers'])
const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i

export function isTargetKey(key: string): boolean {
  if (TARGET_KEYS.has(key)) return true
  if (key.startsWith('listen.')) return false
  return TARGET_SEGMENT.test(key.slice(key.lastIndexOf('.') + 1))
}

/**
 * The config to store for a create or PUT (`sent` = every key of `incoming`; `existing` undefined for
 * a new connector) or a PATCH (`incoming` = stored merged with the patch, `sent` = the patch's keys):
 * placeholders replaced by the stored secrets.
 * Throws TRB_SECRET_REQUIRED naming the keys whose secrets must be sent when the target changes, or
 * when a placeholder has no stored secret to stand for.
 */
export function restoreHiddenSecrets(
  incoming: Record<string, string>,
  existing: ConnectorConfig | undefined,
  sent: Iterable<string> = Object.keys(incoming),
): Record<string, string> {
  // A new connector has nothing stored: a placeholder in it stands for nothing.
  const stored = existing ?? {}
  const sentKeys = new Set(sent)
  const moved = existing === undefined ? [] : changedTargets(stored, incoming)
  const result = { ...incoming }
  const required: string[] = []
  for (const [key, value] of Object.entries(incoming)) {
    const previous = stored[key]
    const kept = !sentKeys.has(key) && previous !== undefined && holdsSecret(key, previous)
    if (isSecretKey(key)) {
      if (value === HIDDEN) {
        if (previous === undefined || moved.length > 0) required.push(key)
        else result[key] = previous
      } else if (kept && moved.length > 0) required.push(key)
      continue
    }
    if (kept) {
      if (moved.length > 0) required.push(key)
      continue
    }
    if (!secretsInText(value).includes(HIDDEN)) continue
    const restored = previous === undefined ? undefined : restoreMaskedText(value, previous)
    if (restored === undefined || moved.length > 0) required.push(key)
    else result[key] = restored
  }
  if (required.length > 0) throw secretRequired(required, moved)
  return result
}

/** The target keys whose value differs, comparing URLs by scheme, user, host, port and query. */
function changedTargets(stored: ConnectorConfig, incoming: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(stored), ...Object.keys(incoming)])
  return [...keys]
    .filter((key) => {
      const before = stored[key]
      const after = incoming[key]
      if (!isTargetKey(key) && !ABSOLUTE_URL.test(before ?? '') && !ABSOLUTE_URL.test(after ?? '')) return false
      if (before === undefined || after === undefined) return before !== after
      return targetOf(before) !== targetOf(after)
    })
    .sort()
}

/** Where a value points: for a URL its origin, user and query (the path, a database name, may change). */
function targetOf(value: string): string {
  const masked = maskText(value)
  if (!ABSOLUTE_URL.test(masked)) return masked
  try {
    const url = new URL(masked)
    return `${url.protocol}//${url.username}@${url.host}${url.search}`
  } catch {
    return masked
  }
}

function secretRequired(keys: string[], moved: string[]): TributaryError {
  const list = keys.sort().join(', ')
  if (moved.length === 0) {
    return new TributaryError(
      'TRB_SECRET_REQUIRED',
      `${list}: ${HIDDEN} stands for a secret that is not stored under that key; send the secret itself`,
      { details: { keys } },
    )
  }
  return new TributaryError(
    'TRB_SECRET_REQUIRED',
    `the connector's target changes (${moved.join(', ')}), so its stored secrets are not reused: send ${list} again with the real values (or remove them)`,
    { details: { keys, targets: moved } },
  )
}
