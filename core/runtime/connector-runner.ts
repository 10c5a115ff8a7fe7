/**
 * One connector on this worker: its parsed config, its tasks (each under a TaskSupervisor) and its
 * state. Target states (STARTED, PAUSED, STOPPED) come from the config store; observed states
 * (RUNNING, PAUSED, STOPPED, FAILED, RESTARTING, UNASSIGNED) are reported to the status store.
 */
import type { Clock } from '../clock.ts'
import { TributaryError } from '../errors.ts'
import { CompactedStore } from '../log/compacted-store.ts'
import type { Log, LogRecord, TransactionalProducer } from '../log/log.ts'
import type { Logger } from '../logger.ts'
import type { TargetState } from './config-store.ts'
import { connectorSettingsSchema, type ConnectorSettings } from './connector-settings.ts'
import { DeadLetterHandler, failedFromStored } from './dead-letter.ts'
import type { IngressRegistry } from './ingress-registry.ts'
import type { ConnectPolicy, ConnectorConfig, ConnectorPlugin, SinkTaskContext, SourceTaskContext, TaskDetails } from './plugin.ts'
import { bestEffortBytes, headersToLog, type RecordProcessing } from './record-processing.ts'
import { RecordsInHand } from './records-in-hand.ts'
import { runSinkTask } from './sink-task-runner.ts'
import { HeldOutput, sinkTransactionalId } from './sink-transaction.ts'
import type { SourceOffsetStore } from './source-offset-store.ts'
import { runSourceTask } from './source-task-runner.ts'
import { sourceTransactionalId } from './source-transaction.ts'
import type { ConnectorState, StatusValue } from './status-store.ts'
import { errorTrace, TaskSupervisor, type TaskStatus } from './task-supervisor.ts'
import type { WorkerMetrics } from './task-metrics.ts'
import { isInternalTopic } from '../log/internal-topics.ts'

export interface RuntimeServices {
  readonly log: Log
  readonly offsets: SourceOffsetStore
  readonly ingress: IngressRegistry
  readonly metrics: WorkerMetrics
  readonly clock: Clock
  readonly logger: Logger
  /** The worker's sandbox, handed to every task. */
  readonly policy: ConnectPolicy
  readonly workerId: string
  readonly buildProcessing: (config: ConnectorConfig) => RecordProcessing
  readonly ensureTopic: (topic: string) => Promise<void>
  readonly reportStatus: (connector: string, task: number | null, status: StatusValue) => void
  /**
   * In a worker group, the share of this connector the worker runs: its connector-level role (the
   * connector's status) and some of its tasks. Absent: all of it.
   */
  readonly share?: { readonly connector: boolean; readonly tasks: ReadonlySet<number> }
  /**
   * Exactly-once is on (the worker's setting, on a log with transactions) for sources and for sinks
   * whose store is the log: transactional ids start with this prefix.
   */
  readonly exactlyOnce?: { readonly transactionalIdPrefix: string }
}

export interface ConnectorStatusView {
  readonly name: string
  readonly connector: { state: ConnectorState; worker_id: string; trace?: string }
  readonly tasks: Array<{ id: number; state: ConnectorState; worker_id: string; trace?: string; details?: TaskDetails }>
  readonly type: 'source' | 'sink'
}

export class ConnectorRunner {
  readonly name: string
  readonly config: ConnectorConfig
  readonly plugin: ConnectorPlugin
  readonly settings: ConnectorSettings
  private readonly services: RuntimeServices
  private readonly taskConfigs: unknown[]
  private supervisors = new Map<number, TaskSupervisor>()
  private state: ConnectorState = 'UNASSIGNED'
  private trace: string | undefined
  private generation = 0
  private readonly details = new Map<number, TaskDetails>()

  /** The config must have been validated; parsing here cannot fail for a validated config. */
  constructor(name: string, config: ConnectorConfig, plugin: ConnectorPlugin, services: RuntimeServices) {
    this.name = name
    this.config = config
    this.plugin = plugin
    this.services = services
    this.settings = connectorSettingsSchema.parse(config)
    const parsed = plugin.config.parse(config)
    this.taskConfigs = plugin.taskConfigs(parsed, this.settings['tasks.max'])
  }

  get type(): 'source' | 'sink' {
    return this.plugin.kind
  }

  get taskCount(): number {
    return this.taskConfigs.length
  }

  async start(target: TargetState): Promise<void> {
    if (target === 'STOPPED') {
      this.setState('STOPPED')
      return
    }
    if (this.supervisors.size === 0) {
      const share = this.services.share
      this.taskConfigs.forEach((taskConfig, id) => {
        if (share === undefined || share.tasks.has(id)) this.supervisors.set(id, this.supervisor(id, taskConfig))
      })
    }
    for (const supervisor of this.supervisors.values()) supervisor.start(target === 'PAUSED')
    this.setState(target === 'PAUSED' ? 'PAUSED' : 'RUNNING')
  }

  pause(): void {
    for (const supervisor of this.supervisors.values()) supervisor.pause()
    if (this.state !== 'STOPPED') this.setState('PAUSED')
  }

