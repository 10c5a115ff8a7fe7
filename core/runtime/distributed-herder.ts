/**
 * The herder of a worker in a group (Kafka Connect's DistributedHerder, small): it follows
 * `_tributary-configs` and `_tributary-status` as other workers write them, takes part in the worker
 * group, and has its worker run only its share. Changes are stored, not applied: the leader
 * rebalances when the stored connectors differ from the ones it last assigned, and the worker
 * running a connector applies the target-state changes it reads. A gained task reads the offsets
 * topic to its end first, so it resumes where its last owner stopped.
 */
import { isTributaryError, TributaryError } from '../errors.ts'
import { AbstractHerder, DOES_NOT_START, MUST_STOP, runnerInfo, taskIds } from './abstract-herder.ts'
import type { ConfigStore, TargetState } from './config-store.ts'
import type { OffsetEntry } from './connector-offsets.ts'
import type { ConnectorRunner } from './connector-runner.ts'
import { groupStatus, workersRunning } from './group-status.ts'
import type { ConnectorInfo, ConnectorStatus, WorkScope } from './herder.ts'
import type { ConnectorConfig } from './plugin.ts'
import type { SourceOffsetStore } from './source-offset-store.ts'
import type { StatusStore } from './status-store.ts'
import { assignRoundRobin, type WorkerAssignment } from './worker-assignment.ts'
import { notAssigned, notFound, stateError, taskNotFound } from './worker-errors.ts'
import { WorkerGroup, type WorkerGroupSettings } from './worker-group.ts'
import type { Worker } from './worker.ts'

/** How often a follower's read of an internal topic waits at its end before asking again. */
const FOLLOW_WAIT_MS = 500

export class DistributedHerder extends AbstractHerder {
  private readonly settings: WorkerGroupSettings
  private readonly statuses: StatusStore
  private readonly offsets: SourceOffsetStore
  private readonly stopped = new AbortController()
  /** The group, once joined. */
  private group: WorkerGroup | undefined
  private followers: Array<Promise<void>> = []
  /** The configs (as JSON) the leader last assigned, to notice connectors added, removed or changed. */
  private assigned = new Map<string, string>()
  /** The group's workers as of the last assignment; none while a rebalance is under way. */
  private peers = new Set<string>()
  /** The registry that writes for the group, as of the last assignment. */
  private writer: string | undefined

  constructor(
    worker: Worker,
    stores: { configs: ConfigStore; statuses: StatusStore; offsets: SourceOffsetStore },
    settings: WorkerGroupSettings,
  ) {
    super(worker, stores.configs)
    this.statuses = stores.statuses
    this.offsets = stores.offsets
    this.settings = settings
  }

  /**
   * Joins the group under `workerId` (Kafka Connect names a worker by its REST address) and runs
   * what it is assigned from then on; `registryUrl`, the schema registry this worker serves, may
   * become the group's registry writer.
   */
  async joinGroup(workerId: string, registryUrl?: string): Promise<void> {
    const membership = await this.log.groupMembership?.()
    if (membership === undefined)
      throw new TributaryError('TRB_CONFIG_INVALID', 'this worker has no group settings, or its log has no group coordinator')
    this.worker.workerId = workerId
    this.group = new WorkerGroup({
      ...this.settings,
      membership,
      workerId,
      ...(registryUrl !== undefined && { registryUrl }),
      clock: this.worker.clock,
      logger: this.worker.logger,
      assign: (members) => this.assign(members),
      revoke: () => this.revoke(),
      adopt: (assignment) => this.adopt(assignment),
    })
    this.followers = [this.follow(this.configs, (keys) => this.configsChanged(keys)), this.follow(this.statuses)]
    await this.group.start()
  }

  connectorNames(): string[] {
    return this.configs.connectors().map((c) => c.name)
  }

  has(name: string): boolean {
    return this.configs.get(name) !== undefined
  }

