/**
 * DescribeGroups: each group's state, protocol and members. As Kafka does, the chosen protocol and
 * the members' metadata and assignments are given only while the group is Stable, and a group that
 * does not exist is described as Dead rather than as an error, or from v6 is GROUP_ID_NOT_FOUND with
 * Kafka's message (the Java admin then throws GroupIdNotFoundException).
 */
import { isTributaryError } from '../../../errors.ts'
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  AUTHORIZED_OPERATIONS_OMITTED,
  decodeDescribeGroupsRequest,
  describeGroupsVersions,
  encodeDescribeGroupsResponse,
  type DescribedGroup,
  type DescribeGroupsResponse,
} from '../../protocol/apis/describe-groups.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import type { GroupCoordinator } from '../../../log/groups/coordinator.ts'
import { defineHandler } from '../api-handler.ts'
import { responseErrorCode } from '../response-error-code.ts'
import { requireGroup } from '../auth/can.ts'

/** With no ACLs, every group operation is allowed: READ (3), DELETE (6) and DESCRIBE (8). */
const GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8)
const EMPTY = Buffer.alloc(0)

export const describeGroupsHandler = defineHandler({
  apiKey: ApiKey.DescribeGroups,
  versions: describeGroupsVersions,
  decodeRequest: decodeDescribeGroupsRequest,
  handle: async (request, context): Promise<DescribeGroupsResponse> => {
    const authorizedOperations = request.includeAuthorizedOperations ? GROUP_OPERATIONS : AUTHORIZED_OPERATIONS_OMITTED
    const without = (groupId: string, errorCode: number, groupState: string, errorMessage: string | null = null): DescribedGroup => ({
      errorCode,
      errorMessage,
      groupId,
      groupState,
      protocolType: '',
      protocolData: '',
      members: [],
      authorizedOperations,
    })
    let coordinator: GroupCoordinator
    try {
      coordinator = await context.broker.groups()
    } catch (error) {
      const errorCode = responseErrorCode(error, context)
      return { throttleTimeMs: 0, groups: request.groups.map((groupId) => without(groupId, errorCode, '')) }
    }
    const groups = request.groups.map((groupId): DescribedGroup => {
      try {
        requireGroup(context, 'Describe', groupId)
        const group = coordinator.describeGroup(groupId)
        const isStable = group.state === 'Stable'
        return {
          errorCode: KafkaError.NONE,
          errorMessage: null,
          groupId,
          groupState: group.state,
          protocolType: group.protocolType,
          protocolData: isStable ? group.protocolName : '',
          members: group.members.map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            clientId: m.clientId,
            clientHost: m.clientHost,
            memberMetadata: isStable ? m.metadata : EMPTY,
            memberAssignment: isStable ? m.assignment : EMPTY,
          })),
          authorizedOperations,
        }
      } catch (error) {
        if (isTributaryError(error, 'TRB_GROUP_NOT_FOUND')) {
          return context.header.apiVersion >= 6
            ? without(groupId, KafkaError.GROUP_ID_NOT_FOUND, 'Dead', `Group ${groupId} not found.`)
            : without(groupId, KafkaError.NONE, 'Dead')
        }
        return without(groupId, responseErrorCode(error, context), '')
      }
    })
    return { throttleTimeMs: 0, groups }
  },
  encodeResponse: encodeDescribeGroupsResponse,
})
