/**
 * The group calls a member makes (core/log/groups/group-membership.ts), sent to the group's
 * coordinator on a Kafka cluster through kafkajs's broker client. Each call takes a connection of its
 * own from a pool kept apart from reads, so a heartbeat never waits behind a long Fetch or a JoinGroup
 * held open by a rebalance. Broker refusals come back as the in-process coordinator's codes
 * (kafka-error.ts reads Kafka's code through core/errors.ts's table), so the member's rejoin logic is
 * the same on both logs. A coordinator that moved or is loading is looked up again and the call retried.
 */
import { TributaryError } from '../../errors.ts'
import type { TopicPartition } from '../../log/log.ts'
import type { GroupMembership } from '../../log/groups/group-membership.ts'
import type { JoinGroupRequest, OffsetCommit, SyncGroupRequest } from '../../log/groups/group-requests.ts'
import type { JoinGroupResult } from '../../log/groups/group-state.ts'
import type { BrokerConnections } from './broker-connections.ts'
import { fromKafkaError } from './kafka-error.ts'
import type { BrokerAddress, KafkajsBroker } from './kafkajs-broker.ts'

/** FindCoordinator's key type for consumer groups. */
const GROUP_COORDINATOR = 0
const MAX_ATTEMPTS = 5
const RETRY_BACKOFF_MS = 100

export class KafkaGroupMembership implements GroupMembership {
  private readonly connections: BrokerConnections
  private readonly seedBroker: () => Promise<BrokerAddress>
  private readonly coordinators = new Map<string, BrokerAddress>()

  /** `connections` should be a pool of its own; `seedBroker` names any broker to ask FindCoordinator. */
  constructor(connections: BrokerConnections, seedBroker: () => Promise<BrokerAddress>) {
    this.connections = connections
    this.seedBroker = seedBroker
  }

  async joinGroup(request: JoinGroupRequest): Promise<JoinGroupResult> {
    if (request.groupInstanceId) throw staticMembershipUnsupported(request.groupId)
    try {
      const joined = await this.call(request.groupId, 'joining', (broker) =>
        broker.joinGroup({
          groupId: request.groupId,
          sessionTimeout: request.sessionTimeoutMs,
          rebalanceTimeout: request.rebalanceTimeoutMs,
          memberId: request.memberId,
          protocolType: request.protocolType,
          groupProtocols: request.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
        }),
      )
      return {
        generationId: joined.generationId,
        // JoinGroup answers the protocol type only from v7; it is the one the member asked for.
        protocolType: request.protocolType,
        protocolName: joined.groupProtocol,
        leaderId: joined.leaderId,
        memberId: joined.memberId,
        members: joined.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId ?? null,
          metadata: m.memberMetadata,
        })),
      }
    } catch (error) {
      // KIP-394: kafkajs joins again once with the id it was given; if told again, the member does.
      const required = (error as { cause?: { name?: string; memberId?: string } }).cause
      if (required?.name !== 'KafkaJSMemberIdRequired' || !required.memberId) throw error
      return {
        generationId: -1,
        protocolType: request.protocolType,
        protocolName: '',
        leaderId: '',
        memberId: required.memberId,
        members: [],
        memberIdRequired: true,
      }
    }
  }

  async syncGroup(request: SyncGroupRequest): Promise<Buffer> {
    if (request.groupInstanceId) throw staticMembershipUnsupported(request.groupId)
    const synced = await this.call(request.groupId, 'syncing', (broker) =>
      broker.syncGroup({
        groupId: request.groupId,
        generationId: request.generationId,
        memberId: request.memberId,
        groupAssignment: (request.assignments ?? []).map((a) => ({ memberId: a.memberId, memberAssignment: a.assignment })),
      }),
    )
    return synced.memberAssignment ?? Buffer.alloc(0)
  }

  async heartbeat(groupId: string, memberId: string, generationId: number): Promise<void> {
    await this.call(groupId, 'heartbeating in', (broker) => broker.heartbeat({ groupId, groupGenerationId: generationId, memberId }))
  }

  async leaveGroup(groupId: string, memberId: string): Promise<void> {
    await this.call(groupId, 'leaving', (broker) => broker.leaveGroup({ groupId, memberId }))
  }

  async commitOffsets(groupId: string, memberId: string, generationId: number, commits: readonly OffsetCommit[]): Promise<void> {
    if (commits.length === 0) return
    const topics = byTopic(commits, (c) => ({ partition: c.partition, offset: String(c.offset) }))
    await this.call(groupId, 'committing offsets of', (broker) =>
      broker.offsetCommit({ groupId, groupGenerationId: generationId, memberId, topics }),
    )
  }

  async fetchOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<Array<TopicPartition & { offset: number }>> {
    if (partitions.length === 0) return []
    const topics = byTopic(partitions, (p) => ({ partition: p.partition }))
    const fetched = await this.call(groupId, 'fetching offsets of', (broker) => broker.offsetFetch({ groupId, topics }))
    // Kafka answers -1 for a partition with no committed offset.
    return fetched.responses.flatMap(({ topic, partitions: answers }) =>
      answers.filter((p) => Number(p.offset) >= 0).map((p) => ({ topic, partition: p.partition, offset: Number(p.offset) })),
    )
  }

  /** Runs one request against the group's coordinator, finding it first and again when it moved. */
  private async call<T>(groupId: string, what: string, request: (broker: KafkajsBroker) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.connections.with(await this.coordinatorOf(groupId), request)
      } catch (error) {
        const mapped = fromKafkaError(error, `${what} group ${groupId}`, { groupId })
        // Not answered, or not by the coordinator: look it up again.
        if (mapped.code !== 'TRB_LOG_UNAVAILABLE') throw mapped
        this.coordinators.delete(groupId)
        if (attempt >= MAX_ATTEMPTS) throw mapped
        await new Promise((resolve) => setTimeout(resolve, RETRY_BACKOFF_MS * attempt))
      }
    }
  }

  private async coordinatorOf(groupId: string): Promise<BrokerAddress> {
    const known = this.coordinators.get(groupId)
    if (known) return known
    const { coordinator } = await this.connections.with(await this.seedBroker(), (broker) =>
      broker.findGroupCoordinator({ groupId, coordinatorType: GROUP_COORDINATOR }),
    )
    const address = { host: coordinator.host, port: coordinator.port }
    this.coordinators.set(groupId, address)
    return address
  }
}

function byTopic<P extends TopicPartition, Q>(partitions: readonly P[], entry: (p: P) => Q): Array<{ topic: string; partitions: Q[] }> {
  const topics = new Map<string, Q[]>()
  for (const p of partitions) topics.set(p.topic, [...(topics.get(p.topic) ?? []), entry(p)])
  return [...topics].map(([topic, entries]) => ({ topic, partitions: entries }))
}

function staticMembershipUnsupported(groupId: string): TributaryError {
  return new TributaryError(
    'TRB_PROTOCOL_UNSUPPORTED',
    `static membership (groupInstanceId) is not available on KafkaLog: kafkajs's broker client does not send group.instance.id (group ${groupId})`,
    { details: { groupId } },
  )
}
