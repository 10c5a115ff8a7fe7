/**
 * The distributed half of a worker (Kafka Connect's DistributedHerder, small): the worker follows
 * `_tributary-configs` and `_tributary-status` as other workers write them, takes part in the worker
 * group, and runs only its share. The leader rebalances when the stored connectors differ from the
 * ones it last assigned; the worker running a connector applies target-state changes it reads; a
 * gained task reads the offsets topic to its end first, so it resumes where its last owner stopped.
 */
import type { Clock } from '../clock.ts'
import { isTributaryError } from '../errors.ts'
import type { GroupMembership } from '../log/groups/group-membership.ts'
import type { Logger } from '../logger.ts'
import type { ConfigStore, TargetState } from './config-store.ts'
import type { ConnectorRunner, ConnectorStatusView } from './connector-runner.ts'
import type { ConnectorConfig } from './plugin.ts'
import type { SourceOffsetStore } from './source-offset-store.ts'
import type { ConnectorState, StatusStore } from './status-store.ts'
import { assignRoundRobin, type WorkerAssignment } from './worker-assignment.ts'
import { WorkerGroup, type WorkerGroupSettings } from './worker-group.ts'

/** Which parts of a connector a request is about: its connector role, all, none or some of its tasks, in a state. */
export interface WorkScope {
  readonly connector: boolean
  readonly tasks: boolean | readonly number[]
  readonly state?: ConnectorState
}

export interface ConnectorShare {
  readonly connector: boolean
  readonly tasks: ReadonlySet<number>
}

export interface DistributedWorkerDeps {
  readonly settings: WorkerGroupSettings
  readonly membership: GroupMembership
  readonly workerId: string
  /** The schema registry this worker serves, if any. */
  readonly registryUrl?: string | undefined
  readonly clock: Clock
  readonly logger: Logger
  readonly stores: { readonly configs: ConfigStore; readonly statuses: StatusStore; readonly offsets: SourceOffsetStore }
  readonly taskCount: (config: ConnectorConfig) => number
  /** The worker's serialising lane for connector changes. */
  readonly change: <T>(operation: () => Promise<T>) => Promise<T>
  /** The worker's runners: only what this worker runs. */
  readonly runners: Map<string, ConnectorRunner>
  readonly launch: (name: string, config: ConnectorConfig, target: TargetState, share: ConnectorShare) => Promise<void>
  readonly settleStatus: () => Promise<void>
}

interface ConnectorSummary {
  readonly name: string
  readonly type: 'source' | 'sink' | 'unknown'
  readonly tasks: ReadonlyArray<{ readonly task: number }>
}

/** How often a follower's read of an internal topic waits at its end before asking again. */
const FOLLOW_WAIT_MS = 500

export class DistributedWorker {
  private readonly deps: DistributedWorkerDeps
  private readonly group: WorkerGroup
  private readonly stopped = new AbortController()
  private followers: Array<Promise<void>> = []
  /** The configs (as JSON) the leader last assigned, to notice connectors added, removed or changed. */
  private assigned = new Map<string, string>()
  /** The group's workers as of the last assignment; none while a rebalance is under way. */
  private peers = new Set<string>()
  /** The registry that writes for the group, as of the last assignment. */
  registryWriter: string | undefined

  constructor(deps: DistributedWorkerDeps) {
    this.deps = deps
    this.group = new WorkerGroup({
      ...deps.settings,
      membership: deps.membership,
      workerId: deps.workerId,
      ...(deps.registryUrl !== undefined && { registryUrl: deps.registryUrl }),
      clock: deps.clock,
      logger: deps.logger,
      assign: (members) => this.assign(members),
      revoke: () => this.revoke(),
      adopt: (assignment) => this.adopt(assignment),
    })
  }

  async start(): Promise<void> {
    const { configs, statuses } = this.deps.stores
    this.followers = [this.follow(configs, (keys) => this.configsChanged(keys)), this.follow(statuses)]
    await this.group.start()
  }

  async close(): Promise<void> {
    this.stopped.abort()
    await this.group.close()
    await Promise.all(this.followers)
  }

  /** A connector's status as the status topic has it, whichever worker runs it. */
  status(name: string, info: ConnectorSummary): ConnectorStatusView | { name: string; connector: { state: 'FAILED'; worker_id: string; trace: string }; tasks: []; type: 'unknown' } {
    const { statuses } = this.deps.stores
    const connector = statuses.connector(name)
    if (info.type === 'unknown') return { name, connector: { state: 'FAILED', worker_id: connector?.worker_id ?? '', trace: connector?.trace ?? 'its config does not start' }, tasks: [], type: 'unknown' }
    const tasks = connector?.state === 'STOPPED' ? [] : info.tasks.map(({ task }) => {
      const status = statuses.task(name, task)
      return { id: task, state: status?.state ?? 'UNASSIGNED', worker_id: status?.worker_id ?? '', ...(status?.trace && { trace: status.trace }) }
    })
    return { name, connector: { state: connector?.state ?? 'UNASSIGNED', worker_id: connector?.worker_id ?? '', ...(connector?.trace && { trace: connector.trace }) }, tasks, type: info.type }
  }

