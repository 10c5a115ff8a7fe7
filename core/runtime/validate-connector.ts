/**
 * Checks a connector config the way `PUT /connector-plugins/{plugin}/config/validate` reports it:
 * every problem at once, each against the flat key it concerns. Runs the runtime's own keys, the
 * plugin's schema, and the transform and converter configs.
 */
import type { ZodError } from 'zod'
import type { ErrorCode } from '../errors.ts'
import { isInternalTopic } from '../log/internal-topics.ts'
import { connectorSettingsSchema } from './connector-settings.ts'
import type { PluginCatalog } from './plugin-catalog.ts'
import type { Sandbox } from './sandbox.ts'
import type { ConnectorConfig, ConnectorPlugin } from './plugin.ts'
import { maskText, maskValue } from '../secrets.ts'

export interface ConfigProblem {
  readonly key: string
  readonly message: string
  /** A refusal with its own code (a file or host outside the sandbox); otherwise a plain invalid value. */
  readonly code?: ErrorCode
}

export type ProcessingValidator = (config: ConnectorConfig) => ConfigProblem[]

export interface ValidationResult {
  readonly plugin: ConnectorPlugin | undefined
  readonly problems: ConfigProblem[]
}

export function validateConnectorConfig(
  catalog: PluginCatalog,
  validateProcessing: ProcessingValidator,
  config: ConnectorConfig,
  sandbox?: Sandbox,
): ValidationResult {
  const problems: ConfigProblem[] = []
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== 'string')
      problems.push({
        key,
        message: `must be a string (Kafka Connect configs are string maps), got ${value === null ? 'null' : typeof value}`,
      })
  }
  const connectorClass = config['connector.class']
  const plugin = connectorClass === undefined ? undefined : catalog.find(connectorClass)
  if (connectorClass === undefined || connectorClass === '') problems.push({ key: 'connector.class', message: 'is required' })
  else if (plugin === undefined)
    problems.push({
      key: 'connector.class',
      message: `no plugin named "${connectorClass}"; known: ${catalog.plugins.map((p) => p.name).join(', ')}`,
    })

  const settings = connectorSettingsSchema.safeParse(config)
  if (!settings.success) problems.push(...zodProblems(settings.error, config).filter((p) => p.key !== 'connector.class'))
  if (plugin !== undefined) {
    const parsed = plugin.config.safeParse(config)
    if (!parsed.success) problems.push(...zodProblems(parsed.error, config))
    else if (sandbox !== undefined && plugin.targets !== undefined) problems.push(...sandbox.targetProblems(plugin.targets(parsed.data)))
    if (plugin.kind === 'sink' && !config.topics && !config['topics.regex']) {
      problems.push({ key: 'topics', message: 'a sink needs topics or topics.regex' })
    }
  }
  for (const key of ['topics', 'errors.deadletterqueue.topic.name']) {
    const internal = (config[key] ?? '')
      .split(',')
      .map((topic) => topic.trim())
      .filter(isInternalTopic)
    if (internal.length > 0)
      problems.push({
        key,
        message: `names the worker's internal topic ${internal.join(', ')}, which connectors may not read or write; name another topic`,
      })
  }
  const regex = config['topics.regex']
  if (regex !== undefined) {
    try {
      new RegExp(regex)
    } catch (error) {
      problems.push({ key: 'topics.regex', message: `is not a valid regular expression: ${(error as Error).message}` })
    }
  }
  problems.push(...validateProcessing(config))
  return { plugin, problems: dedupe(problems) }
}

export function zodProblems(error: ZodError, config: ConnectorConfig = {}): ConfigProblem[] {
  return error.issues.map((issue) => {
    const key = issue.path.map(String).join('.')
    // A secret's value never appears in a message, which may be logged or returned.
    const given = config[key] === undefined ? undefined : maskValue(key, config[key])
    // zod's wording is about JS types; say what the user must write instead.
    const message =
      issue.code !== 'invalid_type'
        ? maskText(issue.message)
        : given === undefined
          ? 'is required'
          : `must be ${issue.expected === 'number' ? 'a number' : issue.expected === 'boolean' ? 'true or false' : `a ${issue.expected}`}, got "${given}"`
    return { key: key || '(config)', message }
  })
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>()
  return problems.filter((problem) => {
    const id = `${problem.key}\0${problem.message}`
    if (seen.has(id)) return false
    seen.add(id)
    return true
  })
}
