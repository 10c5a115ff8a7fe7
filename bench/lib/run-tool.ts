/**
 * Runs a peer tool (pg_recvlogical, mariadb-binlog, kcat, Kafka's perf tools) to its end without
 * blocking the event loop: a blocked loop cannot retire the keep-alive sockets the worker's REST
 * server closes meanwhile, and the next request would go out on a closed one. With `keepStdout` it
 * resolves with what the tool printed (for tools that report there); otherwise stdout is dropped.
 */
import { spawn } from 'node:child_process'

const STDERR_TAIL = 8_000

export function runTool(command: string, args: readonly string[], options: { keepStdout?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', options.keepStdout ? 'pipe' : 'ignore', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL)))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${command} failed (${code}): ${stdout.slice(-STDERR_TAIL)}${stderr}`)),
    )
  })
}
