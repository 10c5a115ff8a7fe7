/**
 * FindCoordinator: this broker coordinates every consumer group, so a group key is answered with this
 * broker at the address the client reached it on. There is no transaction coordinator: a
 * transactional id gets COORDINATOR_NOT_AVAILABLE, which transactional producers treat as "not here".
 * Up to v3 the request names one key and the answer sits at the top level; from v4 each of the
 * batched keys gets its own answer.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  CoordinatorKeyType, decodeFindCoordinatorRequest, encodeFindCoordinatorResponse, findCoordinatorVersions, type Coordinator, type FindCoordinatorResponse,
} from '../../protocol/apis/find-coordinator.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler, type RequestContext } from '../api-handler.ts'
import { canGroup } from '../auth/can.ts'

export const findCoordinatorHandler = defineHandler({
  apiKey: ApiKey.FindCoordinator,
  versions: findCoordinatorVersions,
  decodeRequest: decodeFindCoordinatorRequest,
  handle: async (request, context): Promise<FindCoordinatorResponse> => {
    if (context.header.apiVersion >= 4) {
      const coordinators = request.coordinatorKeys.map((key) => coordinatorFor(key, request.keyType, context))
      return { throttleTimeMs: 0, errorCode: KafkaError.NONE, errorMessage: null, nodeId: -1, host: '', port: -1, coordinators }
    }
    const { nodeId, host, port, errorCode, errorMessage } = coordinatorFor(request.key, request.keyType, context)
    return { throttleTimeMs: 0, errorCode, errorMessage, nodeId, host, port, coordinators: [] }
  },
  encodeResponse: encodeFindCoordinatorResponse,
})

function coordinatorFor(key: string, keyType: number, context: RequestContext): Coordinator {
  if (keyType === CoordinatorKeyType.Group) {
    if (!canGroup(context, 'Describe', key)) {
      return { key, nodeId: -1, host: '', port: -1, errorCode: KafkaError.GROUP_AUTHORIZATION_FAILED, errorMessage: `not authorized to describe group ${key}` }
    }
    const { host, port } = context.broker.addressFor(context.connection)
    return { key, nodeId: context.broker.nodeId, host, port, errorCode: KafkaError.NONE, errorMessage: null }
  }
  const [errorCode, errorMessage] = keyType === CoordinatorKeyType.Transaction
    ? [KafkaError.COORDINATOR_NOT_AVAILABLE, 'this broker has no transaction coordinator']
    : [KafkaError.INVALID_REQUEST, `unknown coordinator key type ${keyType}`]
  return { key, nodeId: -1, host: '', port: -1, errorCode, errorMessage }
}
