/**
 * The group coordinator: Kafka's classic consumer-group protocol (JoinGroup, SyncGroup, Heartbeat,
 * LeaveGroup, OffsetCommit, OffsetFetch, DescribeGroups, ListGroups, DeleteGroups) over the embedded
 * log. Members choose and compute assignments themselves (the leader does), exactly as Kafka clients
 * do, so the Kafka listener can hand these calls straight through and in-process consumers use the
 * same path. Session and rebalance timeouts run on the injected clock.
 */
import { randomUUID } from 'node:crypto'
import { runEvery, systemClock, type Clock } from '../../clock.ts'
import { TributaryError } from '../../errors.ts'
import type { InternalTopicLog } from '../internal-topic-log.ts'
import { CONSUMER_PROTOCOL_TYPE, decodeSubscription } from './consumer-protocol.ts'
import { GroupState, type GroupPhase, type GroupProtocol, type JoinGroupResult, type MemberState } from './group-state.ts'
import { illegalGeneration, rebalancing, unknownMember, validateGroupId } from './group-errors.ts'
import type { GroupMembership } from './group-membership.ts'
import type { GroupDescription, JoinGroupRequest, OffsetCommit, SyncGroupRequest } from './group-requests.ts'
import { OffsetStore, type CommittedOffset } from './offset-store.ts'

export interface CoordinatorOptions {
  readonly clock?: Clock
  readonly minSessionTimeoutMs?: number
  readonly maxSessionTimeoutMs?: number
  /** How often expired sessions and overdue rebalances are looked for. */
  readonly sweepIntervalMs?: number
}

const EMPTY = Buffer.alloc(0)

export class GroupCoordinator implements GroupMembership {
  private readonly groups = new Map<string, GroupState>()
  private readonly offsets: OffsetStore
  private readonly clock: Clock
  private readonly minSessionTimeoutMs: number
  private readonly maxSessionTimeoutMs: number
  private readonly stopSweep = new AbortController()
  private sweeping: Promise<void> = Promise.resolve()

  private constructor(offsets: OffsetStore, options: CoordinatorOptions) {
    this.offsets = offsets
    this.clock = options.clock ?? systemClock
    this.minSessionTimeoutMs = options.minSessionTimeoutMs ?? 100
    this.maxSessionTimeoutMs = options.maxSessionTimeoutMs ?? 30 * 60 * 1000
  }

  static async open(log: InternalTopicLog, options: CoordinatorOptions = {}): Promise<GroupCoordinator> {
    const coordinator = new GroupCoordinator(await OffsetStore.open(log), { clock: log.clock, ...options })
    coordinator.sweeping = coordinator.sweepEvery(options.sweepIntervalMs ?? 250)
    return coordinator
  }

