/**
 * The admin view of consumer groups over the Log seam: list, describe with lag, alter offsets,
 * delete. Kafka's AdminClient calls, answered from the coordinator and the log ends.
 */
import type { ConsumerGroupDescription, ConsumerGroupListing, Log, TopicPartition } from '../log.ts'
import { decodeAssignment } from './consumer-protocol.ts'
import type { GroupCoordinator } from './coordinator.ts'

export function listGroups(coordinator: GroupCoordinator): ConsumerGroupListing[] {
  return coordinator
    .listGroups()
    .map(({ groupId, state }) => ({ groupId, state, members: coordinator.describeGroup(groupId).members.length }))
}

export async function describeGroup(coordinator: GroupCoordinator, log: Log, groupId: string): Promise<ConsumerGroupDescription> {
  const group = coordinator.describeGroup(groupId)
  const offsets = await Promise.all(
    coordinator.fetchOffsets(groupId).map(async ({ topic, partition, offset }) => {
      const logEndOffset = await log.listOffset(topic, partition, 'latest').catch(() => offset)
      return { topic, partition, offset, logEndOffset, lag: Math.max(0, logEndOffset - offset) }
    }),
  )
  offsets.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
  return {
    groupId,
    state: group.state,
    members: group.members.length,
    assignor: group.protocolName,
    memberships: group.members.map((member) => ({
      memberId: member.memberId,
      clientId: member.clientId,
      assignment: assignmentPartitions(member.assignment),
    })),
    offsets,
  }
}

function assignmentPartitions(assignment: Buffer): TopicPartition[] {
  if (assignment.length === 0) return []
  return [...decodeAssignment(assignment)].flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })))
}
