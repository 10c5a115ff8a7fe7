/**
 * The polling half of `http-source`: GETs a URL on a cron schedule or a fixed interval and emits the
 * new items of each response. A failed GET is retried with backoff inside the task; only when it
 * keeps failing does poll() throw a retriable TRB_SOURCE_READ (the runtime's retry and restart
 * policy takes over), and the next poll fetches again at once.
 */
import cron, { type ScheduledTask } from 'node-cron'
import { TributaryError, isTributaryError, Wakeup, type SourceRecord, type SourceTaskContext } from '../../core/runtime/plugin.ts'
import { requestHeaders } from './config-fields.ts'
import { sendRequest, type RequestOutcome } from './http-request.ts'
import { itemsAt, selectNewItems, type Cursor } from './poll-items.ts'
import { withRequestRetry } from './request-retry.ts'
import { SeenIds } from './seen-ids.ts'
import type { HttpSourceConfig } from './source-config.ts'

export class Poller {
  private readonly context: SourceTaskContext<HttpSourceConfig>
  private readonly config: HttpSourceConfig
  private readonly url: string
  private readonly headers: Record<string, string>
  private readonly seen: SeenIds
  private readonly wakeup = new Wakeup()
  private readonly stopping = new AbortController()
  private cursor: Cursor | null
  /** Records of the last response not yet handed out (a response may exceed batch.size). */
  private pending: SourceRecord[] = []
  private due: boolean
  private schedule: ScheduledTask | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(context: SourceTaskContext<HttpSourceConfig>, cursor: Cursor | null) {
    this.context = context
    this.config = context.config
    this.url = this.config.url as string
    this.cursor = cursor
    this.seen = new SeenIds(this.config['id.cache.size'])
    // An interval starts with a GET; a cron schedule waits for its first tick.
    this.due = this.config.schedule === undefined
    this.headers = {
      accept: 'application/json',
      ...requestHeaders(this.config),
      ...(this.config['auth.token'] !== undefined && { authorization: `Bearer ${this.config['auth.token']}` }),
    }
  }

  get partition(): { url: string } {
    return { url: this.url }
  }

  start(): void {
    const trigger = (): void => {
      this.due = true
      this.wakeup.wake()
    }
    if (this.config.schedule !== undefined) this.schedule = cron.schedule(this.config.schedule, trigger, { noOverlap: true })
    else this.timer = setInterval(trigger, this.config.interval ?? 60_000)
  }

  stop(): void {
    this.stopping.abort()
    void this.schedule?.destroy()
    clearInterval(this.timer)
    this.wakeup.wake()
  }

  async poll(taskSignal: AbortSignal): Promise<SourceRecord[]> {
    const signal = AbortSignal.any([taskSignal, this.stopping.signal])
    if (this.pending.length === 0) {
      if (!this.due) await this.wakeup.wait(this.config['poll.max.ms'], signal)
      if (!this.due || signal.aborted) return []
      try {
        const body = await this.fetch(signal)
        this.due = false
        this.pending = this.toRecords(body)
      } catch (error) {
        if (signal.aborted && isTributaryError(error, 'TRB_ABORTED')) return []
        throw error
      }
    }
    return this.pending.splice(0, this.config['batch.size'])
  }

  private async fetch(signal: AbortSignal): Promise<unknown> {
    let body: unknown
    const attempt = async (): Promise<RequestOutcome> => {
      const outcome = await sendRequest(
        this.url,
        { method: 'GET', headers: this.headers },
        this.config['request.timeout.ms'],
        signal,
        this.context,
      )
      if (!outcome.ok) return outcome
      try {
        body = JSON.parse(outcome.reply.body) as unknown
        return outcome
      } catch (error) {
        // The parser's message quotes the body; it goes to the worker's log, not the task's status.
        this.context.logger.warn({ err: error, status: outcome.reply.status }, 'polled body is not JSON')
        const message = `GET ${this.url} answered ${outcome.reply.status} with a body that is not JSON`
        return { ok: false, failure: { status: outcome.reply.status, retriable: true, message, retryAfterMs: undefined, body: '' } }
      }
    }
    const outcome = await withRequestRetry(attempt, {
      retries: this.config['retry.max'],
      initialMs: this.config['retry.backoff.ms'],
      maxMs: this.config['retry.backoff.max.ms'],
      clock: this.context.clock,
      signal,
      logger: this.context.logger,
      // Any failure may be passing (a 404 during a deploy); the runtime's policy decides after that.
      shouldRetry: () => true,
    })
    if (outcome.ok) return body
    const { failure } = outcome
    throw new TributaryError('TRB_SOURCE_READ', `${failure.message} (after ${this.config['retry.max']} retries)`, {
      retriable: true,
      details: { url: this.url, status: failure.status },
    })
  }

  private toRecords(body: unknown): SourceRecord[] {
    const items = itemsAt(body, this.config['items.path'])
    const { fresh, withoutCursor } = selectNewItems(items, {
      cursorField: this.config['cursor.field'],
      idField: this.config['id.field'],
      cursor: this.cursor,
      seen: this.seen,
    })
    if (withoutCursor > 0)
      this.context.logger.warn(
        { url: this.url, items: withoutCursor, field: this.config['cursor.field'] },
        'skipped polled items without the cursor field',
      )
    const keyField = this.config['key.field']
    const records = fresh.map(({ item, cursor }): SourceRecord => {
      if (cursor !== undefined) this.cursor = cursor
      const key =
        keyField !== undefined && item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[keyField] : undefined
      return {
        topic: this.config.topic,
        key: key ?? null,
        value: item,
        sourcePartition: this.partition,
        sourceOffset: { cursor: this.cursor },
      }
    })
    this.context.reportStatus({ cursor: this.cursor, items_last_poll: items.length, emitted_last_poll: records.length })
    return records
  }
}
