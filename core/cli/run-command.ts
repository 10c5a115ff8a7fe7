/**
 * `tributary run`: starts a worker; SIGHUP re-applies the pipeline files; SIGINT/SIGTERM stop it
 * gracefully. By default the worker runs in a thread with a capped JS heap (worker-thread.ts); the
 * process's main thread then only passes the signals on.
 */
import { isMainThread, parentPort } from 'node:worker_threads'
import { parseArgs } from 'node:util'
import type { Logger } from '../logger.ts'
import type { RunningWorker } from '../worker/run-worker.ts'
import type { SettingsFlags } from '../worker-settings.ts'
import { CliError, EXIT } from './cli-error.ts'
import { resolveHeapMaxMb } from './heap-limit.ts'
import { runInWorkerThread, type ThreadCommand } from './worker-thread.ts'

/** The flags `tributary run` accepts (usage.ts describes each). */
export const RUN_OPTIONS = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  'rest-host': { type: 'string' },
  'rest-port': { type: 'string' },
  'rest-advertised-address': { type: 'string' },
  'kafka-host': { type: 'string' },
  'log-brokers': { type: 'string' },
  'group-id': { type: 'string' },
  'storage-topic-prefix': { type: 'string' },
  'kafka-advertised-address': { type: 'string' },
  'kafka-port': { type: 'string' },
  'schema-registry-port': { type: 'string' },
  'rest-auth-token': { type: 'string' },
  'kafka-users-file': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-client-ca': { type: 'string' },
  'rest-allowed-hosts': { type: 'string' },
  'insecure-no-auth': { type: 'boolean' },
  'heap-max-mb': { type: 'string' },
  'file-allowed-paths': { type: 'string' },
  'env-allowlist': { type: 'string' },
  'connect-allowed-hosts': { type: 'string' },
  'plugin-path': { type: 'string' },
} as const

type RunFlags = SettingsFlags & { readonly 'heap-max-mb'?: string | undefined }

export async function runCommand(args: string[], version: string): Promise<void> {
  const flags = parseRunFlags(args)
  const heapMaxMb = resolveHeapMaxMb(flags['heap-max-mb'])
  if (isMainThread && heapMaxMb > 0) {
    runInWorkerThread({ args, version }, heapMaxMb)
    return
  }
  await runHere(flags, version, isMainThread ? processSignals : threadCommands)
}

function parseRunFlags(args: string[]): RunFlags {
  try {
    return parseArgs({
      args,
      options: RUN_OPTIONS,
      strict: true,
    }).values
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage)
  }
}

/** Where stop and reload requests come from: the process's signals, or the main thread's messages. */
type Requests = (on: { stop: () => void; reload: () => void }) => void

const processSignals: Requests = ({ stop, reload }) => {
  process.on('SIGHUP', reload)
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

const threadCommands: Requests = ({ stop, reload }) => {
  parentPort?.on('message', (command: ThreadCommand) => (command === 'stop' ? stop() : reload()))
}

async function runHere(flags: RunFlags, version: string, requests: Requests): Promise<void> {
  // Requests are taken from the start, so a signal sent the moment the REST line appears (or
  // sooner) is handled, not fatal.
  let worker: RunningWorker | undefined
  let logger: Logger | undefined
  let stopRequested = false
  const stop = (): void => {
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
  const reload = (): void => {
    if (worker === undefined) return // startup applies the files anyway
    worker.pipelines.apply().then(
      (plan) => logger?.info({ plan }, 'pipelines reloaded on SIGHUP'),
      (error: unknown) => logger?.error({ err: error }, 'reload refused; the running pipelines are unchanged'),
    )
  }
  requests({ stop, reload })
  // Loaded here, not above: a main thread that hands the worker to a thread needs none of it.
  const [{ createLogger }, { startWorker }, { resolveWorkerSettings }, { firstRunHints }] = await Promise.all([
    import('../logger.ts'),
    import('../worker/run-worker.ts'),
    import('../worker-settings.ts'),
    import('./first-run-hints.ts'),
  ])
  logger = createLogger('cli')
  const settings = resolveWorkerSettings(flags)
  worker = await startWorker(settings, version)
  if (worker.kafkaAddress) process.stdout.write(`Kafka listener on ${worker.kafkaAddress}\n`)
  process.stdout.write(`REST API listening on ${worker.restUrl}\n`)
  if (worker.registryUrl) process.stdout.write(`Schema Registry listening on ${worker.registryUrl}\n`)
  const running = worker.herder
  const connectors = running.connectorNames().map((name) => {
    const config = running.config(name)
    return { name, plugin: running.catalog.find(config['connector.class'] ?? '')?.name, config }
  })
  for (const hint of firstRunHints(worker.restUrl, settings.restAuthToken !== undefined, connectors)) process.stdout.write(`${hint}\n`)
  if (stopRequested) stop()
}
