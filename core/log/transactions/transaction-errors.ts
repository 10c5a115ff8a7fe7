/** The transaction coordinator's refusals, each a typed error whose code maps to Kafka's wire error. */
import { TributaryError } from '../../errors.ts'
import type { TransactionMetadata } from './transaction-state.ts'

export function unknownProducerIdMapping(transactionalId: string, producerId: number): TributaryError {
  return new TributaryError(
    'TRB_TXN_PRODUCER_ID_MAPPING',
    `transactional id ${transactionalId} does not hold producer id ${producerId}; call InitProducerId first`,
    { details: { transactionalId, producerId } },
  )
}

export function producerFenced(metadata: TransactionMetadata, producerEpoch: number): TributaryError {
  return new TributaryError(
    'TRB_PRODUCER_FENCED',
    `transactional id ${metadata.transactionalId}: producer ${metadata.producerId} epoch ${producerEpoch} is not the current epoch ${metadata.producerEpoch}; a newer producer took it over or its transaction timed out`,
    {
      details: {
        transactionalId: metadata.transactionalId,
        producerId: metadata.producerId,
        epoch: producerEpoch,
        current: metadata.producerEpoch,
      },
    },
  )
}

export function invalidTxnState(metadata: TransactionMetadata, what: string): TributaryError {
  return new TributaryError('TRB_TXN_INVALID_STATE', `transactional id ${metadata.transactionalId} is ${metadata.state}: cannot ${what}`, {
    details: { transactionalId: metadata.transactionalId, state: metadata.state },
  })
}

export function concurrentTransactions(metadata: TransactionMetadata): TributaryError {
  return new TributaryError(
    'TRB_TXN_CONCURRENT',
    `transactional id ${metadata.transactionalId} is ${metadata.state}: its last transaction is still completing; retry`,
    { details: { transactionalId: metadata.transactionalId, state: metadata.state } },
  )
}

export function invalidTimeout(timeoutMs: number, maxTimeoutMs: number): TributaryError {
  return new TributaryError(
    'TRB_TXN_INVALID_TIMEOUT',
    `transaction.timeout.ms ${timeoutMs} is outside [1, ${maxTimeoutMs}] (transaction.max.timeout.ms)`,
    { details: { timeoutMs, maxTimeoutMs } },
  )
}
