/** The errors a mysql-cdc task raises, with the driver's code and errno of their cause in their details. */
import { TributaryError } from '../../core/runtime/plugin.ts'

/** Driver errors that no retry can fix: wrong credentials or grants. */
const PERMANENT = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_SPECIFIC_ACCESS_DENIED_ERROR', 'ER_TABLEACCESS_DENIED_ERROR'])

export function sourceError(message: string, cause: unknown, details: Record<string, unknown> = {}): TributaryError {
  if (cause instanceof TributaryError) return cause
  const code = (cause as { code?: unknown } | undefined)?.code
  const errno = (cause as { errno?: unknown } | undefined)?.errno
  return new TributaryError('TRB_SOURCE_READ', `${message}: ${(cause as Error | undefined)?.message ?? String(cause)}`, {
    cause,
    retriable: !(typeof code === 'string' && PERMANENT.has(code)),
    details: { ...details, ...(typeof code === 'string' && { code }), ...(typeof errno === 'number' && { errno }) },
  })
}
