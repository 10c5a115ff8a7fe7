/**
 * A member of a consumer group that polls. It speaks Kafka's classic group protocol to a coordinator
 * (join, the leader assigns, sync, heartbeat, commit with its generation) exactly as a Kafka client
 * does, so it shares groups' semantics with Kafka clients: partitions split among members, moved on
 * membership or partition-count changes, reads resuming from committed offsets. The coordinator is
 * the in-process one (EmbeddedLog) or a Kafka cluster's (KafkaLog); reads go through the Log seam.
 */
import type { Clock } from '../../clock.ts'
import { TributaryError, isTributaryError } from '../../errors.ts'
import type { GroupConsumer, Log, PollOptions, StoredRecord, SubscribeOptions, TopicPartition, TopicPartitionOffset } from '../log.ts'
import { assignorByName, type AssignorMember } from './assignors.ts'
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from './consumer-protocol.ts'
import type { GroupMembership } from './group-membership.ts'
import type { JoinGroupResult } from './group-state.ts'

/** What a member needs from the log besides the coordinator: reads, offset lookups, partition counts. */
export interface GroupLog extends Pick<Log, 'read' | 'listOffset'> {
  /** The topic's partition count; undefined when it does not exist. */
  partitionCount(topic: string): Promise<number | undefined>
}

export interface ClassicGroupConsumerDeps {
  readonly log: GroupLog
  readonly membership: GroupMembership
  /** Heartbeats and waits run on it. */
  readonly clock: Clock
}

const DEFAULT_MAX_BYTES = 1024 * 1024
/** Kafka's retry.backoff.ms: how long a read that met a moving leader or a lost broker pauses in a long poll. */
const READ_RETRY_BACKOFF_MS = 100
const key = (topic: string, partition: number): string => `${topic}\0${partition}`

/**
 * The cluster behind the log out of reach or moving (a lost connection, a leader or coordinator
 * changing): what Kafka's consumer waits out. Not an answer about the group (TRB_GROUP_*), and not
 * the embedded log's own storage failing, which must fail the task where an operator sees it.
 */
const isClusterMoving = (error: unknown): boolean =>
  isTributaryError(error) && error.retriable && (error.code === 'TRB_LOG_UNAVAILABLE' || error.code === 'TRB_INTERNAL')

export class ClassicGroupConsumer implements GroupConsumer {
  readonly groupId: string
  private readonly log: GroupLog
  private readonly coordinator: GroupMembership
  private readonly clock: Clock
  private readonly options: Required<Omit<SubscribeOptions, 'groupInstanceId'>> & { groupInstanceId: string | null }
  private memberId = ''
  private generationId = -1
  private needsRejoin = true
  private assigned: TopicPartition[] = []
  private readonly positions = new Map<string, number>()
  /** Partition counts the leader assigned from, to notice a topic growing. */
  private assignedCounts = new Map<string, number>()
  private isLeader = false
  private nextPartition = 0
  private wakeup = new AbortController()
  private readonly stopped = new AbortController()
  private heartbeats: Promise<void> = Promise.resolve()

  private constructor(deps: ClassicGroupConsumerDeps, options: SubscribeOptions) {
    this.log = deps.log
    this.coordinator = deps.membership
    this.clock = deps.clock
    this.groupId = options.groupId
    if (!assignorByName(options.assignor ?? 'range')) {
      throw new TributaryError('TRB_CONFIG_INVALID', `unknown assignor ${options.assignor}; use range or roundrobin`)
    }
    this.options = {
      groupId: options.groupId,
      topics: [...options.topics],
      assignor: options.assignor ?? 'range',
      autoOffsetReset: options.autoOffsetReset ?? 'earliest',
      sessionTimeoutMs: options.sessionTimeoutMs ?? 30_000,
      rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 60_000,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 3_000,
      clientId: options.clientId ?? 'tributary',
      groupInstanceId: options.groupInstanceId ?? null,
      isolation: options.isolation ?? 'read_uncommitted',
    }
  }

