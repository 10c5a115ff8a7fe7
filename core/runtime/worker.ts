/**
 * The worker: hosts connectors, keeps their configs, target states, statuses and offsets in the
 * internal compacted topics, and rebuilds everything from those topics alone when it restarts. The
 * REST API, the CLI and pipeline files all act through this class, so connectors made any of those
 * ways behave alike.
 */
import { systemClock, type Clock } from '../clock.ts'
import { TributaryError, isTributaryError } from '../errors.ts'
import type { Log } from '../log/log.ts'
import { createLogger, type Logger } from '../logger.ts'
import { ConfigStore, type TargetState } from './config-store.ts'
import { ConnectorRunner, type ConnectorStatusView } from './connector-runner.ts'
import { ConnectorOffsets, type OffsetEntry } from './connector-offsets.ts'
import { IngressRegistry } from './ingress-registry.ts'
import { PluginCatalog } from './plugin-catalog.ts'
import type { ConnectorConfig, ConnectorPlugin } from './plugin.ts'
import type { RecordProcessing } from './record-processing.ts'
import { SourceOffsetStore } from './source-offset-store.ts'
import { StatusStore, type StatusValue } from './status-store.ts'
import { storageTopics, type StorageTopics } from './storage-topics.ts'
import { WorkerMetrics } from './task-metrics.ts'
import { errorTrace, unrecoverable } from './task-supervisor.ts'
import { connectorSettingsSchema } from './connector-settings.ts'
import { DistributedWorker, type ConnectorShare, type WorkScope } from './distributed-worker.ts'
import { notAssigned, notFound, stateError, taskNotFound } from './worker-errors.ts'
import type { WorkerGroupSettings } from './worker-group.ts'
import { validateConnectorConfig, type ConfigProblem, type ProcessingValidator } from './validate-connector.ts'
import { Sandbox } from './sandbox.ts'
import { isInternalTopic } from '../log/internal-topics.ts'

export interface WorkerOptions {
  readonly log: Log
  readonly plugins: readonly ConnectorPlugin[]
  readonly workerId: string
  readonly clock?: Clock
  readonly buildProcessing: (config: ConnectorConfig) => RecordProcessing
  readonly validateProcessing: ProcessingValidator
  /**
   * Distributed mode: the worker runs only what its group assigns it (joinGroup, once its id is
   * known). Absent: it runs every stored connector, alone.
   */
  readonly group?: WorkerGroupSettings
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

const NAME_RULE = /^[^/\\\x00-\x1f]{1,249}$/

export class Worker {
  readonly log: Log
  readonly catalog: PluginCatalog
  readonly metrics = new WorkerMetrics()
  readonly ingress = new IngressRegistry()
  readonly sandbox: Sandbox
  /** host:port of the REST API; set by joinGroup in distributed mode, once the port is bound. */
  workerId: string
  readonly offsets: ConnectorOffsets
  private readonly clock: Clock
  private readonly logger: Logger = createLogger('worker')
  private readonly configs: ConfigStore
  private readonly statuses: StatusStore
  private readonly sourceOffsets: SourceOffsetStore
  private readonly options: WorkerOptions
  private readonly runners = new Map<string, ConnectorRunner>()
  /** Stored connectors whose config no longer starts (a plugin was removed): shown FAILED. */
  private readonly broken = new Map<string, { config: ConnectorConfig; trace: string }>()
  private readonly knownTopics = new Set<string>()
  private readonly pendingStatus = new Set<Promise<void>>()
  /** Serialises changes to connectors so concurrent requests never interleave a stop and a start. */
  private changeChain: Promise<unknown> = Promise.resolve()
  private distributed: DistributedWorker | undefined

  private constructor(options: WorkerOptions, stores: { configs: ConfigStore; statuses: StatusStore; offsets: SourceOffsetStore }) {
    this.options = options
    this.log = options.log
    this.workerId = options.workerId
    this.clock = options.clock ?? systemClock
    this.catalog = new PluginCatalog(options.plugins)
    this.sandbox = options.sandbox ?? new Sandbox({ files: { allowed: [process.cwd()] } })
    this.configs = stores.configs
    this.statuses = stores.statuses
    this.sourceOffsets = stores.offsets
    this.offsets = new ConnectorOffsets(options.log, stores.offsets)
  }