  async resume(): Promise<void> {
    if (this.state === 'STOPPED' || this.supervisors.size === 0) {
      await this.start('STARTED')
      return
    }
    for (const supervisor of this.supervisors.values()) supervisor.resume()
    this.setState('RUNNING')
  }

  /** Stops every task (they flush and commit) and frees them; the connector stays, STOPPED. */
  async stop(): Promise<void> {
    await this.shutdown()
    this.setState('STOPPED')
  }

  /** Stops the tasks for a worker shutdown or a delete, without recording a new state. */
  async shutdown(): Promise<void> {
    const supervisors = [...this.supervisors.values()]
    this.supervisors = new Map()
    await Promise.all(supervisors.map((supervisor) => supervisor.stop()))
  }

  async restartTasks(onlyFailed: boolean): Promise<void> {
    const chosen = [...this.supervisors.values()].filter((supervisor) => !onlyFailed || supervisor.status().state === 'FAILED')
    await Promise.all(chosen.map((supervisor) => supervisor.restart()))
  }

  async restartTask(id: number): Promise<void> {
    const supervisor = this.supervisors.get(id)
    if (supervisor !== undefined) await supervisor.restart()
  }

  hasTask(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && id < this.taskConfigs.length
  }

  /** Whether this worker runs the task (in a group it may run only some of them). */
  runsTask(id: number): boolean {
    return this.hasTask(id) && (this.services.share === undefined || this.services.share.tasks.has(id))
  }

  /** Marks the connector itself FAILED (its config no longer starts), with the reason. */
  fail(error: unknown): void {
    this.trace = errorTrace(error)
    this.setState('FAILED')
  }

  status(): ConnectorStatusView {
    const workerId = this.services.workerId
    const tasks =
      this.state === 'STOPPED'
        ? []
        : this.taskConfigs.map((_, id) => {
            const status: TaskStatus | undefined = this.supervisors.get(id)?.status()
            const state = status?.state ?? 'UNASSIGNED'
            const details = this.details.get(id)
            return {
              id,
              state,
              worker_id: workerId,
              ...(status?.trace !== undefined && { trace: status.trace }),
              ...(details !== undefined && { details }),
            }
          })
    return {
      name: this.name,
      connector: { state: this.state, worker_id: workerId, ...(this.trace !== undefined && { trace: this.trace }) },
      tasks,
      type: this.type,
    }
  }

  private setState(state: ConnectorState): void {
    this.state = state
    if (state !== 'FAILED') this.trace = undefined
    if (this.services.share?.connector === false) return
    this.services.reportStatus(this.name, null, {
      state,
      trace: this.trace ?? null,
      worker_id: this.services.workerId,
      generation: this.generation,
    })
  }

  private supervisor(id: number, taskConfig: unknown): TaskSupervisor {
    const logger = this.services.logger.child({ connector: this.name, task: id })
    return new TaskSupervisor({
      id,
      policy: {
        maxAttempts: this.settings['restart.max.attempts'],
        initialMs: this.settings['restart.backoff.ms'],
        maxMs: this.settings['restart.backoff.max.ms'],
      },
      clock: this.services.clock,
      logger,
      onChange: (status) => {
        this.generation++
        this.services.metrics.taskStateChanged(this.name, id, status.state)
        this.services.reportStatus(this.name, id, {
          state: status.state,
          trace: status.trace ?? null,
          worker_id: this.services.workerId,
          generation: this.generation,
        })
      },
      body: (signal, gate, markRunning) => this.runTask(id, taskConfig, logger, signal, gate, markRunning),
    })
  }

  /**
   * An exactly-once source task's transactional producer; opening it fences the task's earlier
   * instances (a zombie on another worker) and aborts what they left open, before the task reads its
   * stored offsets. Undefined when exactly-once sources are off, which `required` refuses.
   */
  private async sourceProducer(id: number): Promise<TransactionalProducer | undefined> {
    return this.transactionalProducer((prefix) => sourceTransactionalId(prefix, this.name, id))
  }

  /**
   * The same for a sink whose store is the log (topic → transforms → topic), opened before its
   * consumer joins the group: the offsets it reads are then settled, its predecessor's transaction
   * committed or aborted. Undefined for other sinks, which write elsewhere.
   */
  private async sinkProducer(id: number): Promise<TransactionalProducer | undefined> {
    if (this.plugin.kind !== 'sink' || this.plugin.producesToLog !== true) return undefined
    return this.transactionalProducer((prefix) => sinkTransactionalId(prefix, this.name, id))
  }

  private async transactionalProducer(idOf: (prefix: string) => string): Promise<TransactionalProducer | undefined> {
    const { log, exactlyOnce } = this.services
    if (exactlyOnce === undefined || log.transactionalProducer === undefined) {
      if (this.settings['exactly.once.support'] === 'required') {
        throw new TributaryError(
          'TRB_CONFIG_INVALID',
          `connector ${this.name} has exactly.once.support=required, but this worker writes to the log at least once: start it with TRIBUTARY_EXACTLY_ONCE_SOURCE_SUPPORT=enabled on a log with transactions, or set exactly.once.support=requested`,
          { details: { connector: this.name, key: 'exactly.once.support' } },
        )
      }
      return undefined
    }
    return log.transactionalProducer(idOf(exactlyOnce.transactionalIdPrefix))
  }

