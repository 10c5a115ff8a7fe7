/**
 * The herder (Kafka Connect's Herder): what the REST API, the CLI and pipeline files ask to create,
 * change, inspect or remove connectors. It keeps the configs and decides what the worker runs:
 * alone, every stored connector (standalone-herder.ts); in a group, the share the group assigns
 * (distributed-herder.ts). Both answer the same questions, so callers never ask which mode they are in.
 */
import type { Log } from '../log/log.ts'
import type { TargetState } from './config-store.ts'
import type { OffsetEntry } from './connector-offsets.ts'
import type { ConnectorRunner } from './connector-runner.ts'
import type { PluginCatalog } from './plugin-catalog.ts'
import type { ConnectorConfig, ConnectorPlugin } from './plugin.ts'
import type { ConnectorState } from './status-store.ts'
import type { ConfigProblem } from './validate-connector.ts'
import type { ConnectorStatus, Worker } from './worker.ts'

export type { ConnectorStatus }

export interface ConnectorInfo {
  readonly name: string
  readonly config: ConnectorConfig
  readonly tasks: Array<{ connector: string; task: number }>
  readonly type: 'source' | 'sink' | 'unknown'
}

export interface CreateOptions {
  readonly initialState?: TargetState
  /** The pipeline file that owns this connector; null takes ownership away. */
  readonly pipelineFile?: string | null
}

/** Which parts of a connector a request is about: its connector role, all, none or some of its tasks, in a state. */
export interface WorkScope {
  readonly connector: boolean
  readonly tasks: boolean | readonly number[]
  readonly state?: ConnectorState
}

export interface Herder {
  /** The worker that runs what this herder assigns it. */
  readonly worker: Worker
  readonly log: Log
  readonly catalog: PluginCatalog
  connectorNames(): string[]
  has(name: string): boolean
  config(name: string): ConnectorConfig
  /** Which pipeline file owns a connector, if any. */
  pipelineFile(name: string): string | undefined
  info(name: string): ConnectorInfo
  status(name: string): ConnectorStatus
  targetState(name: string): TargetState
  validate(config: ConnectorConfig): { plugin: ConnectorPlugin | undefined; problems: ConfigProblem[] }
  /** The runner of a connector this worker runs; refuses one it does not. */
  runner(name: string): ConnectorRunner
  create(name: string, config: ConnectorConfig, options?: CreateOptions): Promise<ConnectorInfo>
  /** Creates or replaces a connector's config; an unchanged config changes nothing. */
  putConfig(name: string, config: ConnectorConfig, options?: CreateOptions): Promise<{ created: boolean; info: ConnectorInfo }>
  delete(name: string): Promise<void>
  pause(name: string): Promise<void>
  resume(name: string): Promise<void>
  stop(name: string): Promise<void>
  /**
   * Kafka Connect's restart: the connector, and with includeTasks its (failed) tasks too. In a group
   * it restarts what this worker runs of the connector; the REST API asks the others for the rest.
   */
  restart(name: string, options: { includeTasks: boolean; onlyFailed: boolean }): Promise<void>
  restartTask(name: string, id: number): Promise<void>
  /** The other workers of the group that run the parts of a connector `scope` picks; none when alone. */
  workersElsewhere(name: string, scope: WorkScope): string[]
  listOffsets(name: string): Promise<OffsetEntry[]>
  /** Offsets may change only while the connector is STOPPED, so no task races the edit. */
  alterOffsets(name: string, entries: readonly OffsetEntry[]): Promise<void>
  resetOffsets(name: string): Promise<void>
  /**
   * Where schema registry writes go: `local` when this worker is alone or is the group's writer, the
   * writer's URL otherwise, undefined while the group has not named one.
   */
  registryWriter(ownUrl: string | undefined): 'local' | string | undefined
  /** Stops every task (each flushes and commits) and waits for the status writes. */
  close(): Promise<void>
}