  config(name: string): ConnectorConfig {
    return this.configs.get(name)?.config ?? notFound(name)
  }

  info(name: string): ConnectorInfo {
    const runner = this.worker.runner(name)
    if (runner !== undefined) return runnerInfo(runner)
    const config = this.config(name)
    return {
      name,
      config,
      tasks: taskIds(name, this.worker.taskCount(config)),
      type: this.catalog.get(config['connector.class'] ?? '')?.kind ?? 'unknown',
    }
  }

  status(name: string): ConnectorStatus {
    return groupStatus(this.statuses, name, this.info(name))
  }

  runner(name: string): ConnectorRunner {
    if (this.worker.runner(name) === undefined && this.has(name)) notAssigned(name, 'it runs on another worker of the group')
    return this.hostedRunner(name)
  }

  /** Removes the config; the worker running it stops it in the rebalance that follows. */
  delete(name: string): Promise<void> {
    return this.change(async () => {
      const config = this.config(name)
      const { tasks } = this.info(name)
      await this.configs.remove(name)
      await this.statuses.remove(
        name,
        tasks.map(({ task }) => task),
      )
      await this.deleted(name, this.catalog.get(config['connector.class'] ?? ''), config)
    })
  }

  // The worker running the connector applies a new target state when it reads it (configsChanged).
  pause(name: string): Promise<void> {
    return this.toTarget(name, 'PAUSED')
  }

  resume(name: string): Promise<void> {
    return this.toTarget(name, 'STARTED')
  }

  stop(name: string): Promise<void> {
    return this.toTarget(name, 'STOPPED')
  }

  /** Restarts what this worker runs of the connector; the REST API asks the others for the rest. */
  restart(name: string, options: { includeTasks: boolean; onlyFailed: boolean }): Promise<void> {
    return this.change(async () => {
      if (this.worker.hosts(name)) return this.restartHosted(name, options)
      if (!this.has(name)) notFound(name)
    })
  }

  restartTask(name: string, id: number): Promise<void> {
    return this.change(async () => {
      if (!this.info(name).tasks.some(({ task }) => task === id)) taskNotFound(name, id)
      const runner = this.worker.runner(name)
      if (runner === undefined || !runner.runsTask(id)) notAssigned(name, `task ${id} runs on another worker of the group`)
      return runner.restartTask(id)
    })
  }

  workersElsewhere(name: string, scope: WorkScope): string[] {
    return workersRunning(this.statuses, name, this.info(name), scope, this.worker.workerId, this.peers)
  }

  async listOffsets(name: string): Promise<OffsetEntry[]> {
    const { type } = this.info(name)
    await this.offsets.catchUp() // another worker may run it
    return this.worker.offsets.list(name, type === 'sink' ? 'sink' : 'source')
  }

  /** Undefined until the group has named a writer, so no write goes anywhere before this worker has joined. */
  registryWriter(ownUrl: string | undefined): 'local' | string | undefined {
    return this.writer !== undefined && this.writer === ownUrl ? 'local' : this.writer
  }

  async close(): Promise<void> {
    this.stopped.abort()
    await this.group?.close()
    await Promise.all(this.followers)
    await this.change(() => this.worker.stopAll())
  }

  /** The group's leader reads the change and rebalances; the worker given it starts it. */
  protected async apply(
    name: string,
    config: ConnectorConfig,
    target: TargetState,
    pipelineFile: string | null | undefined,
  ): Promise<void> {
    await this.configs.put(name, config, { targetState: target, ...(pipelineFile !== undefined && { pipelineFile }) })
  }

  /**
   * Any worker may edit the offsets, but only once the status topic shows the worker that ran the
   * connector has stopped it: until then its tasks may still commit.
   */
  protected stoppedType(name: string): 'source' | 'sink' {
    const { type } = this.info(name)
    if (this.targetState(name) !== 'STOPPED') stateError(name, MUST_STOP)
    if (this.statuses.connector(name)?.state !== 'STOPPED')
      stateError(name, 'the worker that runs it has not stopped it yet; try again shortly')
    if (type === 'unknown') stateError(name, DOES_NOT_START)
    return type
  }

