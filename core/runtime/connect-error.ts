/**
 * The error a connector throws when it cannot connect: its message names only the host:port and
 * the reason connect-failure.ts allows, and carries no cause (a task's status shows the cause's
 * text too); the driver's error goes to the worker's log for the operator.
 */
import { TributaryError, isTributaryError, type ErrorCode } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { connectFailureReason } from './connect-failure.ts'

export function connectError(code: ErrorCode, logger: Logger, target: { host: string; port: number }, error: unknown): TributaryError {
  if (isTributaryError(error, 'TRB_CONNECT_HOST_NOT_ALLOWED')) return error
  logger.warn({ err: error, host: target.host, port: target.port }, 'connection failed')
  const reason = connectFailureReason(error)
  return new TributaryError(code, `cannot connect to ${target.host}:${target.port}: ${reason}; the worker's log has the driver's error`, {
    retriable: true,
    details: { host: target.host, port: target.port, reason },
  })
}