  private async runTask(
    id: number,
    taskConfig: unknown,
    logger: Logger,
    signal: AbortSignal,
    gate: TaskSupervisor['gate'],
    markRunning: () => void,
  ): Promise<void> {
    const { log, clock, ensureTopic } = this.services
    const processing = this.services.buildProcessing(this.config)
    const metrics = this.services.metrics.forTask(this.name, id)
    const deadLetter = new DeadLetterHandler({ log, settings: this.settings, logger, connector: this.name, taskId: id, ensureTopic })
    const reportStatus = (details: TaskDetails): void => {
      this.details.set(id, details)
      this.services.metrics.taskDetails(this.name, id, details)
    }
    const base = { connector: this.name, taskId: id, config: taskConfig, logger, clock, signal, reportStatus, policy: this.services.policy }
    if (this.plugin.kind === 'source') {
      const context: SourceTaskContext<unknown> = {
        ...base,
        storedOffset: async (partition) => this.services.offsets.get(this.name, partition),
        ingress: this.services.ingress.forConnector(this.name),
        openStore: (topic) => CompactedStore.open(log, topic, { logger }),
      }
      const producer = await this.sourceProducer(id)
      try {
        const task = this.plugin.createTask(context)
        try {
          await task.start()
          markRunning()
          await runSourceTask(
            task,
            {
              log,
              connector: this.name,
              taskId: id,
              settings: this.settings,
              processing,
              deadLetter,
              offsets: this.services.offsets,
              ensureTopic,
              clock,
              logger,
              metrics,
              ...(producer && { producer }),
            },
            signal,
            gate,
          )
        } finally {
          await task.stop().catch((error: unknown) => logger.warn({ err: error }, 'source task stop failed'))
        }
      } finally {
        await producer?.close().catch((error: unknown) => logger.warn({ err: error }, "closing the task's transactional producer failed"))
      }
      return
    }
    const inHand = new RecordsInHand()
    const producer = await this.sinkProducer(id)
    const held = producer && new HeldOutput()
    const context: SinkTaskContext<unknown> = {
      ...base,
      reportBadRecord: async (record, error) => {
        metrics.recordErrors(1)
        const raw = inHand.find(record.topic, record.partition, record.offset)
        const failed =
          raw !== undefined
            ? failedFromStored(raw)
            : {
                topic: record.topic,
                partition: record.partition,
                offset: record.offset,
                key: bestEffortBytes(record.key),
                value: bestEffortBytes(record.value),
                headers: headersToLog(record.headers),
              }
        await deadLetter.handle('TASK_PUT', failed, error)
      },
      produce: async (records) => {
        const byTopic = new Map<string, LogRecord[]>()
        for (const record of records) {
          const list = byTopic.get(record.topic) ?? []
          list.push({
            key: await processing.key.fromData(record.topic, record.key, record.keySchema),
            value: await processing.value.fromData(record.topic, record.value, record.valueSchema),
            headers: headersToLog(record.headers),
            ...(record.timestamp !== undefined && { timestamp: record.timestamp }),
          })
          byTopic.set(record.topic, list)
        }
        for (const [topic, list] of byTopic) {
          // Exactly-once: appended when the flush commits its transaction.
          if (held !== undefined) {
            held.add(topic, list)
            continue
          }
          await ensureTopic(topic)
          await log.append(topic, list)
        }
      },
    }
    try {
      const topics = await this.sinkTopics()
      for (const topic of topics) await ensureTopic(topic)
      const task = this.plugin.createTask(context)
      try {
        await task.start()
        markRunning()
        const exactlyOnce = producer && held && { producer, output: held, ensureTopic }
        await runSinkTask(
          task,
          {
            log,
            connector: this.name,
            taskId: id,
            topics,
            settings: this.settings,
            processing,
            deadLetter,
            clock,
            logger,
            metrics,
            ...(exactlyOnce && { exactlyOnce }),
          },
          signal,
          gate,
          inHand,
        )
      } finally {
        await task.stop().catch((error: unknown) => logger.warn({ err: error }, 'sink task stop failed'))
      }
    } finally {
      await producer?.close().catch((error: unknown) => logger.warn({ err: error }, "closing the task's transactional producer failed"))
    }
  }

  private async sinkTopics(): Promise<string[]> {
    const listed = this.settings.topics ?? []
    const pattern = this.settings['topics.regex']
    if (pattern === undefined) return listed
    const regex = new RegExp(`^(?:${pattern})$`)
    // As Kafka's consumers (exclude.internal.topics), a pattern never takes in the worker's internal topics.
    return [
      ...new Set([...listed, ...(await this.services.log.listTopics()).filter((topic) => regex.test(topic) && !isInternalTopic(topic))]),
    ]
  }
}
