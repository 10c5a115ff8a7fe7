/**
 * Loads pipeline files into connector definitions. Every problem from every file (YAML syntax,
 * unset variables, schema, plugin configs, duplicates) is collected with its file, line, column and
 * key path, and thrown together: a worker never runs half a config.
 */
import fs from 'node:fs'
import path from 'node:path'
import { isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml'
import { formatProblem, PipelineError, type PipelineProblem } from './pipeline-error.ts'
import { interpolate } from './interpolate.ts'
import { pipelineSchema, type PipelineFile } from './pipeline-schema.ts'
import { toConnectorDefinitions } from './to-connectors.ts'

export { PipelineError, formatProblem, type PipelineProblem }

export interface ConnectorDefinition {
  readonly name: string
  readonly config: Record<string, string>
  readonly pipeline: string
  readonly file: string
  readonly line: number
}

export interface TopicDefinition {
  readonly name: string
  readonly config: Record<string, string | number>
  readonly file: string
  readonly line: number
}

export interface LoadedPipelines {
  readonly files: string[]
  readonly connectors: ConnectorDefinition[]
  readonly topics: TopicDefinition[]
}

export type ConnectorConfigValidator = (config: Readonly<Record<string, string>>) => ReadonlyArray<{ key: string; message: string }>

export interface LoadOptions {
  readonly env?: NodeJS.ProcessEnv
  readonly validate?: ConnectorConfigValidator
}

/** Where a key path sits in the file. */
export type Locate = (keyPath: ReadonlyArray<string | number>) => { line: number; column: number }

export function pathText(keyPath: ReadonlyArray<string | number>): string {
  return keyPath.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), '')
}

export function parsePipelineText(text: string, file: string, options: LoadOptions = {}): { pipeline?: PipelineFile; connectors: ConnectorDefinition[]; topic?: TopicDefinition; problems: PipelineProblem[] } {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const problems: PipelineProblem[] = doc.errors.map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0])
    return { file, line, column: col, path: '', message: error.message.split('\n')[0] ?? error.message }
  })
  if (problems.length > 0) return { connectors: [], problems }
  const locate: Locate = (keyPath) => locateNode(doc, lineCounter, keyPath)
  problems.push(...interpolateDocument(doc, options.env ?? process.env, file, lineCounter))
  const parsed = pipelineSchema.safeParse(doc.toJS() ?? {})
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const keyPath = issue.path.map((part) => (typeof part === 'number' ? part : String(part)))
      const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : []
      if (unknownKeys.length > 0) {
        for (const key of unknownKeys) problems.push({ file, ...locate([...keyPath, key]), path: pathText([...keyPath, key]), message: 'unknown key' })
      } else {
        problems.push({ file, ...locate(keyPath), path: pathText(keyPath), message: issue.message })
      }
    }
    return { connectors: [], problems }
  }
  const built = toConnectorDefinitions(parsed.data, file, locate, options.validate)
  problems.push(...built.problems)
  return { pipeline: parsed.data, connectors: built.connectors, topic: built.topic, problems }
}

export async function loadPipelines(pathOrDir: string, options: LoadOptions = {}): Promise<LoadedPipelines> {
  const files = listFiles(pathOrDir)
  const problems: PipelineProblem[] = []
  const connectors: ConnectorDefinition[] = []
  const topics = new Map<string, TopicDefinition>()
  const pipelines = new Map<string, string>()
  for (const file of files) {
    const result = parsePipelineText(await fs.promises.readFile(file, 'utf8'), file, options)
    problems.push(...result.problems)
    if (result.pipeline === undefined) continue
    const name = result.pipeline.pipeline
    const other = pipelines.get(name)
    if (other !== undefined) problems.push({ file, line: 1, column: 1, path: 'pipeline', message: `pipeline "${name}" is also defined in ${other}` })
    pipelines.set(name, file)
    connectors.push(...result.connectors)
    const topic = result.topic
    if (topic !== undefined) {
      const existing = topics.get(topic.name)
      if (existing !== undefined && JSON.stringify(existing.config) !== JSON.stringify(topic.config)) {
        problems.push({ file, line: topic.line, column: 1, path: 'topic', message: `topic ${topic.name} is also declared in ${existing.file}:${existing.line} with other settings` })
      }
      topics.set(topic.name, existing ?? topic)
    }
  }
  if (problems.length > 0) throw new PipelineError(problems)
  return { files, connectors, topics: [...topics.values()] }
}

function listFiles(pathOrDir: string): string[] {
  const resolved = path.resolve(pathOrDir)
  const stat = fs.statSync(resolved, { throwIfNoEntry: false })
  if (stat === undefined) throw new PipelineError([{ file: resolved, line: 1, column: 1, path: '', message: 'no such file or directory' }])
  if (!stat.isDirectory()) return [resolved]
  return fs.readdirSync(resolved).filter((name) => /\.ya?ml$/.test(name)).sort().map((name) => path.join(resolved, name))
}

function locateNode(doc: Document, lineCounter: LineCounter, keyPath: ReadonlyArray<string | number>): { line: number; column: number } {
  for (let depth = keyPath.length; depth >= 0; depth--) {
    const prefix = keyPath.slice(0, depth)
    // The key's own position reads better than its value's for a mapping entry.
    const parent = depth > 0 ? doc.getIn(prefix.slice(0, -1), true) : undefined
    const pair = parent !== undefined && typeof parent === 'object' && parent !== null && 'items' in parent
      ? (parent as { items: Array<{ key?: { value?: unknown; range?: [number, number, number] } }> }).items.find((item) => item.key?.value === prefix.at(-1))
      : undefined
    const range = pair?.key?.range ?? (doc.getIn(prefix, true) as { range?: [number, number, number] } | undefined)?.range
    if (range !== undefined) {
      const { line, col } = lineCounter.linePos(range[0])
      return { line, column: col }
    }
  }
  return { line: 1, column: 1 }
}

function interpolateDocument(doc: Document, env: NodeJS.ProcessEnv, file: string, lineCounter: LineCounter): PipelineProblem[] {
  const problems: PipelineProblem[] = []
  visit(doc, {
    Scalar(_key, node, ancestors) {
      if (!isScalar(node) || typeof node.value !== 'string' || !node.value.includes('$')) return
      const { value, missing } = interpolate(node.value, env)
      node.value = value
      const keyPath = ancestors.flatMap((ancestor) => ('key' in (ancestor as object) && isScalar((ancestor as { key: unknown }).key) ? [String(((ancestor as { key: { value: unknown } }).key).value)] : []))
      for (const name of missing) {
        const { line, col } = lineCounter.linePos(node.range?.[0] ?? 0)
        problems.push({ file, line, column: col, path: pathText(keyPath), message: `environment variable ${name} is not set and has no default (write \${${name}:-default})` })
      }
    },
  })
  return problems
}
