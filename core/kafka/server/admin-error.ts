/**
 * The error of one topic or resource in an admin request. Admin requests answer each topic on its
 * own, so a failure is put in the response and never closes the connection: a TributaryError goes
 * out as its wire code and message; anything else is logged and answered UNKNOWN_SERVER_ERROR.
 */
import { TributaryError } from '../../errors.ts'
import { KafkaError, kafkaErrorCodeOf } from '../protocol/error-codes.ts'
import type { Broker } from './broker.ts'

export interface AdminError {
  readonly errorCode: number
  readonly errorMessage: string
}

export function adminError(error: unknown, broker: Broker, details: Readonly<Record<string, unknown>>): AdminError {
  if (error instanceof TributaryError) return { errorCode: kafkaErrorCodeOf(error), errorMessage: error.message }
  broker.logger.error({ err: error, ...details }, 'a Kafka admin request failed unexpectedly')
  return { errorCode: KafkaError.UNKNOWN_SERVER_ERROR, errorMessage: 'unexpected server error; see the broker log' }
}
