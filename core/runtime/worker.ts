/**
 * The worker (Kafka Connect's Worker): hosts the connectors and tasks this process runs, and nothing
 * else. A herder (standalone-herder.ts, distributed-herder.ts) decides what runs here and keeps the
 * configs; the worker starts and stops runners as it is told, reports their statuses to the status
 * topic, and creates the topics they use.
 */
import { systemClock, type Clock } from '../clock.ts'
import { TributaryError, isTributaryError } from '../errors.ts'
import { isInternalTopic } from '../log/internal-topics.ts'
import type { Log } from '../log/log.ts'
import { createLogger, type Logger } from '../logger.ts'
import type { TargetState } from './config-store.ts'
import { ConnectorOffsets } from './connector-offsets.ts'
import { ConnectorRunner, type ConnectorStatusView } from './connector-runner.ts'
import { connectorSettingsSchema } from './connector-settings.ts'
import { IngressRegistry } from './ingress-registry.ts'
import { PluginCatalog } from './plugin-catalog.ts'
import type { ConnectorConfig, ConnectorPlugin } from './plugin.ts'
import type { RecordProcessing } from './record-processing.ts'
import { Sandbox } from './sandbox.ts'
import type { SourceOffsetStore } from './source-offset-store.ts'
import type { StatusStore, StatusValue } from './status-store.ts'
import { storageTopics, type StorageTopics } from './storage-topics.ts'
import { WorkerMetrics } from './task-metrics.ts'
import { errorTrace, unrecoverable } from './task-supervisor.ts'
import { validateConnectorConfig, type ConfigProblem, type ProcessingValidator } from './validate-connector.ts'

export interface WorkerOptions {
  readonly log: Log
  readonly plugins: readonly ConnectorPlugin[]
  readonly workerId: string
  readonly clock?: Clock
  readonly buildProcessing: (config: ConnectorConfig) => RecordProcessing
  readonly validateProcessing: ProcessingValidator
  /** The files and hosts connectors may use; default: files in the working directory only, any host. */
  readonly sandbox?: Sandbox
  /** Where configs, source offsets and states are kept; default: storageTopics(), `_tributary-configs`, … */
  readonly storageTopics?: StorageTopics
  /**
   * Kafka Connect's exactly.once.source.support: `enabled` writes each source batch and its offsets
   * in one transaction, where the log has transactions; so does a sink whose store is the log
   * (topic-sink) with each flush's output and its consumed offsets. Default enabled.
   */
  readonly exactlyOnceSourceSupport?: 'enabled' | 'disabled'
}

/** A connector's status; one whose config does not start is FAILED with no tasks. */
export type ConnectorStatus =
  | ConnectorStatusView
  | { name: string; connector: { state: 'FAILED'; worker_id: string; trace: string }; tasks: []; type: 'unknown' }

/** In a group, the part of a connector assigned to this worker: its connector role and some of its tasks. */
export interface ConnectorShare {
  readonly connector: boolean
  readonly tasks: ReadonlySet<number>
}

export class Worker {
  readonly log: Log
  readonly catalog: PluginCatalog
  readonly metrics = new WorkerMetrics()
  readonly ingress = new IngressRegistry()
  readonly sandbox: Sandbox
  readonly clock: Clock
  readonly logger: Logger = createLogger('worker')
  /** host:port of the REST API; a distributed herder sets it when it joins, once the port is bound. */
  workerId: string
  readonly offsets: ConnectorOffsets
  private readonly statuses: StatusStore
  private readonly sourceOffsets: SourceOffsetStore
  private readonly options: WorkerOptions
  private readonly runners = new Map<string, ConnectorRunner>()
  /** Connectors whose config no longer starts (a plugin was removed): shown FAILED. */
  private readonly broken = new Map<string, { config: ConnectorConfig; trace: string }>()
  private readonly knownTopics = new Set<string>()
  private readonly pendingStatus = new Set<Promise<void>>()

  constructor(options: WorkerOptions, stores: { statuses: StatusStore; offsets: SourceOffsetStore }) {
    this.options = options
    this.log = options.log
    this.workerId = options.workerId
    this.clock = options.clock ?? systemClock
    this.catalog = new PluginCatalog(options.plugins)
    this.sandbox = options.sandbox ?? new Sandbox({ files: { allowed: [process.cwd()] } })
    this.statuses = stores.statuses
    this.sourceOffsets = stores.offsets
    this.offsets = new ConnectorOffsets(options.log, stores.offsets)
  }

  validate(config: ConnectorConfig): { plugin: ConnectorPlugin | undefined; problems: ConfigProblem[] } {
    return validateConnectorConfig(this.catalog, this.options.validateProcessing, config, this.sandbox)
  }

  /** How many tasks a config splits into; 0 when it does not start. */
  taskCount(config: ConnectorConfig): number {
    const { plugin, problems } = this.validate(config)
    if (plugin === undefined || problems.length > 0) return 0
    const settings = connectorSettingsSchema.parse(config)
    return plugin.taskConfigs(plugin.config.parse(config), settings['tasks.max']).length
  }

  /** The connectors this worker hosts, running or broken, by name. */
  names(): string[] {
    return [...new Set([...this.runners.keys(), ...this.broken.keys()])].sort()
  }

