/**
 * `http-source`. Webhook mode: `POST /ingest/<connector>` on the worker's REST port (or its own
 * `listen.port`), answered only once the records are durable; the offset is a receive counter, as a
 * webhook has no upstream position to resume from. Poll mode: GETs a URL on a schedule, resuming
 * after the stored cursor.
 */
import {
  definePlugin,
  type CommittedRecord,
  type SourceRecord,
  type SourceTask,
  type SourceTaskContext,
} from '../../core/runtime/plugin.ts'
import type { Cursor } from './poll-items.ts'
import { Poller } from './poller.ts'
import { urlTarget } from './url-target.ts'
import { httpSourceConfig, type HttpSourceConfig } from './source-config.ts'
import { webhookHandler } from './webhook-handler.ts'
import { WebhookQueue } from './webhook-queue.ts'
import { serveWebhook, type WebhookServer } from './webhook-server.ts'

/** Webhook mode holds a queue and either a registration on the REST port or a server of its own; poll mode holds a poller. */
class HttpSourceTask implements SourceTask {
  private readonly context: SourceTaskContext<HttpSourceConfig>
  private queue: WebhookQueue | undefined
  private unregister: (() => void) | undefined
  private server: WebhookServer | undefined
  private poller: Poller | undefined

  constructor(context: SourceTaskContext<HttpSourceConfig>) {
    this.context = context
  }

  async start(): Promise<void> {
    if (this.context.config.mode === 'poll') await this.startPoller()
    else await this.startWebhook()
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    const { config } = this.context
    if (this.poller !== undefined) return this.poller.poll(signal)
    if (this.queue !== undefined) return this.queue.take(config['batch.size'], config['poll.max.ms'], signal)
    return []
  }

  async commit(durable: readonly CommittedRecord[]): Promise<void> {
    this.queue?.commit(durable)
  }

  async stop(): Promise<void> {
    this.unregister?.()
    this.unregister = undefined
    this.queue?.close()
    this.poller?.stop()
    const closing = this.server
    this.server = undefined
    await closing?.close()
  }

  private async startWebhook(): Promise<void> {
    const { context } = this
    const { config } = context
    const partition = { connector: context.connector }
    const stored = (await context.storedOffset(partition))?.received
    // Increasing across restarts too, so offsets in the log never step back.
    let sequence = Math.max(typeof stored === 'number' ? stored : 0, context.clock.now() * 1000)
    const queue = new WebhookQueue(config['max.pending.records'])
    this.queue = queue
    const handler = webhookHandler({ connector: context.connector, config, queue, clock: context.clock, nextSequence: () => ++sequence })
    const port = config['listen.port']
    const token = config['auth.token']
    if (port === undefined) this.unregister = context.ingress.register(handler, { maxBodyBytes: config['max.body.bytes'], token })
    else {
      this.server = await serveWebhook(handler, {
        host: config['listen.host'],
        port,
        path: config['listen.path'],
        maxBodyBytes: config['max.body.bytes'],
        token,
      })
      context.logger.info({ host: config['listen.host'], port: this.server.port, path: config['listen.path'] }, 'webhook listening')
    }
  }

  private async startPoller(): Promise<void> {
    const { context } = this
    const stored = (await context.storedOffset({ url: context.config.url as string }))?.cursor
    this.poller = new Poller(context, typeof stored === 'string' || typeof stored === 'number' ? (stored satisfies Cursor) : null)
    this.poller.start()
  }
}

export const httpSource = definePlugin({
  kind: 'source',
  name: 'http-source',
  version: '1.0.0',
  description:
    'Receives records by webhook, answering once they are durable, or polls a URL on a cron schedule or interval, resuming after a stored cursor',
  config: httpSourceConfig,
  // One task: a port binds once, and a poller twice would fetch everything twice.
  taskConfigs: (config) => [config],
  // A webhook listens on the worker's REST port; only polling reaches out.
  targets: (config) => ({ hosts: config.mode === 'poll' && typeof config.url === 'string' ? [urlTarget('url', config.url)] : [] }),
  createTask: (context) => new HttpSourceTask(context),
})
