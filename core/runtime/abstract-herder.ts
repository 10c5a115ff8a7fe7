/**
 * What both herders do alike (Kafka Connect's AbstractHerder): validate a config before it is
 * stored, create and replace connectors, edit a stopped connector's offsets, and run every change
 * through one lane, so concurrent requests never interleave a stop and a start. Where the modes
 * differ (which connectors exist, where one runs, how a change reaches it) is left to each herder.
 */
import { TributaryError } from '../errors.ts'
import type { Log } from '../log/log.ts'
import type { ConfigStore, TargetState } from './config-store.ts'
import type { OffsetEntry } from './connector-offsets.ts'
import type { ConnectorRunner } from './connector-runner.ts'
import type { ConnectorInfo, ConnectorStatus, CreateOptions, Herder, WorkScope } from './herder.ts'
import type { PluginCatalog } from './plugin-catalog.ts'
import type { ConnectorConfig, ConnectorPlugin } from './plugin.ts'
import type { ConfigProblem } from './validate-connector.ts'
import type { Worker } from './worker.ts'
import { notFound, stateError } from './worker-errors.ts'

// biome-ignore lint/suspicious/noControlCharactersInRegex: a connector name may not hold control characters; this regex refuses them
const NAME_RULE = /^[^/\\\x00-\x1f]{1,249}$/

export const MUST_STOP = 'Connectors must be in the STOPPED state before their offsets can be modified; PUT /connectors/{name}/stop first'
export const DOES_NOT_START = 'its config does not start; fix it with PUT /connectors/{name}/config'

export abstract class AbstractHerder implements Herder {
  readonly worker: Worker
  protected readonly configs: ConfigStore
  /** Serialises changes to connectors so concurrent requests never interleave a stop and a start. */
  private changeChain: Promise<unknown> = Promise.resolve()

  constructor(worker: Worker, configs: ConfigStore) {
    this.worker = worker
    this.configs = configs
  }

  get log(): Log {
    return this.worker.log
  }

  get catalog(): PluginCatalog {
    return this.worker.catalog
  }

  abstract connectorNames(): string[]
  abstract has(name: string): boolean
  abstract config(name: string): ConnectorConfig
  abstract info(name: string): ConnectorInfo
  abstract status(name: string): ConnectorStatus
  abstract runner(name: string): ConnectorRunner
  abstract delete(name: string): Promise<void>
  abstract pause(name: string): Promise<void>
  abstract resume(name: string): Promise<void>
  abstract stop(name: string): Promise<void>
  abstract restart(name: string, options: { includeTasks: boolean; onlyFailed: boolean }): Promise<void>
  abstract restartTask(name: string, id: number): Promise<void>
  abstract workersElsewhere(name: string, scope: WorkScope): string[]
  abstract listOffsets(name: string): Promise<OffsetEntry[]>
  abstract registryWriter(ownUrl: string | undefined): 'local' | string | undefined
  abstract close(): Promise<void>
  /** Stores a valid config and, where this herder runs it, (re)starts it in `target`. */
  protected abstract apply(
    name: string,
    config: ConnectorConfig,
    target: TargetState,
    pipelineFile: string | null | undefined,
  ): Promise<void>
  /** A stopped connector's kind: refuses one that is not stopped, so no task races an offsets edit. */
  protected abstract stoppedType(name: string): 'source' | 'sink'

  pipelineFile(name: string): string | undefined {
    return this.configs.get(name)?.pipelineFile
  }

  targetState(name: string): TargetState {
    return this.configs.get(name)?.targetState ?? notFound(name)
  }

  validate(config: ConnectorConfig): { plugin: ConnectorPlugin | undefined; problems: ConfigProblem[] } {
    return this.worker.validate(config)
  }

  create(name: string, config: ConnectorConfig, options: CreateOptions = {}): Promise<ConnectorInfo> {
    return this.change(async () => {
      if (this.has(name)) throw new TributaryError('TRB_CONNECTOR_EXISTS', `Connector ${name} already exists`, { details: { name } })
      await this.install(name, config, options.initialState ?? 'STARTED', options.pipelineFile, true)
      return this.info(name)
    })
  }

