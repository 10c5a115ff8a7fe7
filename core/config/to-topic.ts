/**
 * The topic part of a pipeline as the log's topic config: `retention: 7d` becomes
 * `retention.ms: 604800000`, `retention_bytes: 1GiB` becomes `retention.bytes`, and `config:` passes
 * Kafka's own keys through. Keys the embedded log knows are checked here, at their line; others pass
 * to the log as they are (a Kafka cluster knows more keys than the embedded log does).
 */
import type { ZodType } from 'zod'
import { topicConfigSchema } from '../log/topic-config.ts'
import type { ReportProblem } from './flatten-with.ts'
import { issueMessage, topicNameProblem, type TopicPart } from './pipeline-schema.ts'
import type { TopicDefinition } from './pipeline-types.ts'
import type { KeyPath, Position } from './yaml-locate.ts'

export interface PipelineTopic extends TopicDefinition {
  /** Where each config key was written, to report a conflict between files at its line. */
  readonly origins: ReadonlyMap<string, TopicKeyOrigin>
}

export interface TopicKeyOrigin extends Position {
  readonly path: KeyPath
}

const SHORTHANDS = [
  ['partitions', 'partitions'],
  ['retention', 'retention.ms'],
  ['retention_bytes', 'retention.bytes'],
  ['durability', 'durability'],
] as const

const knownKeys: Readonly<Record<string, ZodType>> = topicConfigSchema.shape

export function toTopicDefinition(
  topic: TopicPart,
  file: string,
  locate: (keyPath: KeyPath) => Position,
  problem: ReportProblem,
): PipelineTopic {
  const nameProblem = topicNameProblem(topic.name)
  if (nameProblem !== undefined) problem(['topic', 'name'], nameProblem)
  const config: Record<string, string | number> = {}
  const origins = new Map<string, KeyPath>()
  for (const [key, value] of Object.entries(topic.config ?? {})) {
    config[key] = typeof value === 'boolean' ? String(value) : value
    origins.set(key, ['topic', 'config', key])
  }
  for (const [shorthand, key] of SHORTHANDS) {
    const value = topic[shorthand]
    if (value === undefined) continue
    const written = origins.get(key)
    if (written !== undefined) problem(written, `is also set by topic.${shorthand}; keep one`)
    config[key] = value
    origins.set(key, ['topic', shorthand])
  }
  for (const [key, value] of Object.entries(config)) {
    const parsed = Object.hasOwn(knownKeys, key) ? knownKeys[key]?.safeParse(value, { error: issueMessage }) : undefined
    const issue = parsed?.success === false ? parsed.error.issues[0] : undefined
    if (issue === undefined) continue
    const origin = origins.get(key) ?? ['topic']
    // `retention: 1000000d` is reported as what it became: `retention.ms must be at most …`.
    problem(origin, origin.at(-1) === key ? issue.message : `${key} ${issue.message}`)
  }
  const located = new Map([...origins].map(([key, path]) => [key, { path, ...locate(path) }]))
  return { name: topic.name, config, file, line: locate(['topic']).line, origins: located }
}
