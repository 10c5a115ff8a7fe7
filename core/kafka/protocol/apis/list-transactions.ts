/**
 * ListTransactions (key 66), versions 0-2; flexible from 0. The Admin client's listTransactions (and
 * kafka-transactions.sh list, find-hanging): the transactional ids a coordinator knows, filtered.
 *
 * ListTransactions Request (Version: 0-2) => [state_filters:string] [producer_id_filters:int64]
 *   duration_filter:int64(1+) transactional_id_pattern:nullable_string(2+) TAG_BUFFER
 * ListTransactions Response (Version: 0-2) => throttle_time_ms error_code [unknown_state_filters:string]
 *   [transaction_states] TAG_BUFFER
 *   transaction_states => transactional_id producer_id:int64 transaction_state:string TAG_BUFFER
 * Empty filters match everything; duration_filter (KIP-994) keeps transactions open longer than it
 * (ms), -1 for all; transactional_id_pattern (KIP-1152) is a regular expression, null or "" for all.
 * Filters a version lacks decode as those defaults. The response is the same in every version.
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const listTransactionsVersions = { min: 0, max: 2, flexibleFrom: 0 } as const

export interface ListTransactionsRequest {
  readonly stateFilters: readonly string[]
  readonly producerIdFilters: readonly number[]
  /** v1+. */
  readonly durationFilter: number
  /** v2+. */
  readonly transactionalIdPattern: string | null
}

export interface ListedTransaction {
  readonly transactionalId: string
  readonly producerId: number
  readonly transactionState: string
}

export interface ListTransactionsResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
  readonly unknownStateFilters: readonly string[]
  readonly transactionStates: readonly ListedTransaction[]
}

export function decodeListTransactionsRequest(r: KafkaReader, v: number): ListTransactionsRequest {
  const stateFilters = r.array((s) => s.string())
  const producerIdFilters = r.array((p) => p.int64())
  const durationFilter = v >= 1 ? r.int64() : -1
  const transactionalIdPattern = v >= 2 ? r.nullableString() : null
  r.taggedFields()
  return { stateFilters, producerIdFilters, durationFilter, transactionalIdPattern }
}

export function encodeListTransactionsRequest(w: KafkaWriter, v: number, request: ListTransactionsRequest): void {
  w.array(request.stateFilters, (s, state) => s.string(state))
  w.array(request.producerIdFilters, (p, id) => p.int64(id))
  if (v >= 1) w.int64(request.durationFilter)
  if (v >= 2) w.nullableString(request.transactionalIdPattern)
  w.taggedFields()
}

export function encodeListTransactionsResponse(w: KafkaWriter, _v: number, response: ListTransactionsResponse): void {
  w.int32(response.throttleTimeMs).int16(response.errorCode)
  w.array(response.unknownStateFilters, (s, state) => s.string(state))
  w.array(response.transactionStates, (t, txn) =>
    t.string(txn.transactionalId).int64(txn.producerId).string(txn.transactionState).taggedFields(),
  )
  w.taggedFields()
}

export function decodeListTransactionsResponse(r: KafkaReader): ListTransactionsResponse {
  const throttleTimeMs = r.int32()
  const errorCode = r.int16()
  const unknownStateFilters = r.array((s) => s.string())
  const transactionStates = r.array((t): ListedTransaction => {
    const txn = { transactionalId: t.string(), producerId: t.int64(), transactionState: t.string() }
    t.taggedFields()
    return txn
  })
  r.taggedFields()
  return { throttleTimeMs, errorCode, unknownStateFilters, transactionStates }
}