  joinGroup(request: JoinGroupRequest): Promise<JoinGroupResult> {
    validateGroupId(request.groupId)
    if (request.sessionTimeoutMs < this.minSessionTimeoutMs || request.sessionTimeoutMs > this.maxSessionTimeoutMs) {
      throw new TributaryError(
        'TRB_GROUP_INVALID_SESSION_TIMEOUT',
        `session timeout ${request.sessionTimeoutMs} ms is outside [${this.minSessionTimeoutMs}, ${this.maxSessionTimeoutMs}]`,
      )
    }
    const group = this.groupFor(request.groupId)
    if (group.members.size > 0) {
      const common = group.commonProtocols()!
      if (request.protocolType !== group.protocolType || !request.protocols.some((p) => common.has(p.name))) {
        throw new TributaryError(
          'TRB_GROUP_INCONSISTENT_PROTOCOL',
          `group ${group.groupId} uses protocol type ${group.protocolType} with ${[...common].join(', ')}`,
        )
      }
    }
    const now = this.clock.now()
    const isPending = group.pendingMembers.delete(request.memberId)
    let member = request.memberId === '' || isPending ? undefined : this.memberOf(group, request.memberId, request.groupInstanceId)
    const unchanged = member !== undefined && sameProtocols(member.protocols, request.protocols)
    if (!member) {
      const memberId = isPending ? request.memberId : `${request.clientId || 'member'}-${randomUUID()}`
      if (request.requireKnownMemberId && !isPending && !request.groupInstanceId) {
        group.pendingMembers.set(memberId, now + request.sessionTimeoutMs)
        return Promise.resolve({
          generationId: -1,
          protocolType: group.protocolType ?? '',
          protocolName: '',
          leaderId: '',
          memberId,
          members: [],
          memberIdRequired: true,
        })
      }
      // A static member coming back under a new member id takes its old place.
      const previous = [...group.members.values()].find((m) => request.groupInstanceId && m.groupInstanceId === request.groupInstanceId)
      // As Kafka (KIP-345): into a stable group whose chosen protocol it still speaks, a static member
      // comes back with no rebalance, keeping the old instance's assignment; a returning leader is
      // given the members but told to skip the assignment (KIP-814).
      const takesOver = previous !== undefined && group.phase === 'Stable' && request.protocols.some((p) => p.name === group.protocolName)
      if (previous && !takesOver) this.removeMember(group, previous.memberId, 'replaced by a new instance of the same static member')
      member = {
        memberId,
        groupInstanceId: request.groupInstanceId ?? null,
        clientId: request.clientId ?? '',
        clientHost: request.clientHost ?? '',
        sessionTimeoutMs: request.sessionTimeoutMs,
        rebalanceTimeoutMs: request.rebalanceTimeoutMs,
        protocols: request.protocols,
        lastHeartbeatMs: now,
        joinWaiter: undefined,
        syncWaiter: undefined,
      }
      group.members.set(member.memberId, member)
      if (takesOver) {
        this.replaceStaticMember(group, previous, member.memberId)
        member.protocols = request.protocols
        const result = this.joinResult(group, member.memberId)
        return Promise.resolve(member.memberId === group.leaderId ? { ...result, skipAssignment: true } : result)
      }
    }
    member.protocols = request.protocols
    member.sessionTimeoutMs = request.sessionTimeoutMs
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs
    member.lastHeartbeatMs = now
    group.protocolType = request.protocolType

    if (group.phase === 'Stable' && unchanged && member.memberId !== group.leaderId) {
      return Promise.resolve(this.joinResult(group, member.memberId))
    }
    const joined = new Promise<JoinGroupResult>((resolve, reject) => {
      member.joinWaiter?.reject(rebalancing(group.groupId))
      member.joinWaiter = { resolve, reject }
    })
    if (group.phase !== 'PreparingRebalance') this.prepareRebalance(group)
    if (group.allMembersJoined()) this.completeJoin(group)
    return joined
  }

  syncGroup(request: SyncGroupRequest): Promise<Buffer> {
    const group = this.groups.get(request.groupId)
    if (!group) throw unknownMember(request.groupId, request.memberId)
    const member = this.memberOf(group, request.memberId, request.groupInstanceId)
    if (request.generationId !== group.generationId) throw illegalGeneration(group, request.generationId)
    if (
      (request.protocolType != null && request.protocolType !== group.protocolType) ||
      (request.protocolName != null && request.protocolName !== group.protocolName)
    ) {
      throw new TributaryError(
        'TRB_GROUP_INCONSISTENT_PROTOCOL',
        `group ${group.groupId} uses protocol ${group.protocolType}/${group.protocolName}, not ${request.protocolType}/${request.protocolName}`,
      )
    }
    if (group.phase === 'PreparingRebalance') throw rebalancing(group.groupId)
    member.lastHeartbeatMs = this.clock.now()
    if (group.phase === 'Stable') return Promise.resolve(group.assignments.get(member.memberId) ?? EMPTY)
    const synced = new Promise<Buffer>((resolve, reject) => {
      member.syncWaiter?.reject(rebalancing(group.groupId))
      member.syncWaiter = { resolve, reject }
    })
    if (member.memberId === group.leaderId && request.assignments) {
      group.assignments = new Map(request.assignments.map((a) => [a.memberId, a.assignment]))
      group.phase = 'Stable'
      for (const each of group.members.values()) {
        each.syncWaiter?.resolve(group.assignments.get(each.memberId) ?? EMPTY)
        each.syncWaiter = undefined
      }
    }
    return synced
  }

  heartbeat(groupId: string, memberId: string, generationId: number, groupInstanceId?: string | null): void {
    const group = this.groups.get(groupId)
    if (!group) throw unknownMember(groupId, memberId)
    const member = this.memberOf(group, memberId, groupInstanceId)
    member.lastHeartbeatMs = this.clock.now()
    if (group.phase === 'PreparingRebalance') throw rebalancing(groupId)
    if (generationId !== group.generationId) throw illegalGeneration(group, generationId)
  }

  /**
   * Removes a member. A static member may be named by its instance id alone (memberId ''), as Kafka's
   * admin tools do; a member still pending its KIP-394 rejoin just loses its reserved id.
   */
  leaveGroup(groupId: string, memberId: string, groupInstanceId?: string | null): void {
    const group = this.groups.get(groupId)
    if (!group) throw unknownMember(groupId, memberId)
    if (memberId !== '' && group.pendingMembers.delete(memberId)) return
    const member =
      memberId === '' && groupInstanceId
        ? [...group.members.values()].find((m) => m.groupInstanceId === groupInstanceId)
        : this.memberOf(group, memberId, groupInstanceId)
    if (!member) throw unknownMember(groupId, groupInstanceId ?? memberId)
    this.removeMember(group, member.memberId, 'left the group')
  }

