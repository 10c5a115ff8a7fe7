/** Config of `http-sink`; docs/connectors/http-sink.md is generated from these descriptions. */
import { z } from 'zod'
import { boolField, intField } from './config-fields.ts'

export const httpSinkConfig = z.looseObject({
  url: z
    .url()
    .describe(
      'Where records are POSTed as JSON; `headers.<Name>=<value>` keys add request headers (credential headers such as `headers.Authorization`, `headers.Cookie` or `headers.X-Api-Key` are shown as `[hidden]`, like a password inside the URL)',
    ),
  'auth.token': z.string().min(1).optional().describe('Sent as `Authorization: Bearer <token>`'),
  'batch.size': intField(1).default(500).describe('Records per request, sent as a JSON array; 1 sends each record alone as its bare value'),
  envelope: boolField.prefault('false').describe('Send `{topic, partition, offset, timestamp, key, value}` objects instead of bare values'),
  'request.timeout.ms': intField(1).default(30_000).describe('Time limit of one request; a timeout is retried'),
  'retry.max': intField(0)
    .default(5)
    .describe(
      'Retries of a 5xx, 408, 429, timeout or network failure; then the flush fails with a retriable error and the runtime retries it',
    ),
  'retry.backoff.ms': intField(1)
    .default(200)
    .describe('First retry delay; doubles after each retry. A Retry-After on 429/503 (seconds or an HTTP date) is waited instead'),
  'retry.backoff.max.ms': intField(1).default(30_000).describe('Longest retry delay (Retry-After is honoured even when longer)'),
})

export type HttpSinkConfig = z.infer<typeof httpSinkConfig>
