/**
 * A worker's membership in its group (Kafka Connect's distributed mode, eager protocol): it joins
 * `group.id` with protocol type `connect` and its worker id as metadata; the leader splits the
 * connectors and tasks round-robin; everyone heartbeats. Before each rejoin the worker gives up all it
 * runs (its tasks stop, flush and store their offsets), so a task never runs on two workers; after the
 * sync it starts what it was given. A worker that stops heartbeating is dropped by the coordinator
 * after the session timeout, and the survivors' next heartbeat tells them to rejoin.
 */
import type { Clock } from '../clock.ts'
import { isTributaryError } from '../errors.ts'
import type { GroupMembership } from '../log/groups/group-membership.ts'
import type { JoinGroupResult } from '../log/groups/group-state.ts'
import type { Logger } from '../logger.ts'
import {
  CONNECT_PROTOCOL_NAME,
  CONNECT_PROTOCOL_TYPE,
  decodeWorkerAssignment,
  decodeWorkerMetadata,
  encodeWorkerAssignment,
  encodeWorkerMetadata,
  type WorkerAssignment,
  withRegistryWriter,
} from './worker-assignment.ts'

export interface WorkerGroupSettings {
  readonly groupId: string
  /** A worker silent for this long is dropped and its tasks move. Kafka Connect's default: 10 s. */
  readonly sessionTimeoutMs: number
  readonly heartbeatIntervalMs: number
  readonly rebalanceTimeoutMs: number
}

export interface WorkerGroupOptions extends WorkerGroupSettings {
  readonly membership: GroupMembership
  readonly workerId: string
  /** The schema registry this worker serves, told to the group so it can pick the one that writes. */
  readonly registryUrl?: string | undefined
  readonly clock: Clock
  readonly logger: Logger
  /** The leader's plan: memberId → workerId in, memberId → assignment out. */
  readonly assign: (members: ReadonlyMap<string, string>) => Promise<Map<string, WorkerAssignment>>
  /** Stop everything this worker runs (before a rejoin). */
  readonly revoke: () => Promise<void>
  /** Start what this worker was given. */
  readonly adopt: (assignment: WorkerAssignment, generation: number) => Promise<void>
}

export function defaultGroupSettings(groupId: string, sessionTimeoutMs = 10_000): WorkerGroupSettings {
  return { groupId, sessionTimeoutMs, heartbeatIntervalMs: Math.max(50, Math.floor(sessionTimeoutMs / 3)), rebalanceTimeoutMs: 60_000 }
}

export class WorkerGroup {
  private readonly options: WorkerGroupOptions
  private memberId = ''
  private generationId = -1
  private isLeaderNow = false
  private needsRejoin = true
  private readonly stopped = new AbortController()
  private wakeup = new AbortController()
  private loop: Promise<void> = Promise.resolve()

  constructor(options: WorkerGroupOptions) {
    this.options = options
  }

  get isLeader(): boolean {
    return this.isLeaderNow && !this.needsRejoin
  }

  /** Joins, runs the first assignment, then heartbeats in the background. */
  async start(): Promise<void> {
    await this.ensureJoined()
    this.loop = this.heartbeatLoop()
  }

  /** Makes this worker rejoin, which starts a rebalance (the leader does so when connectors change). */
  requestRebalance(): void {
    this.needsRejoin = true
    this.wakeup.abort()
  }

  /** Stops this worker's share, then leaves, so the others rebalance at once instead of after the session timeout. */
  async close(): Promise<void> {
    if (this.stopped.signal.aborted) return
    this.stopped.abort()
    this.wakeup.abort()
    await this.loop
    // Stop first, leave after: the members that take the tasks over never run them beside ours.
    await this.options.revoke()
    if (this.memberId === '') return
    try {
      await this.options.membership.leaveGroup(this.options.groupId, this.memberId)
    } catch (error) {
      this.options.logger.warn({ err: error }, 'leaving the worker group failed')
    }
  }

