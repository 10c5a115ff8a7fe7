/**
 * ListGroups: every group this broker coordinates, optionally only those in some states (v4+) or of
 * some types (v5+). Every group here is a classic group (JoinGroup/SyncGroup, or only committed
 * offsets), as Kafka types both.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeListGroupsRequest,
  encodeListGroupsResponse,
  listGroupsVersions,
  type ListGroupsResponse,
} from '../../protocol/apis/list-groups.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import { responseErrorCode } from '../response-error-code.ts'
import { canGroup } from '../auth/can.ts'

/** Kafka's name for the group type of the JoinGroup/SyncGroup protocol (its GroupType.CLASSIC). */
const CLASSIC_GROUP_TYPE = 'classic'

export const listGroupsHandler = defineHandler({
  apiKey: ApiKey.ListGroups,
  versions: listGroupsVersions,
  decodeRequest: decodeListGroupsRequest,
  handle: async (request, context): Promise<ListGroupsResponse> => {
    try {
      const coordinator = await context.broker.groups()
      // Kafka matches states without regard to case (KIP-518).
      const states = new Set(request.statesFilter.map((s) => s.toLowerCase()))
      const types = new Set(request.typesFilter.map((t) => t.toLowerCase()))
      if (types.size > 0 && !types.has(CLASSIC_GROUP_TYPE)) return { throttleTimeMs: 0, errorCode: KafkaError.NONE, groups: [] }
      const groups = coordinator
        .listGroups()
        .filter((g) => states.size === 0 || states.has(g.state.toLowerCase()))
        // As Kafka lists them: only the groups this principal may describe.
        .filter((g) => canGroup(context, 'Describe', g.groupId))
        .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.state, groupType: CLASSIC_GROUP_TYPE }))
      return { throttleTimeMs: 0, errorCode: KafkaError.NONE, groups }
    } catch (error) {
      return { throttleTimeMs: 0, errorCode: responseErrorCode(error, context), groups: [] }
    }
  },
  encodeResponse: encodeListGroupsResponse,
})
