/**
 * AddOffsetsToTxn: a transactional producer names the consumer group whose offsets it will commit
 * in the transaction (sendOffsetsToTransaction); the group's `__consumer_offsets` partition joins
 * the transaction, so its marker decides those commits. The principal must be allowed to write the
 * transactional id and read the group, as Kafka asks.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  addOffsetsToTxnVersions,
  decodeAddOffsetsToTxnRequest,
  encodeAddOffsetsToTxnResponse,
  type AddOffsetsToTxnRequest,
  type AddOffsetsToTxnResponse,
} from '../../protocol/apis/add-offsets-to-txn.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import { canGroup, canTransactionalId } from '../auth/can.ts'
import { transactionErrorCode } from '../transaction-error-code.ts'

/** The first version that knows PRODUCER_FENCED. */
const FENCED_FROM = 2

export const addOffsetsToTxnHandler = defineHandler({
  apiKey: ApiKey.AddOffsetsToTxn,
  versions: addOffsetsToTxnVersions,
  decodeRequest: decodeAddOffsetsToTxnRequest,
  handle: async (request: AddOffsetsToTxnRequest, context): Promise<AddOffsetsToTxnResponse> => {
    const answer = (errorCode: number): AddOffsetsToTxnResponse => ({ throttleTimeMs: 0, errorCode })
    if (!canTransactionalId(context, 'Write', request.transactionalId)) return answer(KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
    if (!canGroup(context, 'Read', request.groupId)) return answer(KafkaError.GROUP_AUTHORIZATION_FAILED)
    try {
      await (await context.broker.log.transactions()).addOffsets(request.transactionalId, request, request.groupId)
      return answer(KafkaError.NONE)
    } catch (error) {
      return answer(transactionErrorCode(error, context, FENCED_FROM))
    }
  },
  encodeResponse: encodeAddOffsetsToTxnResponse,
})
