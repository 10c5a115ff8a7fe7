/**
 * The `tributary` command. Each subcommand parses its own flags; errors print one line and exit 1.
 */
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { isTributaryError } from './errors.ts'
import { startWorker } from './run-worker.ts'
import { resolveWorkerSettings } from './worker-settings.ts'

const USAGE = `Usage: tributary <command> [options]

Commands:
  run        start a worker: the embedded log and the REST API

Options for run:
  --config DIR       pipeline directory (env TRIBUTARY_CONFIG_DIR, default ./config)
  --data-dir DIR     where the log keeps its data (env TRIBUTARY_DATA_DIR, default ./data)
  --rest-host HOST   REST API address (env TRIBUTARY_REST_HOST, default 127.0.0.1)
  --rest-port PORT   REST API port, 0 for any free one (env TRIBUTARY_REST_PORT, default 8083)
  --kafka-port PORT  Kafka protocol port, 0 to disable (env TRIBUTARY_KAFKA_PORT, default 9092)

  -h, --help         show this help
  -v, --version      show the version
`

function packageVersion(): string {
  for (const candidate of ['../package.json', '../../package.json']) {
    const url = new URL(candidate, import.meta.url)
    if (fs.existsSync(url)) return (JSON.parse(fs.readFileSync(url, 'utf8')) as { version: string }).version
  }
  return 'unknown'
}

async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      'rest-host': { type: 'string' },
      'rest-port': { type: 'string' },
      'kafka-port': { type: 'string' },
    },
    strict: true,
  })
  const worker = await startWorker(resolveWorkerSettings(values), packageVersion())
  process.stdout.write(`REST API listening on ${worker.restUrl}\n`)
  const shutdown = (): void => {
    worker.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`)
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE)
    return
  }
  if (command === '-v' || command === '--version') {
    process.stdout.write(`${packageVersion()}\n`)
    return
  }
  if (command === 'run') return run(rest)
  throw new Error(`unknown command "${command}"; see tributary --help`)
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = isTributaryError(error) ? `${error.code}: ${error.message}` : (error as Error).message ?? String(error)
  process.stderr.write(`tributary: ${message}\n`)
  process.exit(1)
})
