/**
 * FindCoordinator: this broker coordinates every consumer group and every transactional id, so
 * either key is answered with this broker at the address the client reached it on. The first
 * transactional key opens the transaction coordinator (creating `__transaction_state`).
 * Up to v3 the request names one key and the answer sits at the top level; from v4 each of the
 * batched keys gets its own answer.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  CoordinatorKeyType,
  decodeFindCoordinatorRequest,
  encodeFindCoordinatorResponse,
  findCoordinatorVersions,
  type Coordinator,
  type FindCoordinatorResponse,
} from '../../protocol/apis/find-coordinator.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler, type RequestContext } from '../api-handler.ts'
import { canGroup, canTransactionalId } from '../auth/can.ts'

export const findCoordinatorHandler = defineHandler({
  apiKey: ApiKey.FindCoordinator,
  versions: findCoordinatorVersions,
  decodeRequest: decodeFindCoordinatorRequest,
  handle: async (request, context): Promise<FindCoordinatorResponse> => {
    if (context.header.apiVersion >= 4) {
      const coordinators = await Promise.all(request.coordinatorKeys.map((key) => coordinatorFor(key, request.keyType, context)))
      return { throttleTimeMs: 0, errorCode: KafkaError.NONE, errorMessage: null, nodeId: -1, host: '', port: -1, coordinators }
    }
    const { nodeId, host, port, errorCode, errorMessage } = await coordinatorFor(request.key, request.keyType, context)
    return { throttleTimeMs: 0, errorCode, errorMessage, nodeId, host, port, coordinators: [] }
  },
  encodeResponse: encodeFindCoordinatorResponse,
})

async function coordinatorFor(key: string, keyType: number, context: RequestContext): Promise<Coordinator> {
  if (keyType === CoordinatorKeyType.Group) {
    if (!canGroup(context, 'Describe', key))
      return refused(key, KafkaError.GROUP_AUTHORIZATION_FAILED, `not authorized to describe group ${key}`)
  } else if (keyType === CoordinatorKeyType.Transaction) {
    if (!canTransactionalId(context, 'Describe', key))
      return refused(key, KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, `not authorized to describe transactional id ${key}`)
    await context.broker.log.transactions()
  } else {
    return refused(key, KafkaError.INVALID_REQUEST, `unknown coordinator key type ${keyType}`)
  }
  const { host, port } = context.broker.addressFor(context.connection)
  return { key, nodeId: context.broker.nodeId, host, port, errorCode: KafkaError.NONE, errorMessage: null }
}

function refused(key: string, errorCode: number, errorMessage: string): Coordinator {
  return { key, nodeId: -1, host: '', port: -1, errorCode, errorMessage }
}
