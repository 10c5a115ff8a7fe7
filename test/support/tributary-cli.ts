/** Runs the `tributary` command in a child process, quiet logs, and resolves with its output (rejects on a non-zero exit, with `code`); `env` adds to the test's environment. */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'

const bin = path.resolve(import.meta.dirname, '../../bin/tributary.cjs')

export function tributaryCli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [bin, ...args], {
    env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'silent', ...env },
    maxBuffer: 16 * 1024 * 1024,
  })
}