  /** Opens the internal topics and starts every stored connector in its stored target state. */
  static async start(options: WorkerOptions): Promise<Worker> {
    const topics = options.storageTopics ?? storageTopics()
    const [configs, statuses, offsets] = await Promise.all([ConfigStore.open(options.log, topics.configs), StatusStore.open(options.log, topics.status), SourceOffsetStore.open(options.log, topics.offsets)])
    const worker = new Worker(options, { configs, statuses, offsets })
    if (options.group !== undefined) return worker // joinGroup starts what the group assigns
    for (const stored of configs.connectors()) await worker.launch(stored.name, stored.config, stored.targetState)
    return worker
  }

  /**
   * Distributed mode: joins the group under `workerId` and runs what it is assigned from then on;
   * `registryUrl`, the schema registry this worker serves, may become the group's registry writer.
   */
  async joinGroup(workerId: string, registryUrl?: string): Promise<void> {
    const settings = this.options.group
    const membership = await this.log.groupMembership?.()
    if (settings === undefined || membership === undefined) throw new TributaryError('TRB_CONFIG_INVALID', 'this worker has no group settings, or its log has no group coordinator')
    this.workerId = workerId
    this.distributed = new DistributedWorker({
      settings, membership, workerId, ...(registryUrl !== undefined && { registryUrl }), clock: this.clock, logger: this.logger,
      stores: { configs: this.configs, statuses: this.statuses, offsets: this.sourceOffsets },
      taskCount: (config) => this.taskCount(config),
      change: (operation) => this.change(operation),
      runners: this.runners,
      launch: (name, config, target, share) => this.launch(name, config, target, share),
      settleStatus: () => this.settleStatus(),
    })
    await this.distributed.start()
  }

  /**
   * Where schema registry writes go: `local` when this worker is alone or is the group's writer, the
   * writer's URL otherwise, undefined while the group has not named one.
   */
  registryWriter(ownUrl: string | undefined): 'local' | string | undefined {
    if (this.distributed === undefined) return 'local'
    const writer = this.distributed.registryWriter
    return writer !== undefined && writer === ownUrl ? 'local' : writer
  }

  /** How many tasks a stored config splits into; 0 when it does not start. */
  private taskCount(config: ConnectorConfig): number {
    const { plugin, problems } = this.validate(config)
    if (plugin === undefined || problems.length > 0) return 0
    const settings = connectorSettingsSchema.parse(config)
    return plugin.taskConfigs(plugin.config.parse(config), settings['tasks.max']).length
  }

  connectorNames(): string[] {
    if (this.distributed) return this.configs.connectors().map((c) => c.name)
    return [...new Set([...this.runners.keys(), ...this.broken.keys()])].sort()
  }

  has(name: string): boolean {
    if (this.distributed) return this.configs.get(name) !== undefined
    return this.runners.has(name) || this.broken.has(name)
  }

  config(name: string): ConnectorConfig {
    if (this.distributed) return this.configs.get(name)?.config ?? notFound(name)
    return this.runners.get(name)?.config ?? this.broken.get(name)?.config ?? notFound(name)
  }

  /** Which pipeline file owns a connector, if any. */
  pipelineFile(name: string): string | undefined {
    return this.configs.get(name)?.pipelineFile
  }

  info(name: string): ConnectorInfo {
    const runner = this.runners.get(name)
    if (this.distributed && runner === undefined) {
      const config = this.config(name)
      const plugin = this.catalog.get(config['connector.class'] ?? '')
      return { name, config, tasks: Array.from({ length: this.taskCount(config) }, (_, task) => ({ connector: name, task })), type: plugin?.kind ?? 'unknown' }
    }
    if (runner === undefined) return { name, config: this.config(name), tasks: [], type: 'unknown' }
    return { name, config: runner.config, tasks: Array.from({ length: runner.taskCount }, (_, task) => ({ connector: name, task })), type: runner.type }
  }

