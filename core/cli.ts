/**
 * The `tributary` command. Each subcommand parses its own flags; errors print one line on stderr and
 * exit with a code scripts can rely on (core/cli/cli-error.ts).
 */
import fs from 'node:fs'
import { CliError, EXIT } from './cli/cli-error.ts'
import { exitWithError } from './cli/report-error.ts'
import { USAGE } from './cli/usage.ts'

function packageVersion(): string {
  for (const candidate of ['../package.json', '../../package.json']) {
    const url = new URL(candidate, import.meta.url)
    if (fs.existsSync(url)) return (JSON.parse(fs.readFileSync(url, 'utf8')) as { version: string }).version
  }
  return 'unknown'
}

// Each command's module is loaded when it runs: `run` starts its worker in a thread, and the main
// thread that only passes signals on then holds none of the worker's code.
const commands: Record<string, (args: string[]) => Promise<void>> = {
  run: async (args) => (await import('./cli/run-command.ts')).runCommand(args, packageVersion()),
  validate: async (args) => (await import('./cli/pipeline-commands.ts')).validateCommand(args),
  plan: async (args) => (await import('./cli/pipeline-commands.ts')).planCommand(args),
  reload: async (args) => (await import('./cli/pipeline-commands.ts')).reloadCommand(args),
  status: async (args) => (await import('./cli/status-command.ts')).statusCommand(args),
  connectors: async (args) => (await import('./cli/connector-commands.ts')).connectorsCommand(args),
  topics: async (args) => (await import('./cli/topic-commands.ts')).topicsCommand(args),
  groups: async (args) => (await import('./cli/topic-commands.ts')).groupsCommand(args),
  dlq: async (args) => (await import('./cli/topic-commands.ts')).dlqCommand(args),
  schemas: async (args) => (await import('./cli/schemas-command.ts')).schemasCommand(args),
  users: async (args) => (await import('./cli/users-command.ts')).usersCommand(args),
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
  const run = commands[command]
  if (run === undefined) throw new CliError(`unknown command "${command}"; see tributary --help`, EXIT.usage)
  await run(rest)
}

main(process.argv.slice(2)).catch(exitWithError)
