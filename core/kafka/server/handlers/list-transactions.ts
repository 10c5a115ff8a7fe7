/**
 * ListTransactions: the transactional ids the coordinator knows (the Admin client's
 * listTransactions, kafka-transactions.sh list and find-hanging), those the principal may describe
 * only, filtered as asked: by state (a state name it does not know comes back in
 * unknown_state_filters), by producer id, by how long the open transaction has run (v1+), and by a
 * regular expression the whole id must match (v2+; one that does not compile is INVALID_REQUEST).
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeListTransactionsRequest,
  encodeListTransactionsResponse,
  listTransactionsVersions,
  type ListTransactionsRequest,
  type ListTransactionsResponse,
} from '../../protocol/apis/list-transactions.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { TxnState, type TransactionMetadata } from '../../../log/transactions/transaction-state.ts'
import { defineHandler } from '../api-handler.ts'
import { canTransactionalId } from '../auth/can.ts'

const STATES: ReadonlySet<string> = new Set(Object.values(TxnState))

export const listTransactionsHandler = defineHandler({
  apiKey: ApiKey.ListTransactions,
  versions: listTransactionsVersions,
  decodeRequest: decodeListTransactionsRequest,
  handle: async (request: ListTransactionsRequest, context): Promise<ListTransactionsResponse> => {
    const unknownStateFilters = request.stateFilters.filter((state) => !STATES.has(state))
    let pattern: RegExp | undefined
    try {
      pattern = request.transactionalIdPattern ? new RegExp(`^(?:${request.transactionalIdPattern})$`, 'u') : undefined
    } catch {
      return { throttleTimeMs: 0, errorCode: KafkaError.INVALID_REQUEST, unknownStateFilters, transactionStates: [] }
    }
    const now = context.broker.log.clock.now()
    const isListed = (m: TransactionMetadata): boolean =>
      (request.stateFilters.length === 0 || request.stateFilters.includes(m.state)) &&
      (request.producerIdFilters.length === 0 || request.producerIdFilters.includes(m.producerId)) &&
      (request.durationFilter < 0 || (m.txnStartTimestamp >= 0 && now - m.txnStartTimestamp > request.durationFilter)) &&
      (pattern === undefined || pattern.test(m.transactionalId)) &&
      canTransactionalId(context, 'Describe', m.transactionalId)
    const transactionStates = (context.broker.log.openedTransactions?.list() ?? [])
      .filter(isListed)
      .map((m) => ({ transactionalId: m.transactionalId, producerId: m.producerId, transactionState: m.state }))
    return { throttleTimeMs: 0, errorCode: KafkaError.NONE, unknownStateFilters, transactionStates }
  },
  encodeResponse: encodeListTransactionsResponse,
})
