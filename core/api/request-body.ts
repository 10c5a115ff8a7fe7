/** Parses a request body with a zod schema; a mismatch is a 400 that names the field. */
import type { ZodType } from 'zod'
import { TributaryError } from '../errors.ts'

export function parseBody<T>(schema: ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
  throw new TributaryError('TRB_CONFIG_INVALID', `invalid ${what}: ${problems.join('; ')}`, { details: { problems } })
}