  hosts(name: string): boolean {
    return this.runners.has(name) || this.broken.has(name)
  }

  runner(name: string): ConnectorRunner | undefined {
    return this.runners.get(name)
  }

  /** The config of a hosted connector that does not start; undefined for any other. */
  brokenConfig(name: string): ConnectorConfig | undefined {
    return this.broken.get(name)?.config
  }

  /** A hosted connector's status as this worker sees it; undefined when it hosts none of that name. */
  status(name: string): ConnectorStatus | undefined {
    const runner = this.runners.get(name)
    if (runner !== undefined) return runner.status()
    const broken = this.broken.get(name)
    return broken && { name, connector: { state: 'FAILED', worker_id: this.workerId, trace: broken.trace }, tasks: [], type: 'unknown' }
  }

  /** Whether a task of the connector that this worker runs is still starting (not yet RUNNING, PAUSED or FAILED). */
  startingTasks(name: string): boolean {
    const runner = this.runners.get(name)
    if (runner === undefined) return false
    const { connector, tasks } = runner.status()
    return (
      connector.state === 'RUNNING' &&
      tasks.some((task) => runner.runsTask(task.id) && (task.state === 'UNASSIGNED' || task.state === 'RESTARTING'))
    )
  }

  /** Starts a connector (in a group, the `share` of it assigned here); a config that does not start is kept as broken. */
  async launch(name: string, config: ConnectorConfig, target: TargetState, share?: ConnectorShare): Promise<void> {
    let runner: ConnectorRunner
    try {
      runner = new ConnectorRunner(name, config, this.catalog.get(config['connector.class'] ?? ''), {
        log: this.log,
        offsets: this.sourceOffsets,
        ingress: this.ingress,
        metrics: this.metrics,
        clock: this.clock,
        logger: this.logger,
        policy: this.sandbox,
        workerId: this.workerId,
        buildProcessing: this.options.buildProcessing,
        ensureTopic: (topic) => this.ensureConnectorTopic(name, topic, Number(config['topic.creation.default.partitions'] ?? 1) || 1),
        reportStatus: (connector, task, status) => this.reportStatus(connector, task, status),
        ...(share && { share }),
        ...(this.options.exactlyOnceSourceSupport !== 'disabled' &&
          this.log.transactionalProducer !== undefined && {
            exactlyOnce: { transactionalIdPrefix: (this.options.storageTopics ?? storageTopics()).prefix },
          }),
      })
    } catch (error) {
      this.logger.error({ err: error, connector: name }, 'stored connector config does not start')
      this.broken.set(name, { config, trace: errorTrace(error) })
      this.reportStatus(name, null, { state: 'FAILED', trace: errorTrace(error), worker_id: this.workerId, generation: 0 })
      return
    }
    this.runners.set(name, runner)
    await runner.start(target)
  }

  /** Stops a hosted connector (its tasks flush and commit) and forgets it; returns the runner it stopped. */
  async remove(name: string): Promise<ConnectorRunner | undefined> {
    const runner = this.runners.get(name)
    await runner?.shutdown()
    this.runners.delete(name)
    this.broken.delete(name)
    return runner
  }

  /** Stops every runner (each task flushes and commits) and waits for the status writes. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.shutdown()))
    this.runners.clear()
    await this.settleStatus()
  }

  /** Waits for the status writes made so far. */
  async settleStatus(): Promise<void> {
    await Promise.all([...this.pendingStatus])
  }

  /** Creates a topic on first use, as Kafka's auto topic creation would, with the connector's partition count. */
  async ensureTopic(topic: string, partitions = 1): Promise<void> {
    if (this.knownTopics.has(topic)) return
    try {
      await this.log.describeTopic(topic)
    } catch (error) {
      if (!isTributaryError(error, 'TRB_TOPIC_NOT_FOUND')) throw error
      await this.log.createTopic(topic, { partitions }).catch((createError: unknown) => {
        if (!isTributaryError(createError, 'TRB_TOPIC_EXISTS')) throw createError
      })
    }
    this.knownTopics.add(topic)
  }

  /** A topic a connector reads or writes: never one of the worker's internal topics. */
  private async ensureConnectorTopic(connector: string, topic: string, partitions: number): Promise<void> {
    if (isInternalTopic(topic)) {
      const refusal = new TributaryError(
        'TRB_TOPIC_AUTHORIZATION_FAILED',
        `${topic} is an internal topic of the worker (configs, offsets, states): connectors may not read or write it; name another topic`,
        { details: { topic } },
      )
      throw unrecoverable(`connector ${connector} may not use topic ${topic}: ${refusal.message}`, refusal)
    }
    await this.ensureTopic(topic, partitions)
  }

  private reportStatus(connector: string, task: number | null, status: StatusValue): void {
    const write = task === null ? this.statuses.putConnector(connector, status) : this.statuses.putTask(connector, task, status)
    const tracked = write
      .catch((error: unknown) => this.logger.warn({ err: error, connector, task }, 'status write failed'))
      .finally(() => this.pendingStatus.delete(tracked))
    this.pendingStatus.add(tracked)
  }
}
