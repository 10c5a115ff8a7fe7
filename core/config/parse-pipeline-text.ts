/**
 * One pipeline file's text → its connectors and topic, with every problem found in it: YAML syntax,
 * unset variables, unknown keys, schema, duplicate ids, unknown transforms, and what the runtime's
 * validator says of each connector, each at its line, column and key path. The file's parts are
 * checked independently so one mistake does not hide the others.
 */
import { LineCounter, parseDocument } from 'yaml'
import { z, type ZodType } from 'zod'
import { topicConfigSchema } from '../log/topic-config.ts'
import { checkReferences } from './check-references.ts'
import { envRefusal } from './env-policy.ts'
import { interpolateDocument } from './interpolate.ts'
import type { PipelineProblem } from './pipeline-error.ts'
import {
  deadLetterSchema,
  errorsSchema,
  issueMessage,
  pipelineNameSchema,
  pipelineSchema,
  sinkSchema,
  sourceSchema,
  topicSchema,
  transformSchema,
  versionSchema,
  type SinkEntry,
  type SourceEntry,
  type TransformEntry,
} from './pipeline-schema.ts'
import type { ConnectorDefinition, LoadOptions } from './pipeline-types.ts'
import { toConnectorDefinition, type ConnectorEntry, type PipelineParts } from './to-connectors.ts'
import { toTopicDefinition, type PipelineTopic } from './to-topic.ts'
import { pathText, YamlLocator, type KeyPath, type Position } from './yaml-locate.ts'

export interface ParsedPipeline {
  readonly file: string
  /** The pipeline's name, when it is valid. */
  readonly name: string | undefined
  /** Where the name is written, for problems found across files. */
  readonly namePosition: Position
  readonly connectors: ConnectorDefinition[]
  readonly topic: PipelineTopic | undefined
  /** Sorted by line and column; when not empty, the connectors and topic are incomplete. */
  readonly problems: PipelineProblem[]
}

