/**
 * Turns a parsed pipeline into connector configs (flat string maps, as Kafka Connect has them) named
 * `<pipeline>.<id>`, and maps each problem a plugin reports on a flat key back to the YAML node it
 * came from, so `snapshot.mode` is reported at `sources[0].with.snapshot.mode`.
 */
import type { ConnectorConfigValidator, ConnectorDefinition, Locate, TopicDefinition } from './load-pipelines.ts'
import { pathText } from './load-pipelines.ts'
import type { PipelineProblem } from './pipeline-error.ts'
import type { PipelineFile } from './pipeline-schema.ts'

type KeyPath = Array<string | number>

/** Flattens `with:` into dotted keys; lists of scalars become comma-joined strings. */
export function flatten(data: Record<string, unknown>, prefix: string, keyPath: KeyPath, into: Map<string, { value: string; keyPath: KeyPath }>): void {
  for (const [key, value] of Object.entries(data)) {
    const flatKey = prefix ? `${prefix}.${key}` : key
    const at = [...keyPath, key]
    if (value === null || value === undefined) continue
    if (Array.isArray(value)) into.set(flatKey, { value: value.map((item) => (typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item))).join(','), keyPath: at })
    else if (typeof value === 'object') flatten(value as Record<string, unknown>, flatKey, at, into)
    else into.set(flatKey, { value: String(value), keyPath: at })
  }
}

export function toConnectorDefinitions(pipeline: PipelineFile, file: string, locate: Locate, validate?: ConnectorConfigValidator): { connectors: ConnectorDefinition[]; topic: TopicDefinition; problems: PipelineProblem[] } {
  const problems: PipelineProblem[] = []
  const problem = (keyPath: KeyPath, message: string) => problems.push({ file, ...locate(keyPath), path: pathText(keyPath), message })
  const transformIndex = new Map<string, number>()
  pipeline.transforms.forEach((transform, index) => {
    if (transformIndex.has(transform.id)) problem(['transforms', index, 'id'], `transform id "${transform.id}" is used twice`)
    transformIndex.set(transform.id, index)
  })
  const topic: TopicDefinition = {
    name: pipeline.topic.name,
    file,
    line: locate(['topic']).line,
    config: {
      ...pipeline.topic.config,
      ...(pipeline.topic.partitions !== undefined && { partitions: pipeline.topic.partitions }),
      ...(pipeline.topic.retention !== undefined && { 'retention.ms': pipeline.topic.retention }),
      ...(pipeline.topic.retention_bytes !== undefined && { 'retention.bytes': pipeline.topic.retention_bytes }),
      ...(pipeline.topic.durability !== undefined && { durability: pipeline.topic.durability }),
    },
  }
  const ids = new Set<string>()
  const connectors: ConnectorDefinition[] = []
  for (const section of ['sources', 'sinks'] as const) {
    pipeline[section].forEach((entry, index) => {
      const at: KeyPath = [section, index]
      if (ids.has(entry.id)) problem([...at, 'id'], `id "${entry.id}" is used twice in pipeline ${pipeline.pipeline}`)
      ids.add(entry.id)
      const flat = new Map<string, { value: string; keyPath: KeyPath }>()
      flatten(entry.with ?? {}, '', [...at, 'with'], flat)
      const set = (key: string, value: string, keyPath: KeyPath) => flat.set(key, { value, keyPath })
      set('connector.class', entry.type, [...at, 'type'])
      set('tasks.max', String(entry.tasks ?? 1), [...at, entry.tasks === undefined ? 'type' : 'tasks'])
      if (section === 'sources') set('topic', pipeline.topic.name, ['topic', 'name'])
      else {
        set('topics', pipeline.topic.name, ['topic', 'name'])
        if ('start' in entry && entry.start !== undefined) set('consumer.auto.offset.reset', String(entry.start), [...at, 'start'])
      }
      const chain = entry.transforms ?? []
      if (chain.length > 0) set('transforms', chain.join(','), [...at, 'transforms'])
      chain.forEach((transformId, position) => {
        const index = transformIndex.get(transformId)
        if (index === undefined) {
          problem([...at, 'transforms', position], `no transform with id "${transformId}" in transforms`)
          return
        }
        const transform = pipeline.transforms[index]
        if (transform === undefined) return
        set(`transforms.${transformId}.type`, transform.type, ['transforms', index, 'type'])
        const props = new Map<string, { value: string; keyPath: KeyPath }>()
        flatten(transform.with ?? {}, '', ['transforms', index, 'with'], props)
        for (const [key, prop] of props) flat.set(`transforms.${transformId}.${key}`, prop)
      })
      if (pipeline.errors?.tolerance !== undefined) set('errors.tolerance', pipeline.errors.tolerance, ['errors', 'tolerance'])
      if (pipeline.errors?.retry_timeout !== undefined) set('errors.retry.timeout', String(pipeline.errors.retry_timeout), ['errors', 'retry_timeout'])
      if (pipeline.dead_letter !== undefined) {
        set('errors.tolerance', 'all', ['dead_letter'])
        set('errors.deadletterqueue.topic.name', pipeline.dead_letter.topic, ['dead_letter', 'topic'])
        set('errors.deadletterqueue.context.headers.enable', 'true', ['dead_letter'])
      }
      const config = Object.fromEntries([...flat].map(([key, { value }]) => [key, value]))
      for (const found of validate?.(config) ?? []) {
        const unknownTransform = /^transforms\.([^.]+)\./.exec(found.key)?.[1]
        if (unknownTransform !== undefined && !transformIndex.has(unknownTransform)) continue // reported above
        const known = flat.get(found.key)
        if (known !== undefined) problem(known.keyPath, found.message)
        else {
          // A key the file never set (a required one): name it under `with`, point at the block.
          const withPath: KeyPath = [...at, 'with']
          problems.push({ file, ...locate(entry.with === undefined ? at : withPath), path: pathText([...withPath, found.key]), message: found.message })
        }
      }
      connectors.push({ name: `${pipeline.pipeline}.${entry.id}`, config, pipeline: pipeline.pipeline, file, line: locate(at).line })
    })
  }
  return { connectors, topic, problems }
}
