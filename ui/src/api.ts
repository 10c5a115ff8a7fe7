/** Calls to the worker's REST API from the page, with the bearer token when one is stored. */
import { storedToken } from './token.ts'

/** `unauthorized`: a token is needed or wrong; `unreachable`: no answer; `refused`: any other error status. */
export type ApiErrorCode = 'unauthorized' | 'unreachable' | 'refused'

export class ApiError extends Error {
  readonly code: ApiErrorCode
  readonly status: number | undefined

  constructor(code: ApiErrorCode, message: string, status?: number) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.status = status
  }
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = storedToken()
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(token !== null && { authorization: `Bearer ${token}` }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    })
  } catch (error) {
    throw new ApiError('unreachable', `the worker did not answer: ${(error as Error).message}`)
  }
  const answer = parseJson(await response.text())
  if (response.ok) return answer as T
  const message = (answer as { message?: unknown } | undefined)?.message
  throw new ApiError(
    response.status === 401 ? 'unauthorized' : 'refused',
    typeof message === 'string' ? message : `HTTP ${response.status}`,
    response.status,
  )
}

/** A proxy's HTML error page is not JSON; its status still tells what happened. */
function parseJson(text: string): unknown {
  try {
    return text.length > 0 ? JSON.parse(text) : undefined
  } catch {
    return undefined
  }
}
