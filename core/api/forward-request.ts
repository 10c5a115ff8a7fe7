/**
 * Distributed mode: a request about work another worker of the group runs goes to that worker, as
 * Kafka Connect forwards it, and its answer comes back unchanged. The forwarded copy carries
 * `forward=false`, so a worker that no longer runs the work (a rebalance moved it) answers itself
 * instead of sending the request round again.
 */
import type { Request, Response } from 'express'
import { TributaryError } from '../errors.ts'

/** Kafka Connect waits 90 s for a forwarded request; a restart or a webhook answers well within that. */
const FORWARD_TIMEOUT_MS = 90_000

/**
 * Headers not passed on: connection-level ones, which describe the hop, not the request; and the
 * browser's word on where the request came from, which this worker has already judged (origin-check.ts)
 * and which would read as another origin at the target.
 */
const NOT_FORWARDED = new Set([
  'host',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
  'origin',
  'referer',
  'sec-fetch-site',
  'sec-fetch-mode',
  'sec-fetch-dest',
  'sec-fetch-user',
])

export interface ForwardedAnswer {
  readonly status: number
  readonly contentType: string | null
  readonly body: Buffer
}

/** Whether this request may still be forwarded (it is not itself a forwarded copy). */
export function mayForward(req: Request): boolean {
  return req.query.forward !== 'false'
}

/** Sends the request to `workerId` (its advertised REST host:port) with `body` as its body. */
export async function forwardRequest(req: Request, workerId: string, body?: Buffer): Promise<ForwardedAnswer> {
  // Workers of a group share one TLS setup: a worker serving https forwards over https.
  const url = new URL(req.originalUrl, `${req.protocol}://${workerId}`)
  url.searchParams.set('forward', 'false')
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || NOT_FORWARDED.has(name)) continue
    headers.set(name, Array.isArray(value) ? value.join(', ') : value)
  }
  try {
    const response = await fetch(url, {
      method: req.method,
      headers,
      ...(body !== undefined && body.length > 0 && { body }),
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    })
    return { status: response.status, contentType: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) }
  } catch (error) {
    throw new TributaryError(
      'TRB_FORWARD_FAILED',
      `worker ${workerId} runs it but did not answer ${req.method} ${req.path}: ${(error as Error).message}`,
      {
        cause: error,
        details: { workerId },
      },
    )
  }
}

export function relayAnswer(res: Response, answer: ForwardedAnswer): void {
  res.status(answer.status)
  if (answer.contentType !== null) res.set('content-type', answer.contentType)
  if (answer.body.length === 0) res.end()
  else res.send(answer.body)
}
