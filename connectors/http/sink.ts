/**
 * `http-sink`: POSTs batches of record values as JSON arrays. 5xx, 429, timeouts and network errors
 * are retried with exponential backoff, honouring Retry-After; a 4xx means the data is bad, so the
 * batch is split to find the records the endpoint refuses, and those go to the connector's error
 * handling (dead-letter topic or task failure) while the rest are delivered.
 */
import { TributaryError } from '../../core/errors.ts'
import type { SinkPlugin, SinkRecord } from '../../core/runtime/plugin.ts'
import { extraHeaders, httpSinkConfig, type HttpSinkConfig } from './config.ts'

type Outcome = { ok: true } | { ok: false; retriable: boolean; status: number; message: string; retryAfterMs: number | undefined }

function render(data: unknown): unknown {
  return Buffer.isBuffer(data) ? data.toString('base64') : data
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

export const httpSink: SinkPlugin<HttpSinkConfig> = {
  kind: 'sink',
  name: 'http-sink',
  version: '1.0.0',
  description: 'POSTs records to a URL in JSON batches, retrying failures and dead-lettering refused records',
  config: httpSinkConfig,
  taskConfigs: (config, maxTasks) => Array.from({ length: maxTasks }, () => config),
  createTask(context) {
    const config = context.config
    let buffered: SinkRecord[] = []
    const headers = { 'content-type': 'application/json', ...extraHeaders(config), ...(config['auth.token'] !== undefined && { authorization: `Bearer ${config['auth.token']}` }) }

    async function send(records: readonly SinkRecord[]): Promise<Outcome> {
      const body = JSON.stringify(records.map((r) => (config.envelope ? { topic: r.topic, partition: r.partition, offset: r.offset, key: render(r.key), value: render(r.value) } : render(r.value))))
      try {
        const response = await fetch(config.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(config['request.timeout.ms']) })
        await response.arrayBuffer().catch(() => undefined)
        if (response.ok) return { ok: true }
        const retriable = response.status >= 500 || response.status === 429 || response.status === 408
        return { ok: false, retriable, status: response.status, message: `POST ${config.url} answered ${response.status}`, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) }
      } catch (error) {
        return { ok: false, retriable: true, status: 0, message: `POST ${config.url} failed: ${(error as Error).message}`, retryAfterMs: undefined }
      }
    }

    /** Sends with retries; resolves with the final outcome (ok, or a non-retriable refusal). */
    async function deliver(records: readonly SinkRecord[]): Promise<Outcome> {
      let delay = config['retry.backoff.ms']
      for (let attempt = 0; ; attempt++) {
        const outcome = await send(records)
        if (outcome.ok || !outcome.retriable) return outcome
        if (attempt >= config['retry.max']) {
          throw new TributaryError('TRB_SINK_WRITE', `${outcome.message} after ${attempt + 1} attempts`, { retriable: true, details: { url: config.url, status: outcome.status } })
        }
        const wait = Math.min(outcome.retryAfterMs ?? delay, config['retry.backoff.max.ms'])
        context.logger.warn({ status: outcome.status, attempt: attempt + 1, waitMs: wait }, 'http sink request failed; retrying')
        await context.clock.sleep(wait, context.signal)
        delay = Math.min(delay * 2, config['retry.backoff.max.ms'])
      }
    }

    /** A refused batch is halved until the refused records stand alone; those are reported. */
    async function deliverIsolating(records: readonly SinkRecord[]): Promise<void> {
      const outcome = await deliver(records)
      if (outcome.ok) return
      if (records.length === 1) {
        const record = records[0] as SinkRecord
        await context.reportBadRecord(record, new TributaryError('TRB_SINK_WRITE', outcome.message, { retriable: false, details: { url: config.url, status: outcome.status } }))
        return
      }
      const middle = Math.ceil(records.length / 2)
      await deliverIsolating(records.slice(0, middle))
      await deliverIsolating(records.slice(middle))
    }

    return {
      async start() {},
      async put(records) {
        buffered.push(...records)
      },
      async flush() {
        while (buffered.length > 0) {
          const batch = buffered.slice(0, config['batch.size'])
          await deliverIsolating(batch)
          buffered = buffered.slice(batch.length)
        }
      },
      async stop() {
        buffered = []
      },
    }
  },
}
