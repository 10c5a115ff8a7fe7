/**
 * LeaveGroup: removes members at once instead of after their session timeout, so the rest rebalance
 * now. Each member of a v3+ batch succeeds or fails on its own; v0-2 name one member and answer
 * with its outcome.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeLeaveGroupRequest,
  encodeLeaveGroupResponse,
  leaveGroupVersions,
  type LeaveGroupResponse,
} from '../../protocol/apis/leave-group.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import type { GroupCoordinator } from '../../../log/groups/coordinator.ts'
import { defineHandler } from '../api-handler.ts'
import { responseErrorCode } from '../response-error-code.ts'
import { requireGroup } from '../auth/can.ts'

export const leaveGroupHandler = defineHandler({
  apiKey: ApiKey.LeaveGroup,
  versions: leaveGroupVersions,
  decodeRequest: decodeLeaveGroupRequest,
  handle: async (request, context): Promise<LeaveGroupResponse> => {
    let coordinator: GroupCoordinator
    try {
      requireGroup(context, 'Read', request.groupId)
      coordinator = await context.broker.groups()
    } catch (error) {
      return { throttleTimeMs: 0, errorCode: responseErrorCode(error, context), members: [] }
    }
    const members = request.members.map(({ memberId, groupInstanceId }) => {
      const member = { memberId, groupInstanceId }
      try {
        coordinator.leaveGroup(request.groupId, member.memberId, member.groupInstanceId)
        return { ...member, errorCode: KafkaError.NONE }
      } catch (error) {
        return { ...member, errorCode: responseErrorCode(error, context) }
      }
    })
    const errorCode = context.header.apiVersion < 3 ? (members[0]?.errorCode ?? KafkaError.NONE) : KafkaError.NONE
    return { throttleTimeMs: 0, errorCode, members }
  },
  encodeResponse: encodeLeaveGroupResponse,
})
