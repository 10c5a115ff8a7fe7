/** The errors a mysql-cdc task raises, with the driver's code and errno of their cause in their details. */
import { sourceErrorFor } from '../../cdc-envelope/source-error.ts'

/** Driver errors that no retry can fix: wrong credentials or grants. */
const PERMANENT = new Set([
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_SPECIFIC_ACCESS_DENIED_ERROR',
  'ER_TABLEACCESS_DENIED_ERROR',
])

export const sourceError = sourceErrorFor({
  codes(cause) {
    const { code, errno } = (cause ?? {}) as { code?: unknown; errno?: unknown }
    return { ...(typeof code === 'string' && { code }), ...(typeof errno === 'number' && { errno }) }
  },
  isPermanent(cause) {
    const code = (cause as { code?: unknown } | undefined)?.code
    return typeof code === 'string' && PERMANENT.has(code)
  },
})
