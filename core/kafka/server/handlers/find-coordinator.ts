/**
 * FindCoordinator: this broker coordinates every consumer group, so a group key is answered with this
 * broker at the address the client reached it on. There is no transaction coordinator: a
 * transactional id gets COORDINATOR_NOT_AVAILABLE, which transactional producers treat as "not here".
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  CoordinatorKeyType, decodeFindCoordinatorRequest, encodeFindCoordinatorResponse, findCoordinatorVersions, type FindCoordinatorResponse,
} from '../../protocol/apis/find-coordinator.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'

export const findCoordinatorHandler = defineHandler({
  apiKey: ApiKey.FindCoordinator,
  versions: findCoordinatorVersions,
  decodeRequest: decodeFindCoordinatorRequest,
  handle: async (request, context): Promise<FindCoordinatorResponse> => {
    if (request.keyType === CoordinatorKeyType.Group) {
      const { localAddress: host, localPort: port } = context.connection
      return { throttleTimeMs: 0, errorCode: KafkaError.NONE, errorMessage: null, nodeId: context.broker.nodeId, host, port }
    }
    const [errorCode, errorMessage] = request.keyType === CoordinatorKeyType.Transaction
      ? [KafkaError.COORDINATOR_NOT_AVAILABLE, 'this broker has no transaction coordinator']
      : [KafkaError.INVALID_REQUEST, `unknown coordinator key type ${request.keyType}`]
    return { throttleTimeMs: 0, errorCode, errorMessage, nodeId: -1, host: '', port: -1 }
  },
  encodeResponse: encodeFindCoordinatorResponse,
})