  /**
   * Commits offsets. Members commit with their generation (also while a rebalance is being prepared,
   * so partitions can be committed before they are given up); anyone may commit with generation -1
   * to a group that has no members, as Kafka's admin tools do.
   */
  async commitOffsets(
    groupId: string,
    memberId: string,
    generationId: number,
    commits: readonly OffsetCommit[],
    groupInstanceId?: string | null,
  ): Promise<void> {
    this.checkCommitter(groupId, memberId, generationId, groupInstanceId)
    await this.offsets.commit(groupId, commits, this.clock.now())
  }

  /**
   * TxnOffsetCommit: commits that count only if the producer's transaction commits. A member's
   * generation is checked as for OffsetCommit (KIP-447 fences a zombie); generation -1 (clients
   * before v3, or a producer outside the group) is taken as it comes, as Kafka takes it.
   */
  async commitTransactionalOffsets(
    groupId: string,
    memberId: string,
    generationId: number,
    producer: { producerId: number; producerEpoch: number },
    commits: readonly OffsetCommit[],
    groupInstanceId?: string | null,
  ): Promise<void> {
    validateGroupId(groupId)
    if (generationId >= 0) this.checkCommitter(groupId, memberId, generationId, groupInstanceId)
    await this.offsets.commitTransactional(groupId, producer, commits, this.clock.now())
  }

  /** The `__consumer_offsets` partition of the group: where a transaction's offsets and markers go. */
  offsetsPartitionOf(groupId: string): number {
    return this.offsets.partitionOf(groupId)
  }

  /** A transaction marker was written to an offsets partition: the producer's pending commits there are decided. */
  onTransactionMarker(offsetsPartition: number, producerId: number, isCommit: boolean): void {
    this.offsets.completeTransaction(offsetsPartition, producerId, isCommit)
  }

  hasPendingCommit(groupId: string, topic: string, partition: number): boolean {
    return this.offsets.hasPendingCommit(groupId, topic, partition)
  }

  private checkCommitter(groupId: string, memberId: string, generationId: number, groupInstanceId?: string | null): void {
    validateGroupId(groupId)
    const group = this.groups.get(groupId)
    if (generationId < 0) {
      if (group && group.members.size > 0) throw unknownMember(groupId, memberId)
    } else {
      if (!group) throw unknownMember(groupId, memberId)
      const member = this.memberOf(group, memberId, groupInstanceId)
      if (generationId !== group.generationId) throw illegalGeneration(group, generationId)
      if (group.phase === 'CompletingRebalance') throw rebalancing(groupId)
      member.lastHeartbeatMs = this.clock.now()
    }
  }

  fetchOffsets(
    groupId: string,
    partitions?: ReadonlyArray<{ topic: string; partition: number }>,
  ): Array<{ topic: string; partition: number } & CommittedOffset> {
    return this.offsets.fetch(groupId, partitions)
  }

