/** The errors a postgres-cdc task raises, with the SQLSTATE of their cause in their details. */
import { sourceErrorFor } from '../../cdc-envelope/source-error.ts'

function sqlstateOf(cause: unknown): string | undefined {
  const code = (cause as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? code : undefined
}

/** SQLSTATE class 42, syntax error or access rule violation (a missing grant, an unknown table), is permanent. */
export const sourceError = sourceErrorFor({
  codes(cause) {
    const sqlstate = sqlstateOf(cause)
    return sqlstate === undefined ? {} : { sqlstate }
  },
  isPermanent: (cause) => sqlstateOf(cause)?.startsWith('42') ?? false,
})