  status(name: string): ConnectorStatusView | { name: string; connector: { state: 'FAILED'; worker_id: string; trace: string }; tasks: []; type: 'unknown' } {
    if (this.distributed) return this.distributed.status(name, this.info(name))
    const runner = this.runners.get(name)
    if (runner !== undefined) return runner.status()
    const broken = this.broken.get(name) ?? notFound(name)
    return { name, connector: { state: 'FAILED', worker_id: this.workerId, trace: broken.trace }, tasks: [], type: 'unknown' }
  }

  validate(config: ConnectorConfig): { plugin: ConnectorPlugin | undefined; problems: ConfigProblem[] } {
    return validateConnectorConfig(this.catalog, this.options.validateProcessing, config, this.sandbox)
  }

  runner(name: string): ConnectorRunner {
    if (this.distributed && !this.runners.has(name) && this.has(name)) notAssigned(name, 'it runs on another worker of the group')
    return this.runners.get(name) ?? (this.broken.has(name) ? stateError(name, 'its config does not start; fix it with PUT /connectors/{name}/config') : notFound(name))
  }

  create(name: string, config: ConnectorConfig, options: CreateOptions = {}): Promise<ConnectorInfo> {
    return this.change(async () => {
      if (this.has(name)) throw new TributaryError('TRB_CONNECTOR_EXISTS', `Connector ${name} already exists`, { details: { name } })
      await this.install(name, config, options.initialState ?? 'STARTED', options.pipelineFile, true)
      return this.info(name)
    })
  }

  /** Creates or replaces a connector's config; an unchanged config changes nothing. */
  putConfig(name: string, config: ConnectorConfig, options: CreateOptions = {}): Promise<{ created: boolean; info: ConnectorInfo }> {
    return this.change(async () => {
      const created = !this.has(name)
      const stored = this.configs.get(name)
      if (!created && sameConfig(this.config(name), config) && (options.pipelineFile === undefined || (options.pipelineFile ?? undefined) === stored?.pipelineFile)) {
        return { created, info: this.info(name) }
      }
      await this.install(name, config, created ? options.initialState ?? 'STARTED' : stored?.targetState ?? 'STARTED', options.pipelineFile, created)
      return { created, info: this.info(name) }
    })
  }

  delete(name: string): Promise<void> {
    return this.change(async () => {
      if (this.distributed) {
        const config = this.config(name)
        await this.distributed.delete(name, this.info(name))
        const plugin = this.catalog.get(config['connector.class'] ?? '')
        await plugin?.onDeleted?.(plugin.config.parse(config))?.catch((error: unknown) => this.logger.warn({ err: error, connector: name }, 'onDeleted hook failed'))
        return
      }
      const runner = this.runners.get(name)
      if (runner === undefined && !this.broken.has(name)) notFound(name)
      const taskCount = runner?.taskCount ?? 0
      await runner?.shutdown()
      this.runners.delete(name)
      this.broken.delete(name)
      await this.configs.remove(name)
      if (runner !== undefined) {
        await runner.plugin.onDeleted?.(runner.plugin.config.parse(runner.config))?.catch((error: unknown) => this.logger.warn({ err: error, connector: name }, 'onDeleted hook failed'))
      }
      await this.settleStatus()
      await this.statuses.remove(name, Array.from({ length: taskCount }, (_, id) => id))
    })
  }

  pause(name: string): Promise<void> {
    return this.change(async () => {
      // In a group the worker running it applies the new target state when it reads it.
      if (this.distributed) return this.configs.setTargetState(this.configs.get(name)?.name ?? notFound(name), 'PAUSED')
      const runner = this.runner(name)
      await this.configs.setTargetState(name, 'PAUSED')
      runner.pause()
    })
  }