  describeGroup(groupId: string): GroupDescription {
    const group = this.groups.get(groupId)
    if (!group) {
      if (this.offsets.fetch(groupId).length === 0) throw new TributaryError('TRB_GROUP_NOT_FOUND', `group ${groupId} does not exist`)
      return { groupId, state: 'Empty', protocolType: '', protocolName: '', generationId: 0, leaderId: null, members: [] }
    }
    return {
      groupId,
      state: group.phase,
      protocolType: group.protocolType ?? '',
      protocolName: group.phase === 'Stable' || group.phase === 'CompletingRebalance' ? (group.protocolName ?? '') : '',
      generationId: group.generationId,
      leaderId: group.leaderId,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: m.protocols.find((p) => p.name === group.protocolName)?.metadata ?? EMPTY,
        assignment: group.assignments.get(m.memberId) ?? EMPTY,
      })),
    }
  }

  listGroups(): Array<{ groupId: string; protocolType: string; state: GroupPhase }> {
    const ids = new Set([...this.groups.keys(), ...this.offsets.groupsWithOffsets()])
    return [...ids].sort().map((groupId) => {
      const group = this.groups.get(groupId)
      return { groupId, protocolType: group?.protocolType ?? '', state: group?.phase ?? 'Empty' }
    })
  }

  /** Sets or (null) removes committed offsets of a group with no members, as Kafka's admin tools do. */
  async alterOffsets(groupId: string, changes: ReadonlyArray<{ topic: string; partition: number; offset: number | null }>): Promise<void> {
    validateGroupId(groupId)
    const group = this.groups.get(groupId)
    if (group && group.members.size > 0)
      throw new TributaryError(
        'TRB_GROUP_NOT_EMPTY',
        `group ${groupId} has ${group.members.size} members; stop them before altering offsets`,
      )
    const commits = changes.flatMap((c) => (c.offset === null ? [] : [{ topic: c.topic, partition: c.partition, offset: c.offset }]))
    await this.offsets.commit(groupId, commits, this.clock.now())
    await this.offsets.deleteOffsets(
      groupId,
      changes.filter((c) => c.offset === null),
    )
  }

  /**
   * Removes the committed offsets of partitions the group does not consume, as Kafka's OffsetDelete:
   * a group with members keeps the offsets of every topic a member subscribes to (those are returned,
   * to be refused with GROUP_SUBSCRIBED_TO_TOPIC); a group whose members speak another protocol
   * than `consumer` cannot be read that way and keeps them all (NON_EMPTY_GROUP).
   */
  async deleteOffsets(
    groupId: string,
    partitions: ReadonlyArray<{ topic: string; partition: number }>,
  ): Promise<{ subscribed: ReadonlySet<string> }> {
    validateGroupId(groupId)
    const group = this.groups.get(groupId)
    if ((!group || group.phase === 'Dead') && this.offsets.fetch(groupId).length === 0)
      throw new TributaryError('TRB_GROUP_NOT_FOUND', `group ${groupId} does not exist`)
    const subscribed = new Set<string>()
    if (group && group.members.size > 0) {
      if (group.protocolType !== CONSUMER_PROTOCOL_TYPE)
        throw new TributaryError(
          'TRB_GROUP_NOT_EMPTY',
          `group ${groupId} has ${group.members.size} members of protocol type ${group.protocolType}; stop them before deleting its offsets`,
        )
      for (const member of group.members.values()) {
        const metadata = member.protocols.find((protocol) => protocol.name === group.protocolName)?.metadata
        if (metadata !== undefined) for (const topic of subscriptionTopics(metadata)) subscribed.add(topic)
      }
    }
    await this.offsets.deleteOffsets(
      groupId,
      partitions.filter((p) => !subscribed.has(p.topic)),
    )
    return { subscribed }
  }

  async deleteGroup(groupId: string): Promise<void> {
    const group = this.groups.get(groupId)
    if (group && group.members.size > 0)
      throw new TributaryError('TRB_GROUP_NOT_EMPTY', `group ${groupId} still has ${group.members.size} members`)
    if (!group && this.offsets.fetch(groupId).length === 0)
      throw new TributaryError('TRB_GROUP_NOT_FOUND', `group ${groupId} does not exist`)
    if (group) group.phase = 'Dead'
    this.groups.delete(groupId)
    await this.offsets.deleteGroup(groupId)
  }

  async close(): Promise<void> {
    this.stopSweep.abort()
    await this.sweeping
    for (const group of this.groups.values()) {
      for (const member of group.members.values()) {
        const closed = new TributaryError('TRB_LOG_CLOSED', 'the group coordinator is closing')
        member.joinWaiter?.reject(closed)
        member.syncWaiter?.reject(closed)
      }
    }
    this.groups.clear()
  }

  /**
   * The member a request names. With an instance id (static membership, KIP-345) the id must belong
   * to that member: a newer instance that took its place fences the old one out.
   */
  private memberOf(group: GroupState, memberId: string, groupInstanceId: string | null | undefined): MemberState {
    if (groupInstanceId) {
      const holder = [...group.members.values()].find((m) => m.groupInstanceId === groupInstanceId)
      if (holder && holder.memberId !== memberId) {
        throw new TributaryError(
          'TRB_GROUP_FENCED_INSTANCE',
          `member ${memberId} of group ${group.groupId} was replaced by ${holder.memberId} as instance ${groupInstanceId}`,
          { details: { groupId: group.groupId, memberId, groupInstanceId } },
        )
      }
    }
    const member = group.members.get(memberId)
    if (!member) throw unknownMember(group.groupId, memberId)
    return member
  }

  private groupFor(groupId: string): GroupState {
    let group = this.groups.get(groupId)
    if (!group) {
      group = new GroupState(groupId)
      this.groups.set(groupId, group)
    }
    return group
  }

  private prepareRebalance(group: GroupState): void {
    // Members still waiting for the previous round's assignment must rejoin instead.
    for (const member of group.members.values()) {
      member.syncWaiter?.reject(rebalancing(group.groupId))
      member.syncWaiter = undefined
    }
    group.phase = 'PreparingRebalance'
    group.assignments = new Map()
    group.rebalanceDeadlineMs = this.clock.now() + group.maxRebalanceTimeoutMs()
  }

  /** Ends the join phase: members that did not rejoin are dropped, the generation moves on. */
  private completeJoin(group: GroupState): void {
    for (const member of [...group.members.values()]) if (!member.joinWaiter) group.members.delete(member.memberId)
    group.generationId++
    if (group.members.size === 0) {
      group.phase = 'Empty'
      group.leaderId = null
      group.protocolName = null
      return
    }
    if (group.leaderId === null || !group.members.has(group.leaderId)) group.leaderId = group.members.keys().next().value!
    group.protocolName = group.selectProtocol()
    group.phase = 'CompletingRebalance'
    const now = this.clock.now()
    for (const member of group.members.values()) {
      const waiter = member.joinWaiter!
      member.joinWaiter = undefined
      member.lastHeartbeatMs = now
      waiter.resolve(this.joinResult(group, member.memberId))
    }
  }

  private joinResult(group: GroupState, memberId: string): JoinGroupResult {
    const isLeader = memberId === group.leaderId
    return {
      generationId: group.generationId,
      protocolType: group.protocolType ?? '',
      protocolName: group.protocolName ?? '',
      leaderId: group.leaderId ?? '',
      memberId,
      members: isLeader
        ? [...group.members.values()].map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            metadata: m.protocols.find((p) => p.name === group.protocolName)?.metadata ?? EMPTY,
          }))
        : [],
    }
  }

  /** The new instance of a static member in the old one's place: its assignment, the old one fenced out. */
  private replaceStaticMember(group: GroupState, previous: MemberState, memberId: string): void {
    group.members.delete(previous.memberId)
    const fenced = new TributaryError(
      'TRB_GROUP_FENCED_INSTANCE',
      `member ${previous.memberId} of group ${group.groupId} was replaced by ${memberId} as instance ${previous.groupInstanceId}`,
      { details: { groupId: group.groupId, memberId: previous.memberId, groupInstanceId: previous.groupInstanceId } },
    )
    previous.joinWaiter?.reject(fenced)
    previous.syncWaiter?.reject(fenced)
    const assignment = group.assignments.get(previous.memberId)
    group.assignments.delete(previous.memberId)
    if (assignment) group.assignments.set(memberId, assignment)
    if (group.leaderId === previous.memberId) group.leaderId = memberId
  }

  private removeMember(group: GroupState, memberId: string, reason: string): void {
    const member = group.members.get(memberId)
    if (!member) return
    group.members.delete(memberId)
    const gone = new TributaryError('TRB_GROUP_UNKNOWN_MEMBER', `member ${memberId} ${reason}`)
    member.joinWaiter?.reject(gone)
    member.syncWaiter?.reject(gone)
    if (group.leaderId === memberId) group.leaderId = null
    if (group.members.size === 0 && group.phase !== 'PreparingRebalance') {
      group.phase = 'Empty'
      group.generationId++
      group.assignments = new Map()
      return
    }
    if (group.phase !== 'PreparingRebalance') this.prepareRebalance(group)
    if (group.allMembersJoined()) this.completeJoin(group)
  }

  private sweep(): void {
    const now = this.clock.now()
    for (const group of this.groups.values()) {
      for (const [memberId, expiresMs] of group.pendingMembers) if (now > expiresMs) group.pendingMembers.delete(memberId)
      for (const member of [...group.members.values()]) {
        if (member.joinWaiter) continue
        if (now - member.lastHeartbeatMs > member.sessionTimeoutMs) this.removeMember(group, member.memberId, 'missed its session timeout')
      }
      if (group.phase === 'PreparingRebalance' && now >= group.rebalanceDeadlineMs) this.completeJoin(group)
    }
  }

  private sweepEvery(intervalMs: number): Promise<void> {
    return runEvery(this.clock, intervalMs, this.stopSweep.signal, () => this.sweep())
  }
}

function sameProtocols(a: readonly GroupProtocol[], b: readonly GroupProtocol[]): boolean {
  return a.length === b.length && a.every((p, i) => p.name === b[i]!.name && p.metadata.equals(b[i]!.metadata))
}

/** The topics a consumer-protocol subscription names; none when its bytes are not one. */
function subscriptionTopics(metadata: Buffer): readonly string[] {
  try {
    return decodeSubscription(metadata).topics
  } catch {
    return []
  }
}
