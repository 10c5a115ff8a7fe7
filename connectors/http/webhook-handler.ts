/**
 * The webhook half of `http-source`: turns the body into records and answers 200 `{accepted: n}` only
 * once all of them are durable. Failures answer `{error_code, message}`: 400 bad body, 415 a body type
 * it does not read, 429 queue full, 503 the task stopped first (send again). The bearer token is
 * checked before the handler runs, by the server that took the request (the REST API, or
 * webhook-server.ts on a port of its own).
 */
import type { Clock, IngressRequest, IngressResponse, SourceRecord } from '../../core/runtime/plugin.ts'
import type { HttpSourceConfig } from './source-config.ts'
import { parseWebhookBody } from './webhook-body.ts'
import type { WebhookQueue } from './webhook-queue.ts'

/** An ingress response with headers to send (Retry-After, WWW-Authenticate) where the server supports them. */
export interface WebhookReply extends IngressResponse {
  readonly headers?: Readonly<Record<string, string>>
}

export type WebhookHandler = (request: IngressRequest, signal: AbortSignal) => Promise<WebhookReply>

export interface WebhookHandlerOptions {
  readonly connector: string
  readonly config: HttpSourceConfig
  readonly queue: WebhookQueue
  readonly clock: Clock
  /** The next `received` offset: increasing, unique within the task. */
  readonly nextSequence: () => number
}

const RETRY_AFTER_SECONDS = '1'

function refuse(status: number, message: string, headers?: Record<string, string>): WebhookReply {
  return { status, body: { error_code: status, message }, ...(headers !== undefined && { headers }) }
}

export function webhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const { config, queue } = options
  const keyField = config['key.field']
  const keyHeader = config['key.header']?.toLowerCase()
  const partition = { connector: options.connector }

  return async (request, signal) => {
    const parsed = parseWebhookBody(request.body, request.headers['content-type'])
    if (!parsed.ok) return refuse(parsed.status, parsed.message)

    const headerKey = keyHeader === undefined ? undefined : request.headers[keyHeader]
    const headers: Record<string, string> = {}
    for (const name of config['headers.include'] ?? []) {
      const value = request.headers[name.toLowerCase()]
      if (value !== undefined) headers[name] = value
    }
    const timestamp = options.clock.now()
    const records = parsed.items.map((item): SourceRecord => {
      const fieldKey =
        keyField !== undefined && item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[keyField] : undefined
      return {
        topic: config.topic,
        key: fieldKey ?? headerKey ?? null,
        value: item,
        headers,
        timestamp,
        sourcePartition: partition,
        sourceOffset: { received: options.nextSequence() },
      }
    })

    const fate = queue.offer(records, signal)
    if (fate === undefined) {
      return refuse(429, `${queue.size} records are waiting to be stored; retry later`, { 'retry-after': RETRY_AFTER_SECONDS })
    }
    if ((await fate) === 'dropped') {
      return refuse(503, 'the connector stopped before the records were stored; send them again', { 'retry-after': RETRY_AFTER_SECONDS })
    }
    return { status: 200, body: { accepted: records.length } }
  }
}
