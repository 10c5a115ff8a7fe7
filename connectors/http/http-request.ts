/**
 * One HTTP request with a time limit, classified for retrying: 2xx is ok; 408, 429, 5xx, timeouts and
 * network errors are worth another try; anything else is the endpoint refusing what it was sent.
 * Stopping the task (its signal) rejects with TRB_ABORTED rather than counting as a failure.
 */
import { abortError, type Clock } from '../../core/clock.ts'

export interface HttpReply {
  readonly status: number
  readonly body: string
}

export interface RequestFailure {
  /** 0 when no response came (timeout, network error). */
  readonly status: number
  readonly retriable: boolean
  readonly message: string
  /** From a Retry-After header on 429 or 503. */
  readonly retryAfterMs: number | undefined
  readonly body: string
}

export type RequestOutcome = { readonly ok: true; readonly reply: HttpReply } | { readonly ok: false; readonly failure: RequestFailure }

export interface RequestInit {
  readonly method: 'GET' | 'POST'
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
}

export async function sendRequest(url: string, init: RequestInit, timeoutMs: number, signal: AbortSignal, clock: Clock): Promise<RequestOutcome> {
  const timeout = AbortSignal.timeout(timeoutMs)
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.any([signal, timeout]) })
    const body = await response.text()
    if (response.ok) return { ok: true, reply: { status: response.status, body } }
    const status = response.status
    const retryAfter = status === 429 || status === 503 ? retryAfterMs(response.headers.get('retry-after'), clock.now()) : undefined
    const retriable = status === 408 || status === 429 || status >= 500
    return { ok: false, failure: { status, retriable, message: `${init.method} ${url} answered ${status}${excerpt(body)}`, retryAfterMs: retryAfter, body } }
  } catch (error) {
    if (signal.aborted) throw abortError(signal)
    const reason = timeout.aborted ? `timed out after ${timeoutMs} ms` : `failed: ${describe(error)}`
    return { ok: false, failure: { status: 0, retriable: true, message: `${init.method} ${url} ${reason}`, retryAfterMs: undefined, body: '' } }
  }
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}

function excerpt(body: string): string {
  const text = body.trim()
  if (text === '') return ''
  return `: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`
}

/** undici hides the useful part (ECONNREFUSED) in the cause. */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error as Error).message
}