  /**
   * Joins the group before resolving, so assignment() is meaningful at once. A coordinator out of
   * reach fails this first join at once: no caller holds the consumer yet to close it, so a wait here
   * could never be ended. Only a poll's rejoin waits one out.
   */
  static async subscribe(deps: ClassicGroupConsumerDeps, options: SubscribeOptions): Promise<ClassicGroupConsumer> {
    const consumer = new ClassicGroupConsumer(deps, options)
    await consumer.ensureJoined(AbortSignal.abort())
    consumer.heartbeats = consumer.heartbeatLoop()
    return consumer
  }

  assignment(): TopicPartition[] {
    return [...this.assigned]
  }

  position(topic: string, partition: number): number | undefined {
    return this.positions.get(key(topic, partition))
  }

  async poll(options: PollOptions = {}): Promise<StoredRecord[]> {
    this.assertOpen()
    await this.ensureJoined(options.signal)
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
    const ready = this.limit(await this.readAssigned(maxBytes, 0, undefined), options.maxRecords)
    if (ready.length > 0 || (options.maxWaitMs ?? 0) <= 0) return ready
    // Nothing ready: wait on every assigned partition at once; the first with data wins.
    const wait = new AbortController()
    const cancel = (): void => wait.abort()
    options.signal?.addEventListener('abort', cancel, { once: true })
    this.wakeup.signal.addEventListener('abort', cancel, { once: true })
    try {
      if (this.assigned.length === 0) {
        await this.clock.sleep(options.maxWaitMs!, wait.signal).catch(() => undefined) // only an abort rejects: the poll ends early, as asked
        return []
      }
      return this.limit(await this.readAssigned(maxBytes, options.maxWaitMs!, wait), options.maxRecords)
    } finally {
      options.signal?.removeEventListener('abort', cancel)
      this.wakeup.signal.removeEventListener('abort', cancel)
    }
  }

  /** Keeps the first `maxRecords`; each partition's position goes back to its first record left out. */
  private limit(records: StoredRecord[], maxRecords: number | undefined): StoredRecord[] {
    if (maxRecords === undefined || records.length <= maxRecords) return records
    const rewound = new Set<string>()
    for (const record of records.slice(maxRecords)) {
      const slot = key(record.topic, record.partition)
      if (rewound.has(slot)) continue
      rewound.add(slot)
      this.positions.set(slot, record.offset)
    }
    return records.slice(0, maxRecords)
  }

  /**
   * Reads every assigned partition, starting where the last poll left off so none starves. With a
   * wait, the reads long-poll together and the first to return records cancels the rest.
   */
  private async readAssigned(maxBytes: number, maxWaitMs: number, wait: AbortController | undefined): Promise<StoredRecord[]> {
    const order = this.assigned.map((_, i) => this.assigned[(this.nextPartition + i) % this.assigned.length]!)
    this.nextPartition = (this.nextPartition + 1) % Math.max(1, this.assigned.length)
    const generation = this.generationId
    const reads = order.map(async ({ topic, partition }) => {
      const records = await this.readPartition(topic, partition, maxBytes, maxWaitMs, wait?.signal)
      if (records.length > 0) wait?.abort()
      return records
    })
    const settled = await Promise.allSettled(reads)
    const out: StoredRecord[] = []
    for (const result of settled) {
      if (result.status === 'fulfilled') out.push(...result.value)
      else if (!isTributaryError(result.reason, 'TRB_ABORTED')) throw result.reason
    }
    // A rebalance that happened meanwhile may have taken these partitions away: hand nothing back.
    return generation === this.generationId ? out : []
  }

  private async readPartition(
    topic: string,
    partition: number,
    maxBytes: number,
    maxWaitMs: number,
    signal: AbortSignal | undefined,
  ): Promise<readonly StoredRecord[]> {
    const slot = key(topic, partition)
    const position = this.positions.get(slot)
    if (position === undefined) return []
    try {
      const read = await this.log.read(topic, partition, position, {
        maxBytes,
        maxWaitMs,
        isolation: this.options.isolation,
        ...(signal ? { signal } : {}),
      })
      if (this.positions.get(slot) === position) this.positions.set(slot, read.nextOffset)
      return read.records
    } catch (error) {
      if (isClusterMoving(error)) {
        // A leader moving or a broker gone, as Kafka's consumer treats it: the position stays and a
        // later poll reads again; a long poll pauses first, so it does not spin while the cluster heals.
        if (maxWaitMs > 0) await this.clock.sleep(Math.min(READ_RETRY_BACKOFF_MS, maxWaitMs), signal).catch(() => undefined) // only an abort rejects: the pause ends early
        return []
      }
      if (!isTributaryError(error, 'TRB_LOG_OFFSET_OUT_OF_RANGE')) throw error
      // The committed position fell out of the log (retention): start over per auto offset reset.
      this.positions.set(slot, await this.log.listOffset(topic, partition, this.options.autoOffsetReset))
      return []
    }
  }

