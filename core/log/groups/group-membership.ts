/**
 * What a group member needs from its group's coordinator: Kafka's classic group calls (JoinGroup,
 * SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch) in the coordinator's own shapes. The
 * in-process GroupCoordinator is one; KafkaLog answers them from a Kafka cluster's coordinator.
 * Refusals are TributaryErrors with the coordinator's codes (TRB_GROUP_REBALANCING,
 * TRB_GROUP_UNKNOWN_MEMBER, TRB_GROUP_ILLEGAL_GENERATION, …), whichever side answers, so a member's
 * rejoin logic works against both.
 */
import type { TopicPartition } from '../topic-partition.ts'
import type { OffsetCommit, SyncGroupRequest, JoinGroupRequest } from './group-requests.ts'
import type { JoinGroupResult } from './group-state.ts'

/** The in-process coordinator answers some calls at once; a remote one answers later. */
export type Awaitable<T> = T | Promise<T>

export interface GroupMembership {
  /** Resolves once the rebalance completes, or with `memberIdRequired` (KIP-394): join again with that id. */
  joinGroup(request: JoinGroupRequest): Promise<JoinGroupResult>
  /** The member's assignment (the consumer protocol's bytes), after the leader sent everyone's. */
  syncGroup(request: SyncGroupRequest): Promise<Buffer>
  heartbeat(groupId: string, memberId: string, generationId: number, groupInstanceId?: string | null): Awaitable<void>
  leaveGroup(groupId: string, memberId: string, groupInstanceId?: string | null): Awaitable<void>
  /** Generation -1 with no member id commits from outside the group, which only an empty group takes. */
  commitOffsets(
    groupId: string,
    memberId: string,
    generationId: number,
    commits: readonly OffsetCommit[],
    groupInstanceId?: string | null,
  ): Promise<void>
  /** Committed offsets of the given partitions; a partition with none is left out. */
  fetchOffsets(
    groupId: string,
    partitions: readonly TopicPartition[],
  ): Awaitable<ReadonlyArray<TopicPartition & { readonly offset: number }>>
}
