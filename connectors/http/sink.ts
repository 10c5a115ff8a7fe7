/**
 * `http-sink`: POSTs record values as JSON, a batch per request. Transient failures (5xx, 408, 429,
 * timeouts, network errors) are retried with backoff, honouring Retry-After. Any other refusal means
 * the data is bad: the batch is halved until the refused records stand alone, and those go to the
 * connector's error handling (dead-letter topic or task failure) while the rest are delivered once.
 */
import { TributaryError, definePlugin, type SinkRecord, type SinkTask, type SinkTaskContext } from '../../core/runtime/plugin.ts'
import { requestHeaders } from './config-fields.ts'
import { sendRequest, type RequestFailure } from './http-request.ts'
import { withRequestRetry } from './request-retry.ts'
import { urlTarget } from './url-target.ts'
import { httpSinkConfig, type HttpSinkConfig } from './sink-config.ts'

/** Buffers become base64 strings wherever they sit in a value (JSON.stringify would spell out bytes). */
function bufferAsBase64(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key]
  return Buffer.isBuffer(raw) ? raw.toString('base64') : value
}

class HttpSinkTask implements SinkTask {
  private readonly context: SinkTaskContext<HttpSinkConfig>
  private readonly stopping = new AbortController()
  private readonly signal: AbortSignal
  private readonly headers: Record<string, string>
  /** Records put() and not yet delivered or reported, in order. */
  private buffered: SinkRecord[] = []
  /** Delivered or reported during the current flush: never sent again, even if the flush fails later. */
  private readonly settled = new Set<SinkRecord>()

  constructor(context: SinkTaskContext<HttpSinkConfig>) {
    this.context = context
    this.signal = AbortSignal.any([context.signal, this.stopping.signal])
    const { config } = context
    this.headers = {
      'content-type': 'application/json',
      ...requestHeaders(config),
      ...(config['auth.token'] !== undefined && { authorization: `Bearer ${config['auth.token']}` }),
    }
  }

  async start(): Promise<void> {}

  async put(records: readonly SinkRecord[]): Promise<void> {
    this.buffered.push(...records)
  }

  async flush(): Promise<void> {
    try {
      while (this.buffered.length > 0) {
        await this.deliver(this.buffered.slice(0, this.context.config['batch.size']))
        this.dropSettled()
      }
    } finally {
      this.dropSettled()
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort()
    this.buffered = []
  }

  private dropSettled(): void {
    this.buffered = this.buffered.filter((record) => !this.settled.has(record))
    this.settled.clear()
  }

  private body(records: readonly SinkRecord[]): string {
    const { config } = this.context
    const items = records.map((r) =>
      config.envelope
        ? { topic: r.topic, partition: r.partition, offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value }
        : r.value,
    )
    return JSON.stringify(config['batch.size'] === 1 ? items[0] : items, bufferAsBase64)
  }

  private async post(records: readonly SinkRecord[]) {
    const { context, signal } = this
    const { config } = context
    return withRequestRetry(
      () =>
        sendRequest(
          config.url,
          { method: 'POST', headers: this.headers, body: this.body(records) },
          config['request.timeout.ms'],
          signal,
          context,
        ),
      {
        retries: config['retry.max'],
        initialMs: config['retry.backoff.ms'],
        maxMs: config['retry.backoff.max.ms'],
        clock: context.clock,
        signal,
        logger: context.logger,
      },
    )
  }

  /** Delivers a batch, halving it on a refusal until each refused record stands alone and is reported. */
  private async deliver(records: readonly SinkRecord[]): Promise<void> {
    const { config } = this.context
    const outcome = await this.post(records)
    if (outcome.ok) {
      for (const record of records) this.settled.add(record)
      return
    }
    const { failure } = outcome
    if (failure.retriable) throw writeError(config.url, failure, config['retry.max'])
    if (records.length === 1) {
      const record = records[0] as SinkRecord
      await this.context.reportBadRecord(record, refusedError(config.url, failure))
      this.settled.add(record)
      return
    }
    const middle = Math.ceil(records.length / 2)
    await this.deliver(records.slice(0, middle))
    await this.deliver(records.slice(middle))
  }
}

export const httpSink = definePlugin({
  kind: 'sink',
  name: 'http-sink',
  version: '1.0.0',
  description:
    'POSTs records to a URL as JSON batches; retries transient failures with backoff and Retry-After, and hands records the endpoint refuses (4xx) to the dead-letter handling',
  config: httpSinkConfig,
  taskConfigs: (config, maxTasks) => Array.from({ length: Math.max(1, maxTasks) }, () => config),
  targets: (config) => ({ hosts: [urlTarget('url', config.url)] }),
  createTask: (context) => new HttpSinkTask(context),
})

function writeError(url: string, failure: RequestFailure, retries: number): TributaryError {
  return new TributaryError('TRB_SINK_WRITE', `${failure.message} (after ${retries} retries)`, {
    retriable: true,
    details: { url, status: failure.status },
  })
}

function refusedError(url: string, failure: RequestFailure): TributaryError {
  return new TributaryError('TRB_SINK_WRITE', failure.message, {
    retriable: false,
    details: { url, status: failure.status, response: failure.body.slice(0, 1000) },
  })
}
