/** Config schemas of the HTTP connectors (flat string maps, as Kafka Connect configs are). */
import { z } from 'zod'

const bool = z.enum(['true', 'false']).transform((value) => value === 'true')
const list = z.string().transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))

export const durationMs = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(String(value).trim())
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration like 500ms, 30s, 5m, 1h` })
    return z.NEVER
  }
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(match[2] ?? 'ms') as 'ms']
  return Math.round(Number(match[1]) * factor)
})

export const httpSourceConfig = z.object({
  topic: z.string().min(1).describe('Topic the records go to'),
  mode: z.enum(['webhook', 'poll']).default('webhook').describe('webhook: receive POSTs; poll: GET a URL on a schedule'),
  'auth.token': z.string().optional().describe('webhook: require Authorization: Bearer <token>'),
  'max.body.bytes': z.coerce.number().int().min(1).default(1024 * 1024).describe('webhook: largest request body accepted (413 above)'),
  'max.pending.records': z.coerce.number().int().min(1).default(10_000).describe('webhook: records waiting for durability before new requests get 429'),
  'key.field': z.string().optional().describe('webhook: field of each JSON record used as the key'),
  'key.header': z.string().optional().describe('webhook: request header used as the key'),
  'headers.include': list.optional().describe('webhook: request headers copied onto each record, comma separated'),
  'listen.port': z.coerce.number().int().min(0).max(65_535).optional().describe('webhook: serve on this port instead of POST /ingest/<connector> on the REST port'),
  'listen.host': z.string().default('127.0.0.1').describe('webhook: address for listen.port'),
  url: z.string().url().optional().describe('poll: the URL to GET; headers.<Name>=<value> keys add request headers'),
  schedule: z.string().optional().describe('poll: cron expression (node-cron, seconds field optional)'),
  interval: durationMs.optional().describe('poll: fixed interval such as 30s, instead of schedule'),
  'items.path': z.string().optional().describe('poll: dotted path to the array of items in the response'),
  'cursor.field': z.string().optional().describe('poll: increasing item field (id, updated_at); only items beyond the stored cursor are emitted'),
  'request.timeout.ms': z.coerce.number().int().min(1).default(30_000).describe('poll: request timeout'),
  'retry.max': z.coerce.number().int().min(0).default(5).describe('poll: attempts before the task reports a failure'),
  'poll.max.ms': z.coerce.number().int().min(10).default(1000).describe('Longest a poll waits for records'),
  'batch.size': z.coerce.number().int().min(1).default(1000).describe('Most records per poll'),
}).passthrough()

export type HttpSourceConfig = z.infer<typeof httpSourceConfig>

export const httpSinkConfig = z.object({
  url: z.string().url().describe('Where batches are POSTed; headers.<Name>=<value> keys add request headers'),
  'auth.token': z.string().optional().describe('Sent as Authorization: Bearer <token>'),
  'batch.size': z.coerce.number().int().min(1).default(500).describe('Records per request; 1 sends each alone'),
  'request.timeout.ms': z.coerce.number().int().min(1).default(30_000).describe('Request timeout'),
  'retry.max': z.coerce.number().int().min(0).default(5).describe('Retries of a 5xx, 429, timeout or network failure'),
  'retry.backoff.ms': z.coerce.number().int().min(1).default(200).describe('First retry delay; doubles'),
  'retry.backoff.max.ms': z.coerce.number().int().min(1).default(30_000).describe('Longest retry delay'),
  envelope: bool.default(false).describe('Send {topic, partition, offset, key, value} objects instead of bare values'),
}).passthrough()

export type HttpSinkConfig = z.infer<typeof httpSinkConfig>

/** `headers.<Name>=<value>` keys become request headers. */
export function extraHeaders(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).filter(([key, value]) => key.startsWith('headers.') && key !== 'headers.include' && typeof value === 'string').map(([key, value]) => [key.slice('headers.'.length), value as string]))
}
