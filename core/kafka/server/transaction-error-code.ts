/**
 * The wire error code a transactional request is answered with. A fenced producer is
 * PRODUCER_FENCED from the version of each API that knows that code (Kafka added it in 2.7);
 * older versions, and clients that sent them, know it as INVALID_PRODUCER_EPOCH.
 */
import { isTributaryError } from '../../errors.ts'
import { KafkaError } from '../protocol/error-codes.ts'
import type { RequestContext } from './api-handler.ts'
import { responseErrorCode } from './response-error-code.ts'

export function transactionErrorCode(error: unknown, context: RequestContext, fencedFromVersion: number): number {
  if (isTributaryError(error, 'TRB_PRODUCER_FENCED')) {
    return context.header.apiVersion >= fencedFromVersion ? KafkaError.PRODUCER_FENCED : KafkaError.INVALID_PRODUCER_EPOCH
  }
  return responseErrorCode(error, context)
}
