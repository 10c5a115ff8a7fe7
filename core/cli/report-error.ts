/** How every command ends on an error: one line on stderr, and the exit code scripts rely on. */
import { isTributaryError } from '../errors.ts'
import { CliError, EXIT } from './cli-error.ts'

export function exitWithError(error: unknown): never {
  const message = isTributaryError(error) ? `${error.code}: ${error.message}` : ((error as Error).message ?? String(error))
  process.stderr.write(`tributary: ${message}\n`)
  process.exit(error instanceof CliError ? error.exitCode : EXIT.failure)
}
