/**
 * InitProducerId: ids for idempotent producers (KIP-98), epoch bumps for those that lost track of
 * their sequences (KIP-360, v3+), and for a transactional id, its producer id and next epoch from
 * the transaction coordinator, which fences the id's older producer and aborts a transaction it
 * left open. Served up to v5; v6 (KIP-939 two-phase commit, unstable in Kafka) is not advertised.
 */
import { TributaryError } from '../../../errors.ts'
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeInitProducerIdRequest,
  encodeInitProducerIdResponse,
  initProducerIdVersions,
  type InitProducerIdRequest,
  type InitProducerIdResponse,
} from '../../protocol/apis/init-producer-id.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler, type RequestContext } from '../api-handler.ts'
import { canTransactionalId } from '../auth/can.ts'
import { transactionErrorCode } from '../transaction-error-code.ts'

/** The first version that knows PRODUCER_FENCED; older ones are told INVALID_PRODUCER_EPOCH. */
const FENCED_FROM = 4

export const initProducerIdHandler = defineHandler({
  apiKey: ApiKey.InitProducerId,
  versions: { ...initProducerIdVersions, max: 5 },
  decodeRequest: decodeInitProducerIdRequest,
  handle: async (request: InitProducerIdRequest, context): Promise<InitProducerIdResponse> => {
    const { producerId, producerEpoch } = request
    // Kafka's rules: an empty transactional id, an id without an epoch or an epoch without an id is malformed.
    if (request.transactionalId === '' || (producerId === -1) !== (producerEpoch === -1)) return refuse(KafkaError.INVALID_REQUEST)
    try {
      if (request.transactionalId !== null) return await initTransactional(request, request.transactionalId, context)
      if (producerId === -1) return granted(await context.broker.producers.allocateProducerId(), 0)
      const bumped = await context.broker.producers.bumpEpoch(producerId, producerEpoch)
      return granted(bumped.producerId, bumped.producerEpoch)
    } catch (error) {
      if (!(error instanceof TributaryError)) throw error
      return refuse(transactionErrorCode(error, context, FENCED_FROM))
    }
  },
  encodeResponse: encodeInitProducerIdResponse,
})

async function initTransactional(
  request: InitProducerIdRequest,
  transactionalId: string,
  context: RequestContext,
): Promise<InitProducerIdResponse> {
  if (!canTransactionalId(context, 'Write', transactionalId)) return refuse(KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
  const coordinator = await context.broker.log.transactions()
  const ids = await coordinator.initProducerId(transactionalId, request.transactionTimeoutMs, {
    producerId: request.producerId,
    producerEpoch: request.producerEpoch,
  })
  return granted(ids.producerId, ids.producerEpoch)
}

function granted(producerId: number, producerEpoch: number): InitProducerIdResponse {
  return { throttleTimeMs: 0, errorCode: KafkaError.NONE, producerId, producerEpoch, ongoingTxnProducerId: -1, ongoingTxnProducerEpoch: -1 }
}

function refuse(errorCode: number): InitProducerIdResponse {
  return { throttleTimeMs: 0, errorCode, producerId: -1, producerEpoch: -1, ongoingTxnProducerId: -1, ongoingTxnProducerEpoch: -1 }
}
