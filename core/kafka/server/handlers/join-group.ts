/**
 * JoinGroup: hands the request to the group coordinator the in-process consumers use, so wire and
 * in-process members share groups. The answer may wait for the other members to join (up to the
 * rebalance timeout); only this connection waits, since each connection is served on its own.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeJoinGroupRequest,
  encodeJoinGroupResponse,
  joinGroupVersions,
  type JoinGroupResponse,
} from '../../protocol/apis/join-group.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import type { ConnectionInfo } from '../connection-info.ts'
import { responseErrorCode } from '../response-error-code.ts'
import { requireGroup } from '../auth/can.ts'

export const joinGroupHandler = defineHandler({
  apiKey: ApiKey.JoinGroup,
  versions: joinGroupVersions,
  decodeRequest: decodeJoinGroupRequest,
  handle: async (request, context): Promise<JoinGroupResponse> => {
    const failed = (errorCode: number, memberId: string): JoinGroupResponse => ({
      throttleTimeMs: 0,
      errorCode,
      generationId: -1,
      protocolType: null,
      protocolName: null,
      leader: '',
      skipAssignment: false,
      memberId,
      members: [],
    })
    try {
      requireGroup(context, 'Read', request.groupId)
      const coordinator = await context.broker.groups()
      const joined = await coordinator.joinGroup({
        groupId: request.groupId,
        memberId: request.memberId,
        groupInstanceId: request.groupInstanceId,
        clientId: context.header.clientId ?? '',
        clientHost: clientHostOf(context.connection),
        sessionTimeoutMs: request.sessionTimeoutMs,
        // v0 has no rebalance timeout: Kafka waits for the session timeout instead.
        rebalanceTimeoutMs: request.rebalanceTimeoutMs < 0 ? request.sessionTimeoutMs : request.rebalanceTimeoutMs,
        protocolType: request.protocolType,
        protocols: request.protocols,
        requireKnownMemberId: context.header.apiVersion >= 4,
      })
      if (joined.memberIdRequired) return failed(KafkaError.MEMBER_ID_REQUIRED, joined.memberId)
      return {
        throttleTimeMs: 0,
        errorCode: KafkaError.NONE,
        generationId: joined.generationId,
        protocolType: joined.protocolType,
        protocolName: joined.protocolName,
        leader: joined.leaderId,
        skipAssignment: joined.skipAssignment === true,
        memberId: joined.memberId,
        members: joined.members,
      }
    } catch (error) {
      return failed(responseErrorCode(error, context), request.memberId)
    }
  },
  encodeResponse: encodeJoinGroupResponse,
})

/** Kafka's form of a member's host in DescribeGroups: "/" and the address, without the port. */
function clientHostOf(connection: ConnectionInfo): string {
  const remote = connection.remoteAddress
  return `/${remote.slice(0, remote.lastIndexOf(':'))}`
}
