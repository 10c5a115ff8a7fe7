/**
 * The herder of a worker that runs alone (Kafka Connect's StandaloneHerder): every stored connector
 * runs here, so the worker's runners are the truth about what exists, and each change is applied
 * to them directly, right after it is stored.
 */
import type { ConfigStore, TargetState } from './config-store.ts'
import type { OffsetEntry } from './connector-offsets.ts'
import type { ConnectorRunner } from './connector-runner.ts'
import { AbstractHerder, MUST_STOP, runnerInfo } from './abstract-herder.ts'
import type { ConnectorInfo, ConnectorStatus } from './herder.ts'
import type { ConnectorConfig } from './plugin.ts'
import type { StatusStore } from './status-store.ts'
import type { Worker } from './worker.ts'
import { notFound, stateError, taskNotFound } from './worker-errors.ts'

export class StandaloneHerder extends AbstractHerder {
  private readonly statuses: StatusStore

  constructor(worker: Worker, stores: { configs: ConfigStore; statuses: StatusStore }) {
    super(worker, stores.configs)
    this.statuses = stores.statuses
  }

  /** Starts every stored connector in its stored target state. */
  async start(): Promise<void> {
    for (const stored of this.configs.connectors()) await this.worker.launch(stored.name, stored.config, stored.targetState)
  }

  connectorNames(): string[] {
    return this.worker.names()
  }

  has(name: string): boolean {
    return this.worker.hosts(name)
  }

  config(name: string): ConnectorConfig {
    return this.worker.runner(name)?.config ?? this.worker.brokenConfig(name) ?? notFound(name)
  }

  info(name: string): ConnectorInfo {
    const runner = this.worker.runner(name)
    return runner === undefined ? { name, config: this.config(name), tasks: [], type: 'unknown' } : runnerInfo(runner)
  }

  status(name: string): ConnectorStatus {
    return this.worker.status(name) ?? notFound(name)
  }

  runner(name: string): ConnectorRunner {
    return this.hostedRunner(name)
  }

  delete(name: string): Promise<void> {
    return this.change(async () => {
      if (!this.worker.hosts(name)) notFound(name)
      const runner = await this.worker.remove(name)
      await this.configs.remove(name)
      if (runner !== undefined) await this.deleted(name, runner.plugin, runner.config)
      await this.worker.settleStatus()
      await this.statuses.remove(
        name,
        Array.from({ length: runner?.taskCount ?? 0 }, (_, id) => id),
      )
    })
  }

  pause(name: string): Promise<void> {
    return this.toTarget(name, 'PAUSED', async (runner) => runner.pause())
  }

  resume(name: string): Promise<void> {
    return this.toTarget(name, 'STARTED', (runner) => runner.resume())
  }

  stop(name: string): Promise<void> {
    return this.toTarget(name, 'STOPPED', (runner) => runner.stop())
  }

  restart(name: string, options: { includeTasks: boolean; onlyFailed: boolean }): Promise<void> {
    return this.change(() => this.restartHosted(name, options))
  }

  restartTask(name: string, id: number): Promise<void> {
    return this.change(async () => {
      const runner = this.runner(name)
      if (!runner.hasTask(id)) taskNotFound(name, id)
      await runner.restartTask(id)
    })
  }

  workersElsewhere(): string[] {
    return []
  }

  async listOffsets(name: string): Promise<OffsetEntry[]> {
    return this.worker.offsets.list(name, this.runner(name).type)
  }

  registryWriter(): 'local' {
    return 'local'
  }

  async close(): Promise<void> {
    await this.change(() => this.worker.stopAll())
  }

  protected async apply(
    name: string,
    config: ConnectorConfig,
    target: TargetState,
    pipelineFile: string | null | undefined,
  ): Promise<void> {
    await this.worker.remove(name)
    await this.configs.put(name, config, { targetState: target, ...(pipelineFile !== undefined && { pipelineFile }) })
    await this.worker.launch(name, config, target)
  }

  protected stoppedType(name: string): 'source' | 'sink' {
    const runner = this.runner(name)
    if (this.targetState(name) !== 'STOPPED') stateError(name, MUST_STOP)
    return runner.type
  }

  /** Stores a new target state and applies it to the running connector. */
  private toTarget(name: string, target: TargetState, apply: (runner: ConnectorRunner) => Promise<void>): Promise<void> {
    return this.change(async () => {
      const runner = this.runner(name)
      await this.configs.setTargetState(name, target)
      await apply(runner)
    })
  }
}
