/**
 * The state of one consumer group under Kafka's classic rebalance protocol: members, generation,
 * leader, chosen protocol, and the joins and syncs waiting on a rebalance to complete.
 */
export type GroupPhase = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead'

export interface GroupProtocol {
  readonly name: string
  readonly metadata: Buffer
}

export interface JoinGroupResult {
  readonly generationId: number
  readonly protocolType: string
  readonly protocolName: string
  readonly leaderId: string
  readonly memberId: string
  /** The members and their metadata for the chosen protocol: for the leader only, empty for others. */
  readonly members: ReadonlyArray<{ readonly memberId: string; readonly groupInstanceId: string | null; readonly metadata: Buffer }>
  /** Set when the member was only given its id (KIP-394) and must join again with it. */
  readonly memberIdRequired?: true
  /** Set for a static leader back in a stable group: it gets the members but must not assign (KIP-814). */
  readonly skipAssignment?: true
}

export interface Waiter<T> {
  readonly resolve: (value: T) => void
  readonly reject: (error: unknown) => void
}

export interface MemberState {
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly clientId: string
  readonly clientHost: string
  sessionTimeoutMs: number
  rebalanceTimeoutMs: number
  protocols: readonly GroupProtocol[]
  lastHeartbeatMs: number
  joinWaiter: Waiter<JoinGroupResult> | undefined
  syncWaiter: Waiter<Buffer> | undefined
}

export class GroupState {
  readonly groupId: string
  phase: GroupPhase = 'Empty'
  generationId = 0
  protocolType: string | null = null
  protocolName: string | null = null
  leaderId: string | null = null
  readonly members = new Map<string, MemberState>()
  /** Member ids handed out by a KIP-394 join and not yet used, each with when it lapses. */
  readonly pendingMembers = new Map<string, number>()
  /** When a rebalance gives up on members that have not rejoined. */
  rebalanceDeadlineMs = 0
  /** Each member's assignment from the leader, once the group is Stable. */
  assignments = new Map<string, Buffer>()

  constructor(groupId: string) {
    this.groupId = groupId
  }

  /** Protocol names every member supports: what a new member must share at least one of. */
  commonProtocols(): Set<string> | undefined {
    let common: Set<string> | undefined
    for (const member of this.members.values()) {
      const names = new Set(member.protocols.map((p) => p.name))
      common = common === undefined ? names : new Set([...common].filter((name) => names.has(name)))
    }
    return common
  }

  /** Kafka's vote: among the protocols all members support, each member votes for its first choice. */
  selectProtocol(): string {
    const candidates = this.commonProtocols() ?? new Set<string>()
    const votes = new Map<string, number>()
    for (const member of this.members.values()) {
      const choice = member.protocols.find((p) => candidates.has(p.name))
      if (choice) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1)
    }
    let best: string | undefined
    for (const [name, count] of votes) if (best === undefined || count > votes.get(best)!) best = name
    return best ?? [...candidates][0] ?? ''
  }

  allMembersJoined(): boolean {
    for (const member of this.members.values()) if (!member.joinWaiter) return false
    return true
  }

  maxRebalanceTimeoutMs(): number {
    let max = 0
    for (const member of this.members.values()) max = Math.max(max, member.rebalanceTimeoutMs)
    return max
  }
}
