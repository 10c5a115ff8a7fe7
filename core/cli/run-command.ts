/** `tributary run`: starts a worker; SIGHUP re-applies the pipeline files; SIGINT/SIGTERM stop it gracefully. */
import { parseArgs } from 'node:util'
import { createLogger } from '../logger.ts'
import { startWorker, type RunningWorker } from '../run-worker.ts'
import { resolveWorkerSettings } from '../worker-settings.ts'
import { CliError, EXIT } from './cli-error.ts'
import { firstRunHints } from './first-run-hints.ts'

export async function runCommand(args: string[], version: string): Promise<void> {
  let values
  try {
    ({ values } = parseArgs({
      args,
      options: {
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        'rest-host': { type: 'string' },
        'rest-port': { type: 'string' },
        'rest-advertised-address': { type: 'string' },
        'kafka-host': { type: 'string' },
        'log-brokers': { type: 'string' },
        'group-id': { type: 'string' },
        'kafka-advertised-address': { type: 'string' },
        'kafka-port': { type: 'string' },
        'rest-auth-token': { type: 'string' },
      },
      strict: true,
    }))
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage)
  }
  const logger = createLogger('cli')
  // Handlers go in before the worker announces itself, so a signal sent the moment the REST line
  // appears is handled, not fatal.
  let worker: RunningWorker | undefined
  let stopRequested = false
  const shutdown = (): void => {
    stopRequested = true
    if (worker === undefined) return // startup finishes, then stops
    worker.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGHUP', () => {
    if (worker === undefined) return
    worker.pipelines.apply().then(
      (plan) => logger.info({ plan }, 'pipelines reloaded on SIGHUP'),
      (error: unknown) => logger.error({ err: error }, 'reload refused; the running pipelines are unchanged'),
    )
  })
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
  const settings = resolveWorkerSettings(values)
  worker = await startWorker(settings, version)
  if (worker.kafkaAddress) process.stdout.write(`Kafka listener on ${worker.kafkaAddress}\n`)
  process.stdout.write(`REST API listening on ${worker.restUrl}\n`)
  const running = worker.worker
  const connectors = running.connectorNames().map((name) => {
    const config = running.config(name)
    return { name, plugin: running.catalog.find(config['connector.class'] ?? '')?.name, config }
  })
  for (const hint of firstRunHints(worker.restUrl, settings.restAuthToken !== undefined, connectors)) process.stdout.write(`${hint}\n`)
  if (stopRequested) shutdown()
}