export function parsePipelineText(text: string, file: string, options: LoadOptions = {}): ParsedPipeline {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const locator = new YamlLocator(doc, lineCounter)
  const problems: PipelineProblem[] = []
  const report = (keyPath: KeyPath, message: string) =>
    problems.push({ file, ...locator.locate(keyPath), path: pathText(keyPath), message })
  const result = (fields: Partial<Pick<ParsedPipeline, 'name' | 'connectors' | 'topic'>> = {}): ParsedPipeline => ({
    file,
    name: fields.name,
    namePosition: locator.locate(['pipeline']),
    connectors: fields.connectors ?? [],
    topic: fields.topic,
    problems: ordered(problems),
  })

  const yamlLines = new Set<number>()
  for (const issue of [...doc.errors, ...doc.warnings]) {
    const position = locator.at(issue.pos[0])
    // One slip cascades into several errors on its line; the first says the most.
    if (yamlLines.has(position.line)) continue
    yamlLines.add(position.line)
    problems.push({ file, ...position, path: '', message: yamlMessage(issue.message, text.split('\n')[position.line - 1] ?? '') })
  }
  if (doc.errors.length > 0) return result()
  for (const { node, keyPath, message } of interpolateDocument(doc, options.env ?? process.env, envRefusal(options.envAllowlist))) {
    problems.push({ file, ...locator.at(node.range?.[0] ?? 0), path: pathText(keyPath), message })
  }
  let root: unknown
  try {
    root = doc.toJS()
  } catch (error) {
    report([], `cannot be read: ${(error as Error).message}`) // e.g. too many aliases
    return result()
  }
  if (root === null || root === undefined) {
    report([], 'the file is empty; a pipeline file starts with "version: 1"')
    return result()
  }
  if (typeof root !== 'object' || Array.isArray(root)) {
    report([], `a pipeline file is a map of ${Object.keys(pipelineSchema.shape).join(', ')}`)
    return result()
  }
  const raw = root as Record<string, unknown>

  let partsOk = true
  const check = <T>(schema: ZodType<T>, value: unknown, keyPath: KeyPath, knownKeys?: readonly string[]): T | undefined => {
    const parsed = schema.safeParse(value, { error: issueMessage })
    if (parsed.success) return parsed.data
    for (const issue of parsed.error.issues) {
      const at = [...keyPath, ...issue.path.map((part) => (typeof part === 'number' ? part : String(part)))]
      if (issue.code !== 'unrecognized_keys') report(at, issue.message)
      else for (const key of issue.keys) report([...at, key], unknownKeyMessage(key, at, issue.path.length === 0 ? knownKeys : undefined))
    }
    return undefined
  }
  const part = <T>(schema: ZodType<T>, key: string, knownKeys?: readonly string[]): T | undefined => {
    const before = problems.length
    const data = check(schema, raw[key], [key], knownKeys)
    if (problems.length > before) partsOk = false
    return data
  }
  const list = <T>(schema: ZodType<T>, section: string, knownKeys: readonly string[]): Array<T | undefined> => {
    const items = check(z.array(z.unknown()).nullish(), raw[section], [section])
    return (items ?? []).map((item, index) => check(schema, item, [section, index], knownKeys))
  }

  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(pipelineSchema.shape, key)) report([key], unknownKeyMessage(key, [], Object.keys(pipelineSchema.shape)))
  }
  part(versionSchema, 'version')
  const name = part(pipelineNameSchema, 'pipeline')
  const topicPart = part(topicSchema, 'topic', Object.keys(topicSchema.shape))
  const deadLetter = part(deadLetterSchema.optional(), 'dead_letter', Object.keys(deadLetterSchema.shape))
  const errors = part(errorsSchema.optional(), 'errors', Object.keys(errorsSchema.shape))
  const sources = list(sourceSchema, 'sources', Object.keys(sourceSchema.shape))
  const transforms = list(transformSchema, 'transforms', Object.keys(transformSchema.shape))
  const sinks = list(sinkSchema, 'sinks', Object.keys(sinkSchema.shape))

  checkReferences(raw, report)
  const parsedTransforms = new Map<string, { index: number; entry: TransformEntry }>()
  transforms.forEach((entry, index) => {
    if (entry !== undefined && !parsedTransforms.has(entry.id)) parsedTransforms.set(entry.id, { index, entry })
  })
  // A connector is built only from a valid entry whose transforms are all valid, so the runtime's
  // validator never sees a config made from a broken part.
  const entries: ConnectorEntry[] = []
  for (const [section, items] of [
    ['sources', sources],
    ['sinks', sinks],
  ] as const) {
    items.forEach((entry: SourceEntry | SinkEntry | undefined, index) => {
      if (entry?.transforms.every((id) => parsedTransforms.has(id))) entries.push({ section, index, entry })
    })
  }

  const topic = topicPart === undefined ? undefined : toTopicDefinition(topicPart, file, (keyPath) => locator.locate(keyPath), report)
  if (!partsOk || name === undefined || topicPart === undefined) return result({ name, topic })
  const parts: PipelineParts = { name, topicName: topicPart.name, deadLetter, errors, transforms: parsedTransforms }
  const connectors = entries.map((entry) => toConnectorDefinition(doc, locator, parts, entry, file, report, options.validate))
  return result({ name, topic, connectors })
}

function yamlMessage(message: string, line: string): string {
  const first = message.split('\n')[0] ?? message
  // `{ url: ${PG_URL} }` is not YAML: braces end a plain value inside { } and [ ].
  return /[[{].*\$\{/.test(line) ? `${first} (inside { } or [ ], quote a value holding \${…}: "\${VAR}")` : first
}

function unknownKeyMessage(key: string, at: KeyPath, knownKeys: readonly string[] | undefined): string {
  if (at.length === 1 && at[0] === 'topic' && Object.hasOwn(topicConfigSchema.shape, key))
    return `unknown key here: Kafka topic keys go under topic.config`
  if (knownKeys === undefined) return 'unknown key'
  const close = knownKeys
    .map((known) => ({ known, distance: editDistance(key, known) }))
    .filter(({ distance }) => distance <= Math.max(1, Math.floor(key.length / 3)))
    .sort((a, b) => a.distance - b.distance)[0]
  return close ? `unknown key (did you mean ${close.known}?)` : `unknown key (expected one of ${knownKeys.join(', ')})`
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

/** In file order, each once (a transform shared by two connectors is checked twice). */
function ordered(problems: readonly PipelineProblem[]): PipelineProblem[] {
  const seen = new Set<string>()
  return problems
    .filter((problem) => {
      const id = `${problem.line}:${problem.column}:${problem.path}:${problem.message}`
      if (seen.has(id)) return false
      seen.add(id)
      return true
    })
    .sort((a, b) => a.line - b.line || a.column - b.column)
}
