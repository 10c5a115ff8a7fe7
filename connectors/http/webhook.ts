/**
 * The webhook half of `http-source`: turns a request into records (a JSON object → one, a JSON array
 * → one each, NDJSON → one per line, text → one string) and answers 200 only once they are durable.
 */
import http from 'node:http'
import { timingSafeEqual } from 'node:crypto'
import type { IngressHandler, IngressRequest, SourceRecord } from '../../core/runtime/plugin.ts'
import type { HttpSourceConfig } from './config.ts'
import type { WebhookQueue } from './webhook-queue.ts'

function reply(status: number, message: string): { status: number; body: unknown } {
  return { status, body: { error_code: status, message } }
}

function parseBody(request: IngressRequest): unknown[] | string {
  const type = (request.headers['content-type'] ?? 'application/json').split(';')[0]?.trim().toLowerCase()
  const text = request.body.toString('utf8')
  if (type === 'text/plain') return [text]
  try {
    if (type === 'application/x-ndjson' || type === 'application/jsonl') {
      return text.split('\n').filter((line) => line.trim().length > 0).map((line) => JSON.parse(line) as unknown)
    }
    const parsed = JSON.parse(text) as unknown
    return Array.isArray(parsed) ? parsed : [parsed]
  } catch (error) {
    return `body is not valid JSON: ${(error as Error).message}`
  }
}

export function webhookHandler(connector: string, config: HttpSourceConfig, queue: WebhookQueue, nextSequence: () => number): IngressHandler {
  const expected = config['auth.token'] === undefined ? undefined : Buffer.from(`Bearer ${config['auth.token']}`)
  return async (request) => {
    if (expected !== undefined) {
      const given = Buffer.from(request.headers.authorization ?? '')
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply(401, 'missing or wrong bearer token')
    }
    const items = parseBody(request)
    if (typeof items === 'string') return reply(400, items)
    const headerKey = config['key.header'] === undefined ? undefined : request.headers[config['key.header'].toLowerCase()]
    const copied = Object.fromEntries((config['headers.include'] ?? []).flatMap((name) => {
      const value = request.headers[name.toLowerCase()]
      return value === undefined ? [] : [[name, value]]
    }))
    const records = items.map((item): SourceRecord => {
      const fieldKey = config['key.field'] !== undefined && item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[config['key.field']] : undefined
      const key = fieldKey ?? headerKey ?? null
      return { topic: config.topic, key: key === null ? null : String(key), value: item, headers: copied, sourcePartition: { connector }, sourceOffset: { received: nextSequence() } }
    })
    const accepted = queue.offer(records)
    if (accepted === undefined) return { status: 429, body: { error_code: 429, message: 'too many records waiting; retry later' } }
    return (await accepted) ? { status: 200, body: { accepted: records.length } } : reply(503, 'the connector stopped before the records were stored; retry')
  }
}

/** Serves the handler on its own port (`listen.port`), reading at most `maxBodyBytes`. */
export function serveWebhook(handler: IngressHandler, host: string, port: number, maxBodyBytes: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 && { 'retry-after': '1' }) }).end(body === undefined ? undefined : JSON.stringify(body))
    }
    if (req.method !== 'POST') return send(405, { error_code: 405, message: 'POST records here' })
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBodyBytes) {
        send(413, { error_code: 413, message: `body larger than ${maxBodyBytes} bytes` })
        req.destroy()
      } else chunks.push(chunk)
    })
    req.on('end', () => {
      if (size > maxBodyBytes) return
      const abort = new AbortController()
      res.once('close', () => abort.abort())
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]))
      handler({ body: Buffer.concat(chunks), headers, query: {} }, abort.signal).then(
        (answer) => send(answer.status, answer.body),
        (error: unknown) => send(500, { error_code: 500, message: (error as Error).message }),
      )
    })
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(server))
  })
}
