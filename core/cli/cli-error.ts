/**
 * Exit codes scripts can rely on: 0 success, 1 the operation failed (or validation found problems),
 * 2 the command line is wrong, 3 the worker could not be reached, 4 the named thing does not exist.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, unreachable: 3, notFound: 4 } as const

export class CliError extends Error {
  readonly exitCode: number

  constructor(message: string, exitCode: number = EXIT.failure) {
    super(message)
    this.name = 'CliError'
    this.exitCode = exitCode
  }
}
