/** What the coordinator is asked to do and what it describes: the shapes its callers fill in. */
import type { GroupPhase, GroupProtocol } from './group-state.ts'

export interface JoinGroupRequest {
  readonly groupId: string
  /** Empty for a member joining for the first time; the coordinator assigns one. */
  readonly memberId: string
  readonly groupInstanceId?: string | null
  readonly clientId?: string
  /** Where the member connects from, as DescribeGroups reports it ("/127.0.0.1"). */
  readonly clientHost?: string
  readonly sessionTimeoutMs: number
  readonly rebalanceTimeoutMs: number
  readonly protocolType: string
  readonly protocols: readonly GroupProtocol[]
  /**
   * KIP-394 (Kafka's JoinGroup v4+): a new dynamic member is first given a member id and told to join
   * again with it, so a join retried after a timeout cannot leave a ghost member behind.
   */
  readonly requireKnownMemberId?: boolean
}

export interface SyncGroupRequest {
  readonly groupId: string
  readonly generationId: number
  readonly memberId: string
  readonly groupInstanceId?: string | null
  /** When given (SyncGroup v5+), they must be the group's: a mismatch is an inconsistent protocol. */
  readonly protocolType?: string | null
  readonly protocolName?: string | null
  /** The leader's assignment for every member; followers send none. */
  readonly assignments?: ReadonlyArray<{ readonly memberId: string; readonly assignment: Buffer }>
}

/** One partition's offset in an OffsetCommit (the next offset to read), with the member's metadata. */
export interface OffsetCommit {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly metadata?: string | null
}

export interface GroupDescription {
  readonly groupId: string
  readonly state: GroupPhase
  readonly protocolType: string
  readonly protocolName: string
  readonly generationId: number
  readonly leaderId: string | null
  readonly members: ReadonlyArray<{
    memberId: string
    groupInstanceId: string | null
    clientId: string
    clientHost: string
    metadata: Buffer
    assignment: Buffer
  }>
}
