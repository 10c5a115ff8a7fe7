/**
 * InitProducerId: ids for idempotent producers (KIP-98), and epoch bumps for those that lost track
 * of their sequences (KIP-360, v3+). Transactions are not supported: a transactional id is answered
 * UNSUPPORTED_VERSION, which is what Kafka answered when its cluster could not yet run transactions
 * (and, unlike COORDINATOR_NOT_AVAILABLE, it is not retriable, so the client fails at once).
 */
import { TributaryError } from '../../../errors.ts'
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeInitProducerIdRequest, encodeInitProducerIdResponse, initProducerIdVersions,
  type InitProducerIdRequest, type InitProducerIdResponse,
} from '../../protocol/apis/init-producer-id.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'

export const initProducerIdHandler = defineHandler({
  apiKey: ApiKey.InitProducerId,
  // v5 (TRANSACTION_ABORTABLE) and v6 (two-phase commit) belong with transactions, which are not served yet.
  versions: { ...initProducerIdVersions, max: 4 },
  decodeRequest: decodeInitProducerIdRequest,
  handle: async (request: InitProducerIdRequest, { broker, header, connection }): Promise<InitProducerIdResponse> => {
    if (request.transactionalId === '') return refuse(KafkaError.INVALID_REQUEST)
    if (request.transactionalId !== null) {
      broker.logger.warn({ connection: connection.remoteAddress, clientId: header.clientId, transactionalId: request.transactionalId },
        'refused a transactional producer: transactions are not supported')
      return refuse(KafkaError.UNSUPPORTED_VERSION)
    }
    const { producerId, producerEpoch } = request
    if (producerId === -1 && producerEpoch === -1) return granted(broker.producers.allocateProducerId(), 0)
    // Kafka's rule: an id without an epoch, or an epoch without an id, is malformed.
    if (producerId === -1 || producerEpoch === -1) return refuse(KafkaError.INVALID_REQUEST)
    try {
      const bumped = broker.producers.bumpEpoch(producerId, producerEpoch)
      return granted(bumped.producerId, bumped.producerEpoch)
    } catch (error) {
      if (!(error instanceof TributaryError) || error.code !== 'TRB_PRODUCER_FENCED') throw error
      // PRODUCER_FENCED exists from v4; older clients know it as INVALID_PRODUCER_EPOCH.
      return refuse(header.apiVersion >= 4 ? KafkaError.PRODUCER_FENCED : KafkaError.INVALID_PRODUCER_EPOCH)
    }
  },
  encodeResponse: encodeInitProducerIdResponse,
})

function granted(producerId: number, producerEpoch: number): InitProducerIdResponse {
  return { throttleTimeMs: 0, errorCode: KafkaError.NONE, producerId, producerEpoch, ongoingTxnProducerId: -1, ongoingTxnProducerEpoch: -1 }
}

function refuse(errorCode: number): InitProducerIdResponse {
  return { throttleTimeMs: 0, errorCode, producerId: -1, producerEpoch: -1, ongoingTxnProducerId: -1, ongoingTxnProducerEpoch: -1 }
}
