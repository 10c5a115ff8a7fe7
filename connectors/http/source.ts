/**
 * `http-source`: a webhook (`POST /ingest/<connector>` on the REST port, or its own port) that
 * answers only once the records are durable, or a poller that GETs a URL on a schedule.
 */
import type http from 'node:http'
import cron from 'node-cron'
import type { SourcePlugin } from '../../core/runtime/plugin.ts'
import { httpSourceConfig, type HttpSourceConfig } from './config.ts'
import { Poller } from './poller.ts'
import { serveWebhook, webhookHandler } from './webhook.ts'
import { WebhookQueue } from './webhook-queue.ts'

const config = httpSourceConfig.superRefine((value, ctx) => {
  if (value.mode !== 'poll') return
  if (value.url === undefined) ctx.addIssue({ code: 'custom', path: ['url'], message: 'poll mode needs a url' })
  if (value.schedule === undefined && value.interval === undefined) ctx.addIssue({ code: 'custom', path: ['schedule'], message: 'poll mode needs a schedule or an interval' })
  if (value.schedule !== undefined && !cron.validate(value.schedule)) ctx.addIssue({ code: 'custom', path: ['schedule'], message: `"${value.schedule}" is not a cron expression` })
})

export const httpSource: SourcePlugin<HttpSourceConfig> = {
  kind: 'source',
  name: 'http-source',
  version: '1.0.0',
  description: 'Receives records by webhook (acknowledged once durable) or polls a URL on a cron schedule',
  config,
  taskConfigs: (value) => [value],
  createTask(context) {
    const settings = context.config
    let queue: WebhookQueue | undefined
    let unregister: (() => void) | undefined
    let server: http.Server | undefined
    let poller: Poller | undefined
    let sequence = Date.now() * 1000
    return {
      async start() {
        if (settings.mode === 'poll') {
          const stored = await context.storedOffset({ url: settings.url as string })
          const cursor = stored?.cursor
          poller = new Poller(settings, context.logger, typeof cursor === 'string' || typeof cursor === 'number' ? cursor : null)
          poller.start()
          return
        }
        queue = new WebhookQueue(settings['max.pending.records'])
        const handler = webhookHandler(context.connector, settings, queue, () => ++sequence)
        if (settings['listen.port'] !== undefined) server = await serveWebhook(handler, settings['listen.host'], settings['listen.port'], settings['max.body.bytes'])
        else unregister = context.ingress.register(handler, { maxBodyBytes: settings['max.body.bytes'] })
      },
      async poll(signal) {
        if (poller !== undefined) return poller.poll(settings['poll.max.ms'], signal)
        return queue?.take(settings['batch.size'], settings['poll.max.ms'], signal) ?? []
      },
      async commit(durable) {
        queue?.commit(durable)
      },
      async stop() {
        unregister?.()
        unregister = undefined
        queue?.close()
        poller?.stop()
        if (server !== undefined) {
          const closing = server
          server = undefined
          const closed = new Promise<void>((resolve) => closing.close(() => resolve()))
          closing.closeAllConnections()
          await closed
        }
      },
    }
  },
}
