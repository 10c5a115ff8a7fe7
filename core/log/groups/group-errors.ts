/** The coordinator's refusals, each a typed error whose code maps to Kafka's wire error. */
import { TributaryError } from '../../errors.ts'
import type { GroupState } from './group-state.ts'

export function validateGroupId(groupId: string): void {
  if (groupId.length === 0) throw new TributaryError('TRB_GROUP_INVALID_ID', 'the group id is empty')
}

export function unknownMember(groupId: string, memberId: string): TributaryError {
  return new TributaryError('TRB_GROUP_UNKNOWN_MEMBER', `member ${memberId || '(none)'} is not part of group ${groupId}`, {
    details: { groupId, memberId },
  })
}

export function illegalGeneration(group: GroupState, generationId: number): TributaryError {
  return new TributaryError(
    'TRB_GROUP_ILLEGAL_GENERATION',
    `generation ${generationId} is not group ${group.groupId}'s current generation ${group.generationId}`,
    { details: { groupId: group.groupId, generationId, current: group.generationId } },
  )
}

export function rebalancing(groupId: string): TributaryError {
  return new TributaryError('TRB_GROUP_REBALANCING', `group ${groupId} is rebalancing; rejoin`, { details: { groupId } })
}