  putConfig(name: string, config: ConnectorConfig, options: CreateOptions = {}): Promise<{ created: boolean; info: ConnectorInfo }> {
    return this.change(async () => {
      const created = !this.has(name)
      const stored = this.configs.get(name)
      if (
        !created &&
        sameConfig(this.config(name), config) &&
        (options.pipelineFile === undefined || (options.pipelineFile ?? undefined) === stored?.pipelineFile)
      ) {
        return { created, info: this.info(name) }
      }
      await this.install(
        name,
        config,
        created ? (options.initialState ?? 'STARTED') : (stored?.targetState ?? 'STARTED'),
        options.pipelineFile,
        created,
      )
      return { created, info: this.info(name) }
    })
  }

  alterOffsets(name: string, entries: readonly OffsetEntry[]): Promise<void> {
    return this.change(async () => this.worker.offsets.alter(name, this.stoppedType(name), entries))
  }

  resetOffsets(name: string): Promise<void> {
    return this.change(async () => this.worker.offsets.reset(name, this.stoppedType(name)))
  }

  /** Runs `operation` after every change asked for before it has settled. */
  protected change<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.changeChain.then(operation)
    this.changeChain = next.catch(() => undefined) // the caller gets the error through `next`; the chain goes on
    return next
  }

  /** The runner of a connector this worker hosts; refuses a broken or unknown one. */
  protected hostedRunner(name: string): ConnectorRunner {
    return this.worker.runner(name) ?? (this.worker.brokenConfig(name) !== undefined ? stateError(name, DOES_NOT_START) : notFound(name))
  }

  /** A hosted connector's restart: a broken one is started again from its config, a running one restarts its tasks. */
  protected async restartHosted(name: string, options: { includeTasks: boolean; onlyFailed: boolean }): Promise<void> {
    const brokenConfig = this.worker.brokenConfig(name)
    if (brokenConfig !== undefined) {
      await this.worker.remove(name)
      await this.worker.launch(name, brokenConfig, this.configs.get(name)?.targetState ?? 'STARTED')
      return
    }
    const runner = this.runner(name)
    if (options.includeTasks) await runner.restartTasks(options.onlyFailed)
  }

  /** Runs the plugin's onDeleted hook; a failing hook is logged, the connector is gone anyway. */
  protected async deleted(name: string, plugin: ConnectorPlugin | undefined, config: ConnectorConfig): Promise<void> {
    await plugin
      ?.onDeleted?.(plugin.config.parse(config))
      ?.catch((error: unknown) => this.worker.logger.warn({ err: error, connector: name }, 'onDeleted hook failed'))
  }

  private async install(
    name: string,
    config: ConnectorConfig,
    target: TargetState,
    pipelineFile: string | null | undefined,
    created: boolean,
  ): Promise<void> {
    if (!NAME_RULE.test(name))
      throw new TributaryError(
        'TRB_CONNECTOR_CONFIG_INVALID',
        `connector name "${name}" must be 1 to 249 characters without "/", "\\" or control characters`,
        { details: { name } },
      )
    const { plugin, problems } = this.validate(config)
    if (plugin === undefined || problems.length > 0) {
      // A file or host outside the sandbox is answered with its own code, so callers can tell a refusal from a typo.
      const code = problems.find((p) => p.code !== undefined)?.code ?? 'TRB_CONNECTOR_CONFIG_INVALID'
      throw new TributaryError(
        code,
        `Connector configuration is invalid and contains the following ${problems.length} error(s):\n${problems.map((p) => `${p.key}: ${p.message}`).join('\n')}`,
        {
          details: { name, problems },
        },
      )
    }
    if (created) await plugin.onCreated?.(plugin.config.parse(config))
    await this.apply(name, config, target, pipelineFile)
  }
}

/** A runner's view of its connector. */
export function runnerInfo(runner: ConnectorRunner): ConnectorInfo {
  return { name: runner.name, config: runner.config, tasks: taskIds(runner.name, runner.taskCount), type: runner.type }
}

export function taskIds(connector: string, count: number): Array<{ connector: string; task: number }> {
  return Array.from({ length: count }, (_, task) => ({ connector, task }))
}

function sameConfig(a: ConnectorConfig, b: ConnectorConfig): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key])
}
