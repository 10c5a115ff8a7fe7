/**
 * Turns one source or sink of a pipeline into a connector config: a flat string map, as Kafka
 * Connect has them, named `<pipeline>.<id>`. Every key remembers the YAML path it came from, so a
 * problem the runtime's validator reports on a flat key (`snapshot.mode`, `transforms.mask.fields`,
 * `connector.class`) is reported at the line the user wrote.
 */
import type { Document } from 'yaml'
import { flattenWith, type FlatConfig, type ReportProblem } from './flatten-with.ts'
import type { DeadLetterPart, ErrorsPart, SinkEntry, SourceEntry, TransformEntry } from './pipeline-schema.ts'
import type { ConnectorConfigValidator, ConnectorDefinition } from './pipeline-types.ts'
import { pathText, type KeyPath, type YamlLocator } from './yaml-locate.ts'

/** The parts of a pipeline every connector of it shares. */
export interface PipelineParts {
  readonly name: string
  readonly topicName: string
  readonly deadLetter: DeadLetterPart | undefined
  readonly errors: ErrorsPart | undefined
  readonly transforms: ReadonlyMap<string, { readonly index: number; readonly entry: TransformEntry }>
}

export interface ConnectorEntry {
  readonly section: 'sources' | 'sinks'
  readonly index: number
  readonly entry: SourceEntry | SinkEntry
}

export function toConnectorDefinition(
  doc: Document,
  locator: YamlLocator,
  parts: PipelineParts,
  { section, index, entry }: ConnectorEntry,
  file: string,
  problem: ReportProblem,
  validate?: ConnectorConfigValidator,
): ConnectorDefinition {
  const at: KeyPath = [section, index]
  const config: FlatConfig = new Map()
  const set = (key: string, value: string, path: KeyPath) => config.set(key, { value, path })
  // Written by hand in with:, a key the pipeline also sets would be silently overridden one way or
  // the other; say where it belongs instead.
  const merge = (flat: FlatConfig) => {
    for (const [key, value] of flat) {
      const generated = config.get(key)
      if (generated === undefined) config.set(key, value)
      else problem(value.path, `${key} is set by the pipeline from ${pathText(generated.path)}; set it there`)
    }
  }

  set('connector.class', entry.type, [...at, 'type'])
  set('tasks.max', String(entry.tasks ?? 1), [...at, 'tasks'])
  if (section === 'sources') set('topic', parts.topicName, ['topic', 'name'])
  else {
    set('topics', parts.topicName, ['topic', 'name'])
    if ('start' in entry && entry.start !== undefined) set('consumer.auto.offset.reset', entry.start, [...at, 'start'])
  }
  if (entry.transforms.length > 0) set('transforms', entry.transforms.join(','), [...at, 'transforms'])
  for (const transformId of new Set(entry.transforms)) {
    const transform = parts.transforms.get(transformId)
    if (transform === undefined) continue // reported where the chain is checked
    const base: KeyPath = ['transforms', transform.index]
    set(`transforms.${transformId}.type`, transform.entry.type, [...base, 'type'])
    merge(flattenWith(doc, locator.node([...base, 'with']), `transforms.${transformId}`, [...base, 'with'], problem))
  }
  if (parts.errors?.tolerance !== undefined) set('errors.tolerance', parts.errors.tolerance, ['errors', 'tolerance'])
  if (parts.errors?.retry_timeout !== undefined)
    set('errors.retry.timeout', String(parts.errors.retry_timeout), ['errors', 'retry_timeout'])
  if (parts.deadLetter !== undefined) {
    set('errors.tolerance', 'all', ['dead_letter'])
    set('errors.deadletterqueue.topic.name', parts.deadLetter.topic, ['dead_letter', 'topic'])
    set('errors.deadletterqueue.context.headers.enable', 'true', ['dead_letter'])
  }
  merge(flattenWith(doc, locator.node([...at, 'with']), '', [...at, 'with'], problem))

  const flat = Object.fromEntries([...config].map(([key, { value }]) => [key, value]))
  for (const found of validate?.(flat) ?? []) {
    problem(sourceOf(found.key, config, at, entry, parts), found.message)
  }
  return { name: `${parts.name}.${entry.id}`, config: flat, pipeline: parts.name, file, line: locator.locate(at).line }
}

/**
 * The YAML path a flat key came from. A key the file never wrote (a required one) is named where it
 * would go; locating that path lands on the nearest block that exists (`with:`, else the entry).
 */
function sourceOf(key: string, config: FlatConfig, at: KeyPath, entry: SourceEntry | SinkEntry, parts: PipelineParts): KeyPath {
  const written = config.get(key)
  if (written !== undefined) return written.path
  if (key === '' || key === '(config)') return at
  const transformKey = /^transforms\.([^.]+)\.(.+)$/.exec(key)
  const transform =
    transformKey?.[1] !== undefined && entry.transforms.includes(transformKey[1]) ? parts.transforms.get(transformKey[1]) : undefined
  if (transform !== undefined && transformKey?.[2] !== undefined) return ['transforms', transform.index, 'with', transformKey[2]]
  return [...at, 'with', key]
}