  /** The other workers that run the parts of a connector `scope` picks, as the status topic has them. */
  workersElsewhere(name: string, info: ConnectorSummary, scope: WorkScope): string[] {
    const { statuses } = this.deps.stores
    const picked = scope.tasks === true ? info.tasks.map(({ task }) => task) : scope.tasks === false ? [] : scope.tasks
    const candidates = [...(scope.connector ? [statuses.connector(name)] : []), ...picked.map((task) => statuses.task(name, task))]
    const workers = new Set<string>()
    for (const status of candidates) {
      // A status naming a worker outside the group is stale (it left or died): nothing to forward to.
      if (status === undefined || status.worker_id === this.deps.workerId || !this.peers.has(status.worker_id)) continue
      if (scope.state === undefined || status.state === scope.state) workers.add(status.worker_id)
    }
    return [...workers]
  }

  /** Removes the config; the worker running it stops it in the rebalance that follows. */
  async delete(name: string, info: ConnectorSummary): Promise<void> {
    await this.deps.stores.configs.remove(name)
    await this.deps.stores.statuses.remove(name, info.tasks.map(({ task }) => task))
  }

  private async follow(store: { catchUp(options: { maxWaitMs?: number; signal?: AbortSignal }): Promise<string[]> }, onChange?: (keys: string[]) => void): Promise<void> {
    const signal = this.stopped.signal
    while (!signal.aborted) {
      try {
        const keys = await store.catchUp({ maxWaitMs: FOLLOW_WAIT_MS, signal })
        if (keys.length > 0) onChange?.(keys)
      } catch (error) {
        if (signal.aborted) return
        if (!isTributaryError(error, 'TRB_ABORTED')) this.deps.logger.warn({ err: error }, 'following an internal topic failed; retrying')
        await this.deps.clock.sleep(FOLLOW_WAIT_MS, signal).catch(() => undefined)
      }
    }
  }

  private configsChanged(keys: readonly string[]): void {
    if (this.group.isLeader && this.planDiffers()) this.group.requestRebalance()
    for (const key of keys) {
      if (!key.startsWith('target-state-')) continue
      const name = key.slice('target-state-'.length)
      const target = this.deps.stores.configs.get(name)?.targetState
      if (target === undefined || !this.deps.runners.has(name)) continue
      void this.deps.change(async () => {
        const runner = this.deps.runners.get(name)
        if (target === 'PAUSED') runner?.pause()
        else if (target === 'STOPPED') await runner?.stop()
        else await runner?.resume()
      }).catch((error: unknown) => this.deps.logger.error({ err: error, connector: name }, 'applying a target state failed'))
    }
  }

  private currentPlan(): Map<string, string> {
    return new Map(this.deps.stores.configs.connectors().map((c) => [c.name, JSON.stringify(c.config)]))
  }

  private planDiffers(): boolean {
    const now = this.currentPlan()
    return now.size !== this.assigned.size || [...now].some(([name, config]) => this.assigned.get(name) !== config)
  }

  private async assign(members: ReadonlyMap<string, string>): Promise<Map<string, WorkerAssignment>> {
    const { configs } = this.deps.stores
    await configs.catchUp()
    this.assigned = this.currentPlan()
    return assignRoundRobin(members, new Map(configs.connectors().map((c) => [c.name, this.deps.taskCount(c.config)])))
  }

  /** Eager rebalancing: everything stops (tasks flush and store offsets) before the worker rejoins. */
  private revoke(): Promise<void> {
    this.peers = new Set()
    return this.deps.change(async () => {
      const { runners } = this.deps
      await Promise.all([...runners.values()].map((runner) => runner.shutdown()))
      runners.clear()
      await this.deps.settleStatus()
    })
  }

  private async adopt(assignment: WorkerAssignment): Promise<void> {
    this.peers = new Set(assignment.workers)
    this.registryWriter = assignment.registryWriter
    await this.deps.change(async () => {
      const { configs, offsets } = this.deps.stores
      await Promise.all([configs.catchUp(), offsets.catchUp()])
      const shares = new Map<string, { connector: boolean; tasks: Set<number> }>()
      const share = (name: string): { connector: boolean; tasks: Set<number> } => {
        const found = shares.get(name) ?? { connector: false, tasks: new Set<number>() }
        shares.set(name, found)
        return found
      }
      for (const name of assignment.connectors) share(name).connector = true
      for (const { connector, task } of assignment.tasks) share(connector).tasks.add(task)
      for (const [name, connectorShare] of shares) {
        const stored = configs.get(name)
        if (stored !== undefined) await this.deps.launch(name, stored.config, stored.targetState, connectorShare)
      }
    })
    // A change the leader read while it was assigning is caught here.
    if (this.group.isLeader && this.planDiffers()) this.group.requestRebalance()
  }
}
