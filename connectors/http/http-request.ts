/**
 * One HTTP request with a time limit, classified for retrying: 2xx is ok; 408, 429, 5xx, timeouts and
 * network errors are worth another try; anything else is the endpoint refusing what it was sent.
 * Stopping the task (its signal) rejects with TRB_ABORTED rather than counting as a failure.
 *
 * The host goes through the worker's sandbox first (`--connect-allowed-hosts`, refused with
 * TRB_CONNECT_HOST_NOT_ALLOWED), and the connection is made to the addresses it checked, never to a
 * second DNS answer. Redirects are not followed (one could lead anywhere). A connection that fails is
 * described only as refused, unreachable, timed out or a protocol mismatch, and an error answer
 * without its body; the rest goes to the worker's log.
 */
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import type { LookupFunction } from 'node:net'
import {
  isTributaryError,
  abortError,
  connectFailureReason,
  type Clock,
  type ConnectPolicy,
  type Logger,
} from '../../core/runtime/plugin.ts'

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

/** What a request needs of its task: the sandbox, the clock for Retry-After, the log for what failed. */
export interface RequestContext {
  readonly policy: ConnectPolicy
  readonly clock: Clock
  readonly logger: Logger
}

export async function sendRequest(
  url: string,
  init: RequestInit,
  timeoutMs: number,
  signal: AbortSignal,
  context: RequestContext,
): Promise<RequestOutcome> {
  const timeout = AbortSignal.timeout(timeoutMs)
  const target = new URL(url)
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80)
  try {
    const addresses = await context.policy.checkHost(target.hostname, port)
    const response = await exchange(target, init, addresses, AbortSignal.any([signal, timeout]))
    const { status, body } = response
    if (status >= 200 && status < 300) return { ok: true, reply: { status, body } }
    const header = response.headers['retry-after']
    const retryAfter =
      status === 429 || status === 503 ? retryAfterMs(typeof header === 'string' ? header : null, context.clock.now()) : undefined
    const retriable = status === 408 || status === 429 || status >= 500
    // The body stays out of the message, which a task's status shows: the worker's log has it.
    context.logger.warn({ host: target.host, status, body: excerpt(body) }, 'HTTP request answered with an error')
    return {
      ok: false,
      failure: { status, retriable, message: `${init.method} ${url} answered ${status}`, retryAfterMs: retryAfter, body },
    }
  } catch (error) {
    if (signal.aborted) throw abortError(signal)
    if (isTributaryError(error, 'TRB_CONNECT_HOST_NOT_ALLOWED')) throw error
    context.logger.warn({ err: error, host: target.host }, 'HTTP request failed')
    const reason = timeout.aborted ? `timed out after ${timeoutMs} ms` : `failed: ${connectFailureReason(error)}`
    return {
      ok: false,
      failure: { status: 0, retriable: true, message: `${init.method} ${url} ${reason}`, retryAfterMs: undefined, body: '' },
    }
  }
}

interface Exchanged {
  readonly status: number
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

function exchange(url: URL, init: RequestInit, addresses: readonly string[], signal: AbortSignal): Promise<Exchanged> {
  const client = url.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      { method: init.method, headers: init.headers, signal, lookup: pinnedLookup(addresses) },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('error', reject)
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
        )
      },
    )
    request.on('error', reject)
    request.end(init.body)
  })
}

/** A lookup that answers with the addresses the sandbox checked, whatever DNS says now. */
function pinnedLookup(addresses: readonly string[]): LookupFunction {
  const all = addresses.map((address) => ({ address, family: net.isIPv6(address) ? 6 : 4 }))
  return (_hostname, options, callback) => {
    const fitting = all.filter((entry) => !options.family || entry.family === options.family)
    const chosen = fitting.length > 0 ? fitting : all
    if (options.all) (callback as unknown as (error: null, addresses: typeof all) => void)(null, chosen)
    else callback(null, chosen[0]?.address ?? '', chosen[0]?.family ?? 4)
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
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}
