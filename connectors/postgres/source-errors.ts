/** The errors a postgres-cdc task raises, with the SQLSTATE of their cause in their details. */
import { TributaryError } from '../../core/runtime/plugin.ts'

/** The slot no longer holds the changes after the stored offset: no restart brings them back. */
export function positionLost(message: string, slot: string): TributaryError {
  return new TributaryError('TRB_SOURCE_POSITION_LOST', message, { retriable: false, details: { slot } })
}

export function sourceError(message: string, cause: unknown, retriable: boolean, details: Record<string, unknown> = {}): TributaryError {
  const sqlstate = (cause as { code?: unknown } | undefined)?.code
  return new TributaryError('TRB_SOURCE_READ', message, { cause, retriable, details: { ...details, ...(typeof sqlstate === 'string' && { sqlstate }) } })
}
