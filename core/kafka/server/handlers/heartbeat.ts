/** Heartbeat: keeps a member's session alive and tells it when the group is rebalancing. */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeHeartbeatRequest,
  encodeHeartbeatResponse,
  heartbeatVersions,
  type HeartbeatResponse,
} from '../../protocol/apis/heartbeat.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import { responseErrorCode } from '../response-error-code.ts'
import { requireGroup } from '../auth/can.ts'

export const heartbeatHandler = defineHandler({
  apiKey: ApiKey.Heartbeat,
  versions: heartbeatVersions,
  decodeRequest: decodeHeartbeatRequest,
  handle: async (request, context): Promise<HeartbeatResponse> => {
    try {
      requireGroup(context, 'Read', request.groupId)
      const coordinator = await context.broker.groups()
      coordinator.heartbeat(request.groupId, request.memberId, request.generationId, request.groupInstanceId)
      return { throttleTimeMs: 0, errorCode: KafkaError.NONE }
    } catch (error) {
      return { throttleTimeMs: 0, errorCode: responseErrorCode(error, context) }
    }
  },
  encodeResponse: encodeHeartbeatResponse,
})
