/**
 * The polling half of `http-source`: GETs a URL on a cron schedule (node-cron) or a fixed interval
 * and emits the items of each response. With `cursor.field`, only items whose cursor is beyond the
 * stored one are emitted, so a restart neither repeats nor skips items.
 */
import cron, { type ScheduledTask } from 'node-cron'
import { TributaryError } from '../../core/errors.ts'
import type { Logger } from '../../core/logger.ts'
import { Wakeup, type SourceRecord } from '../../core/runtime/plugin.ts'
import { extraHeaders, type HttpSourceConfig } from './config.ts'

export class Poller {
  private readonly config: HttpSourceConfig
  private readonly logger: Logger
  private cursor: string | number | null
  private due = true
  private readonly wakeup = new Wakeup()
  private task: ScheduledTask | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(config: HttpSourceConfig, logger: Logger, cursor: string | number | null) {
    this.config = config
    this.logger = logger
    this.cursor = cursor
  }

  start(): void {
    const trigger = () => {
      this.due = true
      this.wakeup.wake()
    }
    if (this.config.schedule !== undefined) this.task = cron.schedule(this.config.schedule, trigger, { noOverlap: true })
    else this.timer = setInterval(trigger, this.config.interval ?? 60_000)
  }

  stop(): void {
    void this.task?.stop()
    if (this.timer) clearInterval(this.timer)
    this.wakeup.wake()
  }

  /** Waits up to `waitMs` for the schedule, then fetches once. */
  async poll(waitMs: number, signal: AbortSignal): Promise<SourceRecord[]> {
    if (!this.due) await this.wakeup.wait(waitMs, signal)
    if (!this.due || signal.aborted) return []
    this.due = false
    return this.itemsToRecords(await this.fetchWithRetry(signal))
  }

  private async fetchWithRetry(signal: AbortSignal): Promise<unknown> {
    const url = this.config.url as string
    let delay = 200
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetch(url, { headers: { accept: 'application/json', ...extraHeaders(this.config) }, signal: AbortSignal.any([signal, AbortSignal.timeout(this.config['request.timeout.ms'])]) })
        if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`)
        return (await response.json()) as unknown
      } catch (error) {
        if (signal.aborted) return []
        if (attempt >= this.config['retry.max']) {
          throw new TributaryError('TRB_SOURCE_READ', `polling ${url} failed ${attempt + 1} times: ${(error as Error).message}`, { cause: error, retriable: true, details: { url } })
        }
        this.logger.warn({ err: error, url, attempt: attempt + 1 }, 'poll failed; retrying')
        await new Promise((resolve) => setTimeout(resolve, delay))
        delay = Math.min(delay * 2, 30_000)
      }
    }
  }

  private itemsToRecords(body: unknown): SourceRecord[] {
    let items: unknown = body
    for (const part of (this.config['items.path'] ?? '').split('.').filter(Boolean)) {
      items = items !== null && typeof items === 'object' ? (items as Record<string, unknown>)[part] : undefined
    }
    const list = Array.isArray(items) ? items : items === undefined || items === null ? [] : [items]
    const field = this.config['cursor.field']
    const url = this.config.url as string
    const fresh = list
      .map((item) => ({ item, cursor: field !== undefined && item !== null && typeof item === 'object' ? ((item as Record<string, unknown>)[field] as string | number | undefined) : undefined }))
      .filter(({ cursor }) => field === undefined || (cursor !== undefined && (this.cursor === null || cursor > this.cursor)))
      .sort((a, b) => (a.cursor === undefined || b.cursor === undefined ? 0 : a.cursor < b.cursor ? -1 : a.cursor > b.cursor ? 1 : 0))
    return fresh.map(({ item, cursor }) => {
      if (cursor !== undefined) this.cursor = cursor
      return { topic: this.config.topic, key: null, value: item, sourcePartition: { url }, sourceOffset: { cursor: this.cursor } }
    })
  }
}
