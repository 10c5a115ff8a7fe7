/**
 * EndTxn: commits or aborts the producer's open transaction. The coordinator stores the decision,
 * writes a marker to every partition of the transaction and stores the completed state before this
 * answers, so the producer's next transaction never races its last one's markers. Served up to v4:
 * v5 (KIP-890 part 2) bumps the epoch at every transaction's end, which comes with transaction
 * version 2, not advertised here.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeEndTxnRequest,
  encodeEndTxnResponse,
  endTxnVersions,
  type EndTxnRequest,
  type EndTxnResponse,
} from '../../protocol/apis/end-txn.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import { canTransactionalId } from '../auth/can.ts'
import { transactionErrorCode } from '../transaction-error-code.ts'

/** The first version that knows PRODUCER_FENCED. */
const FENCED_FROM = 2

export const endTxnHandler = defineHandler({
  apiKey: ApiKey.EndTxn,
  versions: { ...endTxnVersions, max: 4 },
  decodeRequest: decodeEndTxnRequest,
  handle: async (request: EndTxnRequest, context): Promise<EndTxnResponse> => {
    const answer = (errorCode: number): EndTxnResponse => ({ throttleTimeMs: 0, errorCode, producerId: -1, producerEpoch: -1 })
    if (!canTransactionalId(context, 'Write', request.transactionalId)) return answer(KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
    try {
      await (await context.broker.log.transactions()).endTransaction(request.transactionalId, request, request.committed)
      return answer(KafkaError.NONE)
    } catch (error) {
      return answer(transactionErrorCode(error, context, FENCED_FROM))
    }
  },
  encodeResponse: encodeEndTxnResponse,
})