  async commit(offsets?: readonly TopicPartitionOffset[]): Promise<void> {
    this.assertOpen()
    const commits =
      offsets ??
      this.assigned.flatMap(({ topic, partition }) => {
        const offset = this.positions.get(key(topic, partition))
        return offset === undefined ? [] : [{ topic, partition, offset }]
      })
    try {
      await this.coordinator.commitOffsets(this.groupId, this.memberId, this.generationId, commits, this.options.groupInstanceId)
    } catch (error) {
      if (isTributaryError(error, 'TRB_GROUP_REBALANCING') || isTributaryError(error, 'TRB_GROUP_ILLEGAL_GENERATION'))
        this.needsRejoin = true
      throw error
    }
  }

  async close(): Promise<void> {
    if (this.stopped.signal.aborted) return
    this.stopped.abort()
    this.wakeup.abort()
    await this.heartbeats
    if (this.memberId !== '') {
      try {
        await this.coordinator.leaveGroup(this.groupId, this.memberId, this.options.groupInstanceId)
      } catch (error) {
        if (!isTributaryError(error, 'TRB_GROUP_UNKNOWN_MEMBER')) throw error
      }
    }
  }

  /**
   * Rejoins until it is in the group. A coordinator out of reach (moving, or its broker gone) is
   * waited out, as Kafka's consumer does, with a backoff growing to a second; the caller's signal or
   * close() ends the wait (an aborted signal: no wait, the coordinator's error is thrown at once).
   */
  private async ensureJoined(signal?: AbortSignal): Promise<void> {
    for (let attempt = 0; this.needsRejoin; attempt++) {
      this.assertOpen()
      try {
        await this.rejoin()
      } catch (error) {
        if (!isClusterMoving(error)) throw error
        const waiting = AbortSignal.any([this.stopped.signal, ...(signal ? [signal] : [])])
        await this.clock.sleep(Math.min(READ_RETRY_BACKOFF_MS * 2 ** attempt, 1_000), waiting).catch(() => undefined) // an abort: the line below throws
        if (waiting.aborted) throw error
      }
    }
  }

  private async rejoin(): Promise<void> {
    const metadata = encodeSubscription({ topics: this.options.topics, userData: null })
    let joined: JoinGroupResult
    try {
      joined = await this.coordinator.joinGroup({
        groupId: this.groupId,
        memberId: this.memberId,
        groupInstanceId: this.options.groupInstanceId,
        clientId: this.options.clientId,
        sessionTimeoutMs: this.options.sessionTimeoutMs,
        rebalanceTimeoutMs: this.options.rebalanceTimeoutMs,
        protocolType: CONSUMER_PROTOCOL_TYPE,
        protocols: [{ name: this.options.assignor, metadata }],
        requireKnownMemberId: true,
      })
    } catch (error) {
      if (isTributaryError(error, 'TRB_GROUP_UNKNOWN_MEMBER')) {
        this.memberId = ''
        return
      }
      if (isTributaryError(error, 'TRB_GROUP_REBALANCING')) return
      throw error
    }
    this.memberId = joined.memberId
    // KIP-394: a new member is given its id first and joins again with it.
    if (joined.memberIdRequired) return
    this.generationId = joined.generationId
    this.isLeader = joined.leaderId === joined.memberId
    const assignments = this.isLeader ? await this.assign(joined.protocolName, joined.members) : undefined
    let assignment: Map<string, number[]>
    try {
      assignment = decodeAssignment(
        await this.coordinator.syncGroup({
          groupId: this.groupId,
          generationId: this.generationId,
          memberId: this.memberId,
          groupInstanceId: this.options.groupInstanceId,
          ...(assignments ? { assignments } : {}),
        }),
      )
    } catch (error) {
      if (isTributaryError(error, 'TRB_GROUP_REBALANCING') || isTributaryError(error, 'TRB_GROUP_ILLEGAL_GENERATION')) return
      if (isTributaryError(error, 'TRB_GROUP_UNKNOWN_MEMBER')) {
        this.memberId = ''
        return
      }
      throw error
    }
    await this.take(assignment)
    this.needsRejoin = false
    this.wakeup = new AbortController()
  }

