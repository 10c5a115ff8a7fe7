/**
 * SyncGroup: the leader hands in every member's assignment and each member gets its own back; a
 * follower's answer waits for the leader's sync.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeSyncGroupRequest,
  encodeSyncGroupResponse,
  syncGroupVersions,
  type SyncGroupResponse,
} from '../../protocol/apis/sync-group.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import { responseErrorCode } from '../response-error-code.ts'
import { requireGroup } from '../auth/can.ts'

export const syncGroupHandler = defineHandler({
  apiKey: ApiKey.SyncGroup,
  versions: syncGroupVersions,
  decodeRequest: decodeSyncGroupRequest,
  handle: async (request, context): Promise<SyncGroupResponse> => {
    try {
      requireGroup(context, 'Read', request.groupId)
      const coordinator = await context.broker.groups()
      const synced = coordinator.syncGroup(request)
      // syncGroup has checked the generation by now, and a generation's protocol never changes.
      const { protocolType, protocolName } = coordinator.describeGroup(request.groupId)
      const assignment = await synced
      return { throttleTimeMs: 0, errorCode: KafkaError.NONE, protocolType, protocolName, assignment }
    } catch (error) {
      return {
        throttleTimeMs: 0,
        errorCode: responseErrorCode(error, context),
        protocolType: null,
        protocolName: null,
        assignment: Buffer.alloc(0),
      }
    }
  },
  encodeResponse: encodeSyncGroupResponse,
})
