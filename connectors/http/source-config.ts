/**
 * Config of `http-source`. The descriptions are the reference page (docs/connectors/http-source.md
 * is generated from them), so they carry the delivery semantics too.
 */
import cron from 'node-cron'
import { z } from 'zod'
import { durationField, intField, listField } from './config-fields.ts'

export const httpSourceConfig = z
  .looseObject({
    topic: z.string().min(1).describe('Topic the records go to'),
    mode: z
      .enum(['webhook', 'poll'])
      .default('webhook')
      .describe(
        'webhook: receive POSTs and answer 200 only once the records are durable (at-least-once from the 200 on; a 503 or a lost reply means send again); bodies are JSON (`application/json`, `…+json` or no Content-Type; nested at most 1000 deep), NDJSON (`application/x-ndjson`) or `text/plain`, and any other type gets 415; poll: GET `url` on a schedule',
      ),
    'key.field': z.string().min(1).optional().describe('Field of each JSON item used as the record key'),
    'auth.token': z
      .string()
      .min(1)
      .optional()
      .describe(
        "webhook: requests must carry `Authorization: Bearer <token>` (401 otherwise); on the REST port the worker's `--rest-auth-token` is taken too, and this token alone is enough; poll: sent as that header",
      ),
    'max.body.bytes': intField(1)
      .default(1024 * 1024)
      .describe('webhook: largest request body accepted (413 above)'),
    'max.pending.records': intField(1)
      .default(10_000)
      .describe('webhook: records waiting to be durable before new requests get 429 with Retry-After'),
    'key.header': z
      .string()
      .min(1)
      .optional()
      .describe('webhook: request header used as the key when `key.field` is unset or absent from the item'),
    'headers.include': listField.optional().describe('webhook: request headers copied onto each record, comma separated'),
    'listen.port': intField(0)
      .max(65_535)
      .optional()
      .describe('webhook: serve on this port instead of `POST /ingest/<connector>` on the REST port'),
    'listen.host': z.string().min(1).default('127.0.0.1').describe('webhook: address to bind with `listen.port`'),
    'listen.path': z.string().startsWith('/').default('/').describe('webhook: path served with `listen.port`'),
    url: z
      .url()
      .optional()
      .describe(
        'poll: the URL to GET (the response must be JSON); `headers.<Name>=<value>` keys add request headers (credential headers such as `headers.Authorization`, `headers.Cookie` or `headers.X-Api-Key` are shown as `[hidden]`, like a password inside the URL)',
      ),
    schedule: z
      .string()
      .optional()
      .describe('poll: cron expression (seconds field optional), e.g. `*/5 * * * *`; the first GET waits for the first tick'),
    interval: durationField
      .optional()
      .describe('poll: fixed interval such as `30s` (ms, s, m, h) instead of `schedule`; the first GET is at start'),
    'items.path': z
      .string()
      .optional()
      .describe(
        'poll: dotted path to the array of items in the response; default the response itself if it is an array, else the response as one item',
      ),
    'cursor.field': z
      .string()
      .min(1)
      .optional()
      .describe(
        'poll: increasing item field (id, updated_at) stored as the offset; only items beyond it are emitted, also after a restart, and items without it are skipped with a warning. Numbers compare as numbers, anything else as strings (keep one timestamp format)',
      ),
    'id.field': z
      .string()
      .min(1)
      .optional()
      .describe(
        'poll: item field that identifies an item; items already emitted are skipped (remembered in memory, so after a restart only `cursor.field` prevents repeats). With `cursor.field` too, items equal to the stored cursor are also read, so items sharing a cursor value are not lost',
      ),
    'id.cache.size': intField(1).default(10_000).describe('poll: most ids remembered for `id.field` (the oldest are forgotten first)'),
    'request.timeout.ms': intField(1).default(30_000).describe('poll: time limit of one GET'),
    'retry.max': intField(0)
      .default(5)
      .describe('poll: retries of a failed GET (non-2xx, network error, bad JSON) before the task reports a retriable failure'),
    'retry.backoff.ms': intField(1)
      .default(500)
      .describe('poll: first retry delay; doubles after each retry (a Retry-After on 429/503 wins)'),
    'retry.backoff.max.ms': intField(1).default(30_000).describe('poll: longest retry delay'),
    'poll.max.ms': intField(10).default(1000).describe('Longest one poll waits for records'),
    'batch.size': intField(1).default(1000).describe('Most records handed over per poll'),
  })
  .superRefine((config, ctx) => {
    if (config.mode !== 'poll') return
    if (config.url === undefined) ctx.addIssue({ code: 'custom', path: ['url'], message: 'poll mode needs a url' })
    if ((config.schedule === undefined) === (config.interval === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['schedule'], message: 'poll mode needs either a schedule or an interval' })
    }
    if (config.schedule !== undefined && !cron.validate(config.schedule)) {
      ctx.addIssue({ code: 'custom', path: ['schedule'], message: `"${config.schedule}" is not a cron expression` })
    }
  })

export type HttpSourceConfig = z.infer<typeof httpSourceConfig>