  private async heartbeatLoop(): Promise<void> {
    const signal = this.stopped.signal
    while (!signal.aborted) {
      await this.options.clock.sleep(this.options.heartbeatIntervalMs, this.wakeup.signal).catch(() => undefined) // a wakeup cuts the wait short: no error
      if (signal.aborted) return
      if (!this.needsRejoin) {
        const generation = this.generationId
        try {
          await this.options.membership.heartbeat(this.options.groupId, this.memberId, generation)
        } catch (error) {
          if (generation === this.generationId) {
            if (isTributaryError(error, 'TRB_GROUP_UNKNOWN_MEMBER')) this.memberId = ''
            this.needsRejoin = true
          }
        }
      }
      try {
        await this.ensureJoined()
      } catch (error) {
        this.options.logger.error({ err: error }, 'rejoining the worker group failed; retrying')
      }
    }
  }

  private async ensureJoined(): Promise<void> {
    while (this.needsRejoin && !this.stopped.signal.aborted) {
      this.wakeup = new AbortController()
      await this.options.revoke()
      await this.rejoin()
    }
  }

  /** The leader's assignments: the connectors' plan, with the group's registry writer in each. */
  private async plan(
    members: ReadonlyArray<{ memberId: string; metadata: Buffer }>,
  ): Promise<Array<{ memberId: string; assignment: Buffer }>> {
    const metadata = new Map(members.map((m) => [m.memberId, decodeWorkerMetadata(m.metadata)]))
    const plan = await this.options.assign(new Map([...metadata].map(([memberId, worker]) => [memberId, worker.workerId])))
    return [...withRegistryWriter(plan, metadata)].map(([memberId, a]) => ({ memberId, assignment: encodeWorkerAssignment(a) }))
  }

  private async rejoin(): Promise<void> {
    const { membership, groupId } = this.options
    let joined: JoinGroupResult
    try {
      joined = await membership.joinGroup({
        groupId,
        memberId: this.memberId,
        clientId: this.options.workerId,
        sessionTimeoutMs: this.options.sessionTimeoutMs,
        rebalanceTimeoutMs: this.options.rebalanceTimeoutMs,
        protocolType: CONNECT_PROTOCOL_TYPE,
        protocols: [
          {
            name: CONNECT_PROTOCOL_NAME,
            metadata: encodeWorkerMetadata({
              workerId: this.options.workerId,
              ...(this.options.registryUrl !== undefined && { registryUrl: this.options.registryUrl }),
            }),
          },
        ],
        requireKnownMemberId: true,
      })
    } catch (error) {
      if (isTributaryError(error, 'TRB_GROUP_UNKNOWN_MEMBER')) this.memberId = ''
      else if (!isTributaryError(error, 'TRB_GROUP_REBALANCING')) throw error
      return
    }
    this.memberId = joined.memberId
    if (joined.memberIdRequired) return // KIP-394: join again with the id just given
    this.generationId = joined.generationId
    this.isLeaderNow = joined.leaderId === joined.memberId
    const assignments = this.isLeaderNow ? await this.plan(joined.members) : undefined
    let assignment: WorkerAssignment
    try {
      assignment = decodeWorkerAssignment(
        await membership.syncGroup({
          groupId,
          generationId: this.generationId,
          memberId: this.memberId,
          ...(assignments && { assignments }),
        }),
      )
    } catch (error) {
      if (isTributaryError(error, 'TRB_GROUP_UNKNOWN_MEMBER')) this.memberId = ''
      else if (!isTributaryError(error, 'TRB_GROUP_REBALANCING') && !isTributaryError(error, 'TRB_GROUP_ILLEGAL_GENERATION')) throw error
      return
    }
    this.needsRejoin = false
    this.options.logger.info(
      { generation: this.generationId, leader: this.isLeaderNow, connectors: assignment.connectors, tasks: assignment.tasks.length },
      'worker group assignment',
    )
    await this.options.adopt(assignment, this.generationId)
  }
}
