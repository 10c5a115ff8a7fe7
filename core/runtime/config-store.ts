/**
 * Connector configs and target states in `_tributary-configs` (its default name: storage-topics.ts), with Kafka Connect's keys:
 * `connector-<name>` → `{ properties }`, `target-state-<name>` → `{ state }`. Tributary adds
 * `pipeline-<name>` → `{ file }` for connectors a pipeline file owns, so a reload removes only those.
 */
import { z } from 'zod'
import type { Log } from '../log/log.ts'
import { CompactedStore, schemaProblem } from '../log/compacted-store.ts'
import type { ConnectorConfig } from './plugin.ts'

export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED'

export interface StoredConnector {
  readonly name: string
  readonly config: ConnectorConfig
  readonly targetState: TargetState
  /** The pipeline file that defines it, when one does. */
  readonly pipelineFile: string | undefined
}

type ConfigValue = { properties: Record<string, string> } | { state: TargetState } | { file: string }

/** The value each kind of key holds; a record of another key, or of another shape, is skipped. */
const VALUE_SHAPES: ReadonlyArray<readonly [string, z.ZodType]> = [
  ['connector-', z.object({ properties: z.record(z.string(), z.string()) })],
  ['target-state-', z.object({ state: z.enum(['STARTED', 'PAUSED', 'STOPPED']) })],
  ['pipeline-', z.object({ file: z.string() })],
]

function checkConfigRecord(key: string, value: unknown): string | undefined {
  const shape = VALUE_SHAPES.find(([prefix]) => key.startsWith(prefix))?.[1]
  if (shape === undefined) return `the key is none of ${VALUE_SHAPES.map(([prefix]) => `${prefix}<name>`).join(', ')}`
  return schemaProblem(shape, value)
}

export class ConfigStore {
  private readonly store: CompactedStore<ConfigValue>

  private constructor(store: CompactedStore<ConfigValue>) {
    this.store = store
  }

  static async open(log: Log, topic: string): Promise<ConfigStore> {
    return new ConfigStore(await CompactedStore.open<ConfigValue>(log, topic, { check: checkConfigRecord }))
  }

  /** Reads what other workers wrote since the last read; the changed keys. */
  catchUp(options: { maxWaitMs?: number; signal?: AbortSignal } = {}): Promise<string[]> {
    return this.store.catchUp(options)
  }

  connectors(): StoredConnector[] {
    const result: StoredConnector[] = []
    for (const [key, value] of this.store.entries()) {
      if (!key.startsWith('connector-') || !('properties' in value)) continue
      const name = key.slice('connector-'.length)
      result.push(this.describe(name, value.properties))
    }
    return result.sort((a, b) => a.name.localeCompare(b.name))
  }

  get(name: string): StoredConnector | undefined {
    const value = this.store.get(`connector-${name}`)
    return value !== undefined && 'properties' in value ? this.describe(name, value.properties) : undefined
  }

  private describe(name: string, properties: Record<string, string>): StoredConnector {
    const state = this.store.get(`target-state-${name}`)
    const pipeline = this.store.get(`pipeline-${name}`)
    return {
      name,
      config: properties,
      targetState: state !== undefined && 'state' in state ? state.state : 'STARTED',
      pipelineFile: pipeline !== undefined && 'file' in pipeline ? pipeline.file : undefined,
    }
  }

  /** Writes the config (and target state, and owner) of one connector in one durable append. */
  async put(
    name: string,
    config: ConnectorConfig,
    options: { targetState?: TargetState; pipelineFile?: string | null } = {},
  ): Promise<void> {
    const changes: Array<[string, ConfigValue | undefined]> = [[`connector-${name}`, { properties: { ...config } }]]
    if (options.targetState !== undefined) changes.push([`target-state-${name}`, { state: options.targetState }])
    if (options.pipelineFile === null) changes.push([`pipeline-${name}`, undefined])
    else if (options.pipelineFile !== undefined) changes.push([`pipeline-${name}`, { file: options.pipelineFile }])
    await this.store.write(changes)
  }

  setTargetState(name: string, state: TargetState): Promise<void> {
    return this.store.set(`target-state-${name}`, { state })
  }

  remove(name: string): Promise<void> {
    return this.store.write([
      [`connector-${name}`, undefined],
      [`target-state-${name}`, undefined],
      [`pipeline-${name}`, undefined],
    ])
  }
}
