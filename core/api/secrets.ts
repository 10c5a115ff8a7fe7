/**
 * Secrets never leave through the API: values of keys named like password, secret or token are shown
 * as a placeholder. A PUT that sends the placeholder back keeps the stored value, so
 * GET-edit-PUT round trips work without the caller ever seeing the secret.
 */
import { SECRET_KEY_PATTERN, type ConnectorConfig } from '../runtime/plugin.ts'

export const HIDDEN = '[hidden]'

export function redactConfig(config: ConnectorConfig): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, SECRET_KEY_PATTERN.test(key) ? HIDDEN : value]))
}

export function restoreHiddenSecrets(incoming: Record<string, string>, stored: ConnectorConfig | undefined): Record<string, string> {
  if (stored === undefined) return incoming
  const result = { ...incoming }
  for (const [key, value] of Object.entries(incoming)) {
    const previous = stored[key]
    if (value === HIDDEN && SECRET_KEY_PATTERN.test(key) && previous !== undefined) result[key] = previous
  }
  return result
}
