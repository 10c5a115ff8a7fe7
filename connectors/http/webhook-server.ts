/**
 * The webhook on its own port (`listen.port`), for when it should not share the REST port: POST on
 * one path, the bearer token when one is set, bodies up to a limit, the handler's reply as JSON with
 * its headers. Closing answers the requests still in hand before the connections are cut.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { WebhookHandler, WebhookReply } from './webhook-handler.ts'

export interface WebhookServerOptions {
  readonly host: string
  readonly port: number
  readonly path: string
  readonly maxBodyBytes: number
  /** Requests must carry `Authorization: Bearer <token>`. */
  readonly token?: string | undefined
}

export interface WebhookServer {
  readonly port: number
  /** Stops listening, waits (briefly) for replies in progress, then closes every connection. */
  close(): Promise<void>
}

const CLOSE_GRACE_MS = 2000

export async function serveWebhook(handler: WebhookHandler, options: WebhookServerOptions): Promise<WebhookServer> {
  const matches = options.token === undefined ? () => true : tokenMatcher(options.token)
  const inProgress = new Set<Promise<void>>()
  const server = http.createServer((req, res) => {
    const done = new Promise<void>((resolve) => res.once('close', resolve))
    inProgress.add(done)
    void done.then(() => inProgress.delete(done))
    handle(req, res, handler, options, matches)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      let timer: NodeJS.Timeout | undefined
      await Promise.race([Promise.all(inProgress), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))])
      clearTimeout(timer)
      server.closeAllConnections()
      await closed
    },
  }
}

function send(res: http.ServerResponse, reply: WebhookReply): void {
  if (res.headersSent || res.destroyed) return
  const body = reply.body === undefined ? undefined : JSON.stringify(reply.body)
  res.writeHead(reply.status, { ...(body !== undefined && { 'content-type': 'application/json' }), ...reply.headers })
  res.end(body)
}

function refuse(res: http.ServerResponse, status: number, message: string, headers?: Record<string, string>): void {
  send(res, { status, body: { error_code: status, message }, ...(headers !== undefined && { headers }) })
}

/** Compares HMAC digests, so neither the content nor the length of the token shows in the time taken. */
function tokenMatcher(token: string): (authorization: string | undefined) => boolean {
  const key = randomBytes(32)
  const digest = (text: string) => createHmac('sha256', key).update(text).digest()
  const expected = digest(token)
  return (authorization) => timingSafeEqual(digest(/^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '')?.[1] ?? ''), expected)
}

function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  handler: WebhookHandler,
  options: WebhookServerOptions,
  matches: (authorization: string | undefined) => boolean,
): void {
  const url = new URL(req.url ?? '/', 'http://webhook')
  if (url.pathname !== options.path) {
    refuse(res, 404, `nothing here; POST records to ${options.path}`)
    return
  }
  if (req.method !== 'POST') {
    refuse(res, 405, 'POST records here', { allow: 'POST' })
    return
  }
  if (!matches(req.headers.authorization)) {
    refuse(res, 401, "missing or wrong bearer token: send Authorization: Bearer <the connector's auth.token>", {
      'www-authenticate': 'Bearer',
    })
    return
  }
  const tooLarge = () => {
    refuse(res, 413, `body larger than ${options.maxBodyBytes} bytes`, { connection: 'close' })
    res.once('finish', () => req.destroy())
  }
  if (Number(req.headers['content-length'] ?? 0) > options.maxBodyBytes) {
    tooLarge()
    return
  }

  const chunks: Buffer[] = []
  let size = 0
  req.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size > options.maxBodyBytes) {
      if (!res.headersSent) tooLarge()
    } else chunks.push(chunk)
  })
  req.on('end', () => {
    if (size > options.maxBodyBytes) return
    const aborted = new AbortController()
    res.once('close', () => {
      if (!res.writableFinished) aborted.abort()
    })
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]),
    )
    const query = Object.fromEntries(url.searchParams)
    handler({ body: Buffer.concat(chunks), headers, query }, aborted.signal).then(
      (reply) => send(res, reply),
      (error: unknown) => refuse(res, 500, (error as Error).message),
    )
  })
}