  resume(name: string): Promise<void> {
    return this.change(async () => {
      // In a group the worker running it applies the new target state when it reads it.
      if (this.distributed) return this.configs.setTargetState(this.configs.get(name)?.name ?? notFound(name), 'STARTED')
      const runner = this.runner(name)
      await this.configs.setTargetState(name, 'STARTED')
      await runner.resume()
    })
  }

  stop(name: string): Promise<void> {
    return this.change(async () => {
      // In a group the worker running it applies the new target state when it reads it.
      if (this.distributed) return this.configs.setTargetState(this.configs.get(name)?.name ?? notFound(name), 'STOPPED')
      const runner = this.runner(name)
      await this.configs.setTargetState(name, 'STOPPED')
      await runner.stop()
    })
  }

  /** Whether a task of the connector that this worker runs is still starting (not yet RUNNING, PAUSED or FAILED). */
  startingTasks(name: string): boolean {
    const runner = this.runners.get(name)
    if (runner === undefined) return false
    const { connector, tasks } = runner.status()
    return connector.state === 'RUNNING' && tasks.some((task) => runner.runsTask(task.id) && (task.state === 'UNASSIGNED' || task.state === 'RESTARTING'))
  }

  /** Distributed mode: the other workers that run the parts of a connector `scope` picks; none when alone. */
  workersElsewhere(name: string, scope: WorkScope): string[] {
    return this.distributed?.workersElsewhere(name, this.info(name), scope) ?? []
  }

  /**
   * Kafka Connect's restart: the connector, and with includeTasks its (failed) tasks too. In a group
   * it restarts what this worker runs of the connector; the REST API asks the others for the rest.
   */
  restart(name: string, options: { includeTasks: boolean; onlyFailed: boolean }): Promise<void> {
    return this.change(async () => {
      if (this.distributed && !this.runners.has(name) && !this.broken.has(name)) {
        if (!this.has(name)) notFound(name)
        return
      }
      if (this.broken.has(name)) {
        const { config } = this.broken.get(name) ?? notFound(name)
        this.broken.delete(name)
        await this.launch(name, config, this.configs.get(name)?.targetState ?? 'STARTED')
        return
      }
      const runner = this.runner(name)
      if (options.includeTasks) await runner.restartTasks(options.onlyFailed)
    })
  }

  restartTask(name: string, id: number): Promise<void> {
    return this.change(async () => {
      if (this.distributed) {
        if (!this.info(name).tasks.some(({ task }) => task === id)) taskNotFound(name, id)
        const runner = this.runners.get(name)
        if (runner === undefined || !runner.runsTask(id)) notAssigned(name, `task ${id} runs on another worker of the group`)
        return runner.restartTask(id)
      }
      const runner = this.runner(name)
      if (!runner.hasTask(id)) taskNotFound(name, id)
      await runner.restartTask(id)
    })
  }

  async listOffsets(name: string): Promise<OffsetEntry[]> {
    if (this.distributed) {
      const { type } = this.info(name)
      await this.sourceOffsets.catchUp() // another worker may run it
      return this.offsets.list(name, type === 'sink' ? 'sink' : 'source')
    }
    return this.offsets.list(name, this.runner(name).type)
  }

  /** Offsets may change only while the connector is STOPPED, so no task races the edit. */
  alterOffsets(name: string, entries: readonly OffsetEntry[]): Promise<void> {
    return this.change(async () => this.offsets.alter(name, this.stoppedType(name), entries))
  }

  resetOffsets(name: string): Promise<void> {
    return this.change(async () => this.offsets.reset(name, this.stoppedType(name)))
  }

  /**
   * A stopped connector's kind. In a group any worker may edit the offsets, but only once the status
   * topic shows the worker that ran the connector has stopped it: until then its tasks may still commit.
   */
  private stoppedType(name: string): 'source' | 'sink' {
    const mustStop = 'Connectors must be in the STOPPED state before their offsets can be modified; PUT /connectors/{name}/stop first'
    if (!this.distributed) {
      const runner = this.runner(name)
      if (this.targetState(name) !== 'STOPPED') stateError(name, mustStop)
      return runner.type
    }
    const { type } = this.info(name)
    if (this.targetState(name) !== 'STOPPED') stateError(name, mustStop)
    if (this.statuses.connector(name)?.state !== 'STOPPED') stateError(name, 'the worker that runs it has not stopped it yet; try again shortly')
    if (type === 'unknown') stateError(name, 'its config does not start; fix it with PUT /connectors/{name}/config')
    return type
  }

