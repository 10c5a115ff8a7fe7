/**
 * `http-source`. Webhook mode: `POST /ingest/<connector>` on the worker's REST port (or its own
 * `listen.port`), answered only once the records are durable; the offset is a receive counter, as a
 * webhook has no upstream position to resume from. Poll mode: GETs a URL on a schedule, resuming
 * after the stored cursor.
 */
import { definePlugin } from '../../core/runtime/plugin.ts'
import type { Cursor } from './poll-items.ts'
import { Poller } from './poller.ts'
import { urlTarget } from './url-target.ts'
import { httpSourceConfig } from './source-config.ts'
import { webhookHandler } from './webhook-handler.ts'
import { WebhookQueue } from './webhook-queue.ts'
import { serveWebhook, type WebhookServer } from './webhook-server.ts'

export const httpSource = definePlugin({
  kind: 'source',
  name: 'http-source',
  version: '1.0.0',
  description: 'Receives records by webhook, answering once they are durable, or polls a URL on a cron schedule or interval, resuming after a stored cursor',
  config: httpSourceConfig,
  // One task: a port binds once, and a poller twice would fetch everything twice.
  taskConfigs: (config) => [config],
  // A webhook listens on the worker's REST port; only polling reaches out.
  targets: (config) => ({ hosts: config.mode === 'poll' && typeof config.url === 'string' ? [urlTarget('url', config.url)] : [] }),
  createTask(context) {
    const config = context.config
    let queue: WebhookQueue | undefined
    let unregister: (() => void) | undefined
    let server: WebhookServer | undefined
    let poller: Poller | undefined

    async function startWebhook(): Promise<void> {
      const partition = { connector: context.connector }
      const stored = (await context.storedOffset(partition))?.received
      // Increasing across restarts too, so offsets in the log never step back.
      let sequence = Math.max(typeof stored === 'number' ? stored : 0, context.clock.now() * 1000)
      queue = new WebhookQueue(config['max.pending.records'])
      const handler = webhookHandler({ connector: context.connector, config, queue, clock: context.clock, nextSequence: () => ++sequence })
      const port = config['listen.port']
      const token = config['auth.token']
      if (port === undefined) unregister = context.ingress.register(handler, { maxBodyBytes: config['max.body.bytes'], token })
      else {
        server = await serveWebhook(handler, { host: config['listen.host'], port, path: config['listen.path'], maxBodyBytes: config['max.body.bytes'], token })
        context.logger.info({ host: config['listen.host'], port: server.port, path: config['listen.path'] }, 'webhook listening')
      }
    }

    async function startPoller(): Promise<void> {
      const stored = (await context.storedOffset({ url: config.url as string }))?.cursor
      poller = new Poller(context, typeof stored === 'string' || typeof stored === 'number' ? (stored satisfies Cursor) : null)
      poller.start()
    }

    return {
      async start() {
        if (config.mode === 'poll') await startPoller()
        else await startWebhook()
      },
      async poll(signal) {
        if (poller !== undefined) return poller.poll(signal)
        if (queue !== undefined) return queue.take(config['batch.size'], config['poll.max.ms'], signal)
        return []
      },
      async commit(durable) {
        queue?.commit(durable)
      },
      async stop() {
        unregister?.()
        unregister = undefined
        queue?.close()
        poller?.stop()
        const closing = server
        server = undefined
        await closing?.close()
      },
    }
  },
})
