/**
 * Checks that what a plugin module exports is a connector plugin before the worker takes it. A
 * plugin from --plugin-path is whatever its file holds, unchecked by any compiler: a missing function
 * found here names the file at start, rather than failing a connector of it later.
 *
 * `config` must be a zod schema (the worker calls parse and safeParse, reads zod's issues, and lists
 * the keys from its JSON Schema); the rest is what definePlugin's types ask for.
 */
import { TributaryError } from '../errors.ts'
import type { ConnectorPlugin } from './plugin.ts'

/** Names appear in `connector.class`, YAML `type` and REST paths: letters, digits, `.`, `_`, `-`. */
const PLUGIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,248}$/

export function checkPlugin(value: unknown, file: string): ConnectorPlugin {
  const problems = pluginProblems(value)
  if (problems.length === 0) return value as ConnectorPlugin
  const name = typeof (value as { name?: unknown } | null)?.name === 'string' ? ` ${(value as { name: string }).name}` : ''
  throw new TributaryError('TRB_PLUGIN_INVALID', `${file}: the export${name} is not a connector plugin: ${problems.join('; ')}`, {
    details: { file, problems },
  })
}

function pluginProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null)
    return [`expected a plugin made with definePlugin, got ${value === null ? 'null' : typeof value}`]
  const plugin = value as Record<string, unknown>
  const problems: string[] = []
  if (typeof plugin.name !== 'string' || !PLUGIN_NAME.test(plugin.name)) problems.push('name must be letters, digits, ".", "_" or "-"')
  if (plugin.kind !== 'source' && plugin.kind !== 'sink') problems.push('kind must be "source" or "sink"')
  if (typeof plugin.version !== 'string' || plugin.version === '') problems.push('version must be a string')
  if (typeof plugin.description !== 'string') problems.push('description must be a string')
  if (
    plugin.aliases !== undefined &&
    !(Array.isArray(plugin.aliases) && plugin.aliases.every((alias) => typeof alias === 'string' && PLUGIN_NAME.test(alias)))
  ) {
    problems.push('aliases, when given, must be names')
  }
  const config = plugin.config as { parse?: unknown; safeParse?: unknown } | null | undefined
  if (typeof config?.parse !== 'function' || typeof config.safeParse !== 'function') problems.push('config must be a zod schema')
  for (const key of ['taskConfigs', 'createTask']) {
    if (typeof plugin[key] !== 'function') problems.push(`${key} must be a function`)
  }
  for (const key of ['onCreated', 'onDeleted', 'targets']) {
    if (plugin[key] !== undefined && typeof plugin[key] !== 'function') problems.push(`${key}, when given, must be a function`)
  }
  return problems
}