  targetState(name: string): TargetState {
    return this.configs.get(name)?.targetState ?? notFound(name)
  }

  /** Stops every task (each flushes and commits) and waits for the status writes. */
  async close(): Promise<void> {
    await this.distributed?.close()
    await this.change(async () => {
      await Promise.all([...this.runners.values()].map((runner) => runner.shutdown()))
      this.runners.clear()
    })
    await this.settleStatus()
  }

  /** Creates a topic on first use, as Kafka's auto topic creation would, with the connector's partition count. */
  /** A topic a connector reads or writes: never one of the worker's internal topics. */
  private async ensureConnectorTopic(connector: string, topic: string, partitions: number): Promise<void> {
    if (isInternalTopic(topic)) {
      const refusal = new TributaryError('TRB_TOPIC_AUTHORIZATION_FAILED', `${topic} is an internal topic of the worker (configs, offsets, states): connectors may not read or write it; name another topic`, { details: { topic } })
      throw unrecoverable(`connector ${connector} may not use topic ${topic}: ${refusal.message}`, refusal)
    }
    await this.ensureTopic(topic, partitions)
  }

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

  private change<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.changeChain.then(operation)
    this.changeChain = next.catch(() => undefined)
    return next
  }

  private async install(name: string, config: ConnectorConfig, target: TargetState, pipelineFile: string | null | undefined, created: boolean): Promise<void> {
    if (!NAME_RULE.test(name)) throw new TributaryError('TRB_CONNECTOR_CONFIG_INVALID', `connector name "${name}" must be 1 to 249 characters without "/", "\\" or control characters`, { details: { name } })
    const { plugin, problems } = this.validate(config)
    if (plugin === undefined || problems.length > 0) {
      // A file or host outside the sandbox is answered with its own code, so callers can tell a refusal from a typo.
      const code = problems.find((p) => p.code !== undefined)?.code ?? 'TRB_CONNECTOR_CONFIG_INVALID'
      throw new TributaryError(code, `Connector configuration is invalid and contains the following ${problems.length} error(s):\n${problems.map((p) => `${p.key}: ${p.message}`).join('\n')}`, {
        details: { name, problems },
      })
    }
    if (created) await plugin.onCreated?.(plugin.config.parse(config))
    if (this.distributed) {
      // The group's leader reads the change and rebalances; the worker given it starts it.
      await this.configs.put(name, config, { targetState: target, ...(pipelineFile !== undefined && { pipelineFile }) })
      return
    }
    const previous = this.runners.get(name)
    await previous?.shutdown()
    this.runners.delete(name)
    this.broken.delete(name)
    await this.configs.put(name, config, { targetState: target, ...(pipelineFile !== undefined && { pipelineFile }) })
    await this.launch(name, config, target)
  }

  private async launch(name: string, config: ConnectorConfig, target: TargetState, share?: ConnectorShare): Promise<void> {
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
        ...(this.options.exactlyOnceSourceSupport !== 'disabled' && this.log.transactionalProducer !== undefined
          && { exactlyOnce: { transactionalIdPrefix: (this.options.storageTopics ?? storageTopics()).prefix } }),
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

  private reportStatus(connector: string, task: number | null, status: StatusValue): void {
    const write = task === null ? this.statuses.putConnector(connector, status) : this.statuses.putTask(connector, task, status)
    const tracked = write.catch((error: unknown) => this.logger.warn({ err: error, connector, task }, 'status write failed')).finally(() => this.pendingStatus.delete(tracked))
    this.pendingStatus.add(tracked)
  }

  private async settleStatus(): Promise<void> {
    await Promise.all([...this.pendingStatus])
  }
}

function sameConfig(a: ConnectorConfig, b: ConnectorConfig): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key])
}