  private toTarget(name: string, target: TargetState): Promise<void> {
    return this.change(() => this.configs.setTargetState(this.configs.get(name)?.name ?? notFound(name), target))
  }

  private async follow(
    store: { catchUp(options: { maxWaitMs?: number; signal?: AbortSignal }): Promise<string[]> },
    onChange?: (keys: string[]) => void,
  ): Promise<void> {
    const signal = this.stopped.signal
    while (!signal.aborted) {
      try {
        const keys = await store.catchUp({ maxWaitMs: FOLLOW_WAIT_MS, signal })
        if (keys.length > 0) onChange?.(keys)
      } catch (error) {
        if (signal.aborted) return
        if (!isTributaryError(error, 'TRB_ABORTED')) this.worker.logger.warn({ err: error }, 'following an internal topic failed; retrying')
        await this.worker.clock.sleep(FOLLOW_WAIT_MS, signal).catch(() => undefined) // cut short by the stop, which the loop checks next
      }
    }
  }

  private configsChanged(keys: readonly string[]): void {
    if (this.group?.isLeader && this.planDiffers()) this.group.requestRebalance()
    for (const key of keys) {
      if (!key.startsWith('target-state-')) continue
      const name = key.slice('target-state-'.length)
      const target = this.configs.get(name)?.targetState
      if (target === undefined || this.worker.runner(name) === undefined) continue
      void this.change(async () => {
        const runner = this.worker.runner(name)
        if (target === 'PAUSED') runner?.pause()
        else if (target === 'STOPPED') await runner?.stop()
        else await runner?.resume()
      }).catch((error: unknown) => this.worker.logger.error({ err: error, connector: name }, 'applying a target state failed'))
    }
  }

  private currentPlan(): Map<string, string> {
    return new Map(this.configs.connectors().map((c) => [c.name, JSON.stringify(c.config)]))
  }

  private planDiffers(): boolean {
    const now = this.currentPlan()
    return now.size !== this.assigned.size || [...now].some(([name, config]) => this.assigned.get(name) !== config)
  }

  private async assign(members: ReadonlyMap<string, string>): Promise<Map<string, WorkerAssignment>> {
    await this.configs.catchUp()
    this.assigned = this.currentPlan()
    return assignRoundRobin(members, new Map(this.configs.connectors().map((c) => [c.name, this.worker.taskCount(c.config)])))
  }

  /** Eager rebalancing: everything stops (tasks flush and store offsets) before the worker rejoins. */
  private revoke(): Promise<void> {
    this.peers = new Set()
    return this.change(() => this.worker.stopAll())
  }

  private async adopt(assignment: WorkerAssignment): Promise<void> {
    this.peers = new Set(assignment.workers)
    this.writer = assignment.registryWriter
    await this.change(async () => {
      await Promise.all([this.configs.catchUp(), this.offsets.catchUp()])
      const shares = new Map<string, { connector: boolean; tasks: Set<number> }>()
      const share = (name: string): { connector: boolean; tasks: Set<number> } => {
        const found = shares.get(name) ?? { connector: false, tasks: new Set<number>() }
        shares.set(name, found)
        return found
      }
      for (const name of assignment.connectors) share(name).connector = true
      for (const { connector, task } of assignment.tasks) share(connector).tasks.add(task)
      for (const [name, connectorShare] of shares) {
        const stored = this.configs.get(name)
        if (stored !== undefined) await this.worker.launch(name, stored.config, stored.targetState, connectorShare)
      }
    })
    // A change the leader read while it was assigning is caught here.
    if (this.group?.isLeader && this.planDiffers()) this.group.requestRebalance()
  }
}
