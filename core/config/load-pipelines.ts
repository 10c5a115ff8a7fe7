/**
 * Loads pipeline files into connector and topic definitions. Every problem from every file (YAML
 * syntax, unset variables, schema, plugin configs, duplicates within and across files, topics
 * declared twice with different settings) is collected with its file, line, column and key path,
 * and thrown together: a worker never runs half a config.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parsePipelineText } from './parse-pipeline-text.ts'
import { PipelineError, type PipelineProblem } from './pipeline-error.ts'
import type { ConnectorDefinition, LoadedPipelines, LoadOptions, TopicDefinition } from './pipeline-types.ts'
import type { PipelineTopic, TopicKeyOrigin } from './to-topic.ts'
import { pathText } from './yaml-locate.ts'

export { formatProblem, PipelineError, type PipelineProblem } from './pipeline-error.ts'
export { parsePipelineText, type ParsedPipeline } from './parse-pipeline-text.ts'
export type { ConnectorConfigValidator, ConnectorDefinition, LoadedPipelines, LoadOptions, TopicDefinition } from './pipeline-types.ts'

/** A directory loads every `*.yaml` / `*.yml` directly in it, in name order; a file loads itself. */
export async function loadPipelines(pathOrDir: string, options: LoadOptions = {}): Promise<LoadedPipelines> {
  const files = await listFiles(pathOrDir)
  const problems = new Map<string, PipelineProblem[]>(files.map((file) => [file, []]))
  const report = (problem: PipelineProblem) => problems.get(problem.file)?.push(problem)
  const connectors: ConnectorDefinition[] = []
  const pipelines = new Map<string, { file: string; line: number }>()
  const topics = new Map<string, MergedTopic>()

  for (const file of files) {
    let text: string
    try {
      text = await fs.promises.readFile(file, 'utf8')
    } catch (error) {
      report({ file, line: 1, column: 1, path: '', message: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` })
      continue
    }
    const parsed = parsePipelineText(text, file, options)
    parsed.problems.forEach(report)
    connectors.push(...parsed.connectors)
    if (parsed.name !== undefined) {
      const other = pipelines.get(parsed.name)
      if (other === undefined) pipelines.set(parsed.name, { file, line: parsed.namePosition.line })
      else
        report({
          file,
          ...parsed.namePosition,
          path: 'pipeline',
          message: `pipeline "${parsed.name}" is also defined in ${other.file}:${other.line}; pipeline names must be unique`,
        })
    }
    if (parsed.topic !== undefined) mergeTopic(topics, parsed.topic, report)
  }

  const all = [...problems.values()].flatMap((list) => list.sort((a, b) => a.line - b.line || a.column - b.column))
  if (all.length > 0) throw new PipelineError(all)
  return { files, connectors, topics: [...topics.values()].map(({ name, config, file, line }) => ({ name, config, file, line })) }
}

interface MergedTopic extends TopicDefinition {
  readonly origins: Map<string, TopicKeyOrigin & { readonly file: string }>
}

/**
 * Two pipelines may share a topic (one writes it, another reads it): the settings each declares are
 * merged, and a setting both declare with different values is a problem at the later one.
 */
function mergeTopic(topics: Map<string, MergedTopic>, topic: PipelineTopic, report: (problem: PipelineProblem) => void): void {
  const merged = topics.get(topic.name)
  if (merged === undefined) {
    const origins = new Map([...topic.origins].map(([key, origin]) => [key, { ...origin, file: topic.file }]))
    topics.set(topic.name, { name: topic.name, config: { ...topic.config }, file: topic.file, line: topic.line, origins })
    return
  }
  for (const [key, value] of Object.entries(topic.config)) {
    const origin = topic.origins.get(key)
    const earlier = merged.origins.get(key)
    const current = merged.config[key]
    if (current === undefined || origin === undefined) {
      merged.config[key] = value
      if (origin !== undefined) merged.origins.set(key, { ...origin, file: topic.file })
    } else if (String(current) !== String(value)) {
      const where = earlier === undefined ? merged.file : `${earlier.file}:${earlier.line}:${earlier.column} ${pathText(earlier.path)}`
      report({
        file: topic.file,
        line: origin.line,
        column: origin.column,
        path: pathText(origin.path),
        message: `topic ${topic.name} has ${key}=${value} here but ${key}=${current} in ${where}`,
      })
    }
  }
}

async function listFiles(pathOrDir: string): Promise<string[]> {
  const resolved = path.resolve(pathOrDir)
  const stat = await fs.promises.stat(resolved).catch(() => undefined) // missing or unreadable: reported on the next line
  if (stat === undefined) throw new PipelineError([{ file: resolved, line: 1, column: 1, path: '', message: 'no such file or directory' }])
  if (!stat.isDirectory()) return [resolved]
  const entries = await fs.promises.readdir(resolved, { withFileTypes: true })
  return (
    entries
      // Dot files are editor locks and backups, not pipelines.
      .filter((entry) => !entry.isDirectory() && !entry.name.startsWith('.') && /\.ya?ml$/.test(entry.name))
      .map((entry) => entry.name)
      .sort()
      .map((name) => path.join(resolved, name))
  )
}
