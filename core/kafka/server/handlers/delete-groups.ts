/** DeleteGroups: removes empty groups and their committed offsets, each group on its own. */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeDeleteGroupsRequest,
  deleteGroupsVersions,
  encodeDeleteGroupsResponse,
  type DeleteGroupsResponse,
} from '../../protocol/apis/delete-groups.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import { responseErrorCode } from '../response-error-code.ts'
import { requireGroup } from '../auth/can.ts'

export const deleteGroupsHandler = defineHandler({
  apiKey: ApiKey.DeleteGroups,
  versions: deleteGroupsVersions,
  decodeRequest: decodeDeleteGroupsRequest,
  handle: async (request, context): Promise<DeleteGroupsResponse> => {
    const results: Array<{ groupId: string; errorCode: number }> = []
    for (const groupId of request.groupsNames) {
      try {
        requireGroup(context, 'Delete', groupId)
        const coordinator = await context.broker.groups()
        await coordinator.deleteGroup(groupId)
        results.push({ groupId, errorCode: KafkaError.NONE })
      } catch (error) {
        results.push({ groupId, errorCode: responseErrorCode(error, context) })
      }
    }
    return { throttleTimeMs: 0, results }
  },
  encodeResponse: encodeDeleteGroupsResponse,
})
