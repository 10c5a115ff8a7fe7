/**
 * The one shape of a CDC source's failures. A read failure is TRB_SOURCE_READ: the connector's words
 * followed by the driver's message, the driver's own codes in the details, and retriable unless the
 * driver's classifier calls it permanent, since only the connector knows which of its driver's codes
 * no retry fixes. A TributaryError passes through as it is: whoever threw it decided already. A
 * stored position the server no longer holds is TRB_SOURCE_POSITION_LOST, never retriable.
 */
import { TributaryError } from '../../core/runtime/plugin.ts'

/** What one driver's errors say about themselves. */
export interface DriverErrors {
  /** The cause's codes to keep in the details: `{ sqlstate }`, `{ code, errno }`. */
  codes(cause: unknown): Record<string, unknown>
  /** True when no retry can help: wrong credentials, missing grants, a statement the server refuses. */
  isPermanent(cause: unknown): boolean
}

export type SourceError = (message: string, cause: unknown, details?: Record<string, unknown>) => TributaryError

export function sourceErrorFor(driver: DriverErrors): SourceError {
  return (message, cause, details = {}) => {
    if (cause instanceof TributaryError) return cause
    return new TributaryError('TRB_SOURCE_READ', `${message}: ${(cause as Error | undefined)?.message ?? String(cause)}`, {
      cause,
      retriable: !driver.isPermanent(cause),
      details: { ...details, ...driver.codes(cause) },
    })
  }
}

/** The source no longer holds the changes after the stored offset: no restart brings them back. */
export function positionLost(message: string, details: Record<string, unknown>): TributaryError {
  return new TributaryError('TRB_SOURCE_POSITION_LOST', message, { retriable: false, details })
}
