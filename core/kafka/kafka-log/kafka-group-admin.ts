/**
 * Consumer groups through kafkajs's admin client: list, describe with lag, alter offsets, delete.
 * Offsets are altered as Kafka's AdminClient alters them, with an OffsetCommit from outside the
 * group (generation -1) sent to its coordinator (through KafkaGroupMembership): kafkajs's setOffsets joins the group to commit,
 * which costs a rebalance. kafkajs has no OffsetDelete, so removing a partition's committed offset
 * (a null in alterGroupOffsets) is refused.
 */
import kafkajs, { type Admin } from 'kafkajs'
import { TributaryError } from '../../errors.ts'
import type { ConsumerGroupDescription, ConsumerGroupListing, TopicPartition } from '../../log/log.ts'
import { fromKafkaError } from './kafka-error.ts'
import type { KafkaGroupMembership } from './kafka-group-membership.ts'

const { AssignerProtocol } = kafkajs

export class KafkaGroupAdmin {
  private readonly admin: Admin
  private readonly membership: KafkaGroupMembership

  constructor(admin: Admin, membership: KafkaGroupMembership) {
    this.admin = admin
    this.membership = membership
  }

  async listGroups(): Promise<ConsumerGroupListing[]> {
    try {
      const { groups } = await this.admin.listGroups()
      const ids = groups.filter((group) => group.protocolType === 'consumer' || group.protocolType === '').map((group) => group.groupId)
      if (ids.length === 0) return []
      const described = await this.admin.describeGroups(ids)
      return described.groups
        .map((group) => ({ groupId: group.groupId, state: group.state, members: group.members.length }))
        .sort((a, b) => a.groupId.localeCompare(b.groupId))
    } catch (error) {
      throw fromKafkaError(error, 'listing groups')
    }
  }

  async describeGroup(groupId: string): Promise<ConsumerGroupDescription> {
    try {
      const [group] = (await this.admin.describeGroups([groupId])).groups
      const committed = await this.admin.fetchOffsets({ groupId })
      if (!group || (group.state === 'Dead' && committed.every((topic) => topic.partitions.length === 0))) {
        throw new TributaryError('TRB_GROUP_NOT_FOUND', `group ${groupId} does not exist`, { details: { groupId } })
      }
      const offsets = []
      for (const { topic, partitions } of committed) {
        const ends = new Map((await this.admin.fetchTopicOffsets(topic).catch(() => [])).map((p) => [p.partition, Number(p.high)]))
        for (const { partition, offset } of partitions) {
          const at = Number(offset)
          if (at < 0) continue
          const logEndOffset = ends.get(partition) ?? at
          offsets.push({ topic, partition, offset: at, logEndOffset, lag: Math.max(0, logEndOffset - at) })
        }
      }
      offsets.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
      return {
        groupId,
        state: group.state,
        members: group.members.length,
        assignor: group.protocol,
        memberships: group.members.map((member) => ({
          memberId: member.memberId,
          clientId: member.clientId,
          assignment: assignmentOf(member.memberAssignment),
        })),
        offsets,
      }
    } catch (error) {
      throw fromKafkaError(error, `describing group ${groupId}`, { groupId })
    }
  }

  async alterGroupOffsets(groupId: string, offsets: ReadonlyArray<TopicPartition & { readonly offset: number | null }>): Promise<void> {
    if (offsets.some((change) => change.offset === null)) {
      throw new TributaryError(
        'TRB_PROTOCOL_UNSUPPORTED',
        'removing a committed offset needs OffsetDelete, which kafkajs does not offer; set an offset instead',
        { details: { groupId } },
      )
    }
    const commits = offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset: offset! }))
    try {
      // A live member would have its positions changed under it, as EmbeddedLog refuses too.
      const [group] = (await this.admin.describeGroups([groupId])).groups
      if (group && group.members.length > 0) {
        throw new TributaryError(
          'TRB_GROUP_NOT_EMPTY',
          `group ${groupId} has ${group.members.length} members; stop them before altering offsets`,
          { details: { groupId } },
        )
      }
    } catch (error) {
      throw fromKafkaError(error, `altering the offsets of group ${groupId}`, { groupId })
    }
    await this.membership.commitOffsets(groupId, '', -1, commits)
  }

  async deleteGroup(groupId: string): Promise<void> {
    try {
      await this.admin.deleteGroups([groupId])
    } catch (error) {
      throw fromKafkaError(error, `deleting group ${groupId}`, { groupId })
    }
  }
}

function assignmentOf(raw: Buffer): TopicPartition[] {
  if (raw.length === 0) return []
  const decoded = AssignerProtocol.MemberAssignment.decode(raw)
  if (!decoded) return []
  return Object.entries(decoded.assignment).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })))
}