  /** The leader's job: split the subscribed topics' partitions among the members. */
  private async assign(
    protocolName: string,
    members: ReadonlyArray<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>,
  ) {
    const assignor = assignorByName(protocolName)
    if (!assignor)
      throw new TributaryError(
        'TRB_GROUP_INCONSISTENT_PROTOCOL',
        `the group chose assignor ${protocolName}, which this member does not know`,
      )
    const subscribers: AssignorMember[] = members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      topics: decodeSubscription(m.metadata).topics,
    }))
    this.assignedCounts = await this.partitionCounts(new Set(subscribers.flatMap((m) => m.topics)))
    const plan = assignor.assign(subscribers, this.assignedCounts)
    return [...plan].map(([memberId, topics]) => ({ memberId, assignment: encodeAssignment(topics) }))
  }

  private async partitionCounts(topics: Iterable<string>): Promise<Map<string, number>> {
    const counts = new Map<string, number>()
    for (const topic of topics) {
      const count = await this.log.partitionCount(topic)
      if (count !== undefined) counts.set(topic, count)
    }
    return counts
  }

  /** Adopts a new assignment: kept partitions keep their position, new ones start from the committed offset. */
  private async take(assignment: Map<string, number[]>): Promise<void> {
    const next: TopicPartition[] = [...assignment].flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })))
    const keep = new Set(next.map((tp) => key(tp.topic, tp.partition)))
    for (const slot of [...this.positions.keys()]) if (!keep.has(slot)) this.positions.delete(slot)
    const fresh = next.filter((tp) => !this.positions.has(key(tp.topic, tp.partition)))
    const stored = fresh.length === 0 ? [] : await this.coordinator.fetchOffsets(this.groupId, fresh)
    const committed = new Map(stored.map((c) => [key(c.topic, c.partition), c.offset]))
    for (const { topic, partition } of fresh) {
      const slot = key(topic, partition)
      this.positions.set(slot, committed.get(slot) ?? (await this.log.listOffset(topic, partition, this.options.autoOffsetReset)))
    }
    this.assigned = next
    this.nextPartition = 0
  }

  private async heartbeatLoop(): Promise<void> {
    const signal = this.stopped.signal
    while (!signal.aborted) {
      try {
        await this.clock.sleep(this.options.heartbeatIntervalMs, signal)
      } catch {
        return
      }
      if (this.needsRejoin || this.memberId === '') continue
      const generation = this.generationId
      try {
        await this.coordinator.heartbeat(this.groupId, this.memberId, generation, this.options.groupInstanceId)
        if (this.isLeader && (await this.partitionCountsChanged())) this.requestRejoin()
      } catch (error) {
        // A remote answer may come back after a poll rejoined: it speaks of a generation already left.
        if (this.needsRejoin || generation !== this.generationId) continue
        // The coordinator moving or out of reach says nothing of the membership, which the group
        // keeps through a coordinator failover: heartbeat again (its new coordinator) next time.
        if (isClusterMoving(error)) continue
        if (isTributaryError(error, 'TRB_GROUP_UNKNOWN_MEMBER')) this.memberId = ''
        this.requestRejoin()
      }
    }
  }

  private async partitionCountsChanged(): Promise<boolean> {
    const now = await this.partitionCounts(this.options.topics)
    return [...now].some(([topic, count]) => this.assignedCounts.get(topic) !== count)
  }

  /** Makes the next (or the waiting) poll rejoin the group. */
  private requestRejoin(): void {
    this.needsRejoin = true
    this.wakeup.abort()
  }

  private assertOpen(): void {
    if (this.stopped.signal.aborted) throw new TributaryError('TRB_LOG_CLOSED', `consumer of group ${this.groupId} is closed`)
  }
}
