/**
 * The wire error code a handler answers with when serving a request failed. An application error (a
 * TributaryError with a Kafka code: unknown member, rebalancing, ...) goes back in the response and
 * the connection carries on; anything that maps to UNKNOWN_SERVER_ERROR is logged too, since the
 * client cannot tell anyone what went wrong.
 */
import { apiName } from '../protocol/api-keys.ts'
import { KafkaError, kafkaErrorCodeOf } from '../protocol/error-codes.ts'
import type { RequestContext } from './api-handler.ts'

export function responseErrorCode(error: unknown, context: RequestContext): number {
  const code = kafkaErrorCodeOf(error)
  if (code === KafkaError.UNKNOWN_SERVER_ERROR) {
    context.broker.logger.error(
      { err: error, api: apiName(context.header.apiKey), connection: context.connection.remoteAddress },
      'a Kafka request failed unexpectedly; answering UNKNOWN_SERVER_ERROR',
    )
  }
  return code
}
