/**
 * Runs a peer tool (pg_recvlogical, mariadb-binlog) to its end without blocking the event loop: a
 * blocked loop cannot retire the keep-alive sockets the worker's REST server closes meanwhile, and
 * the next request would go out on a closed one.
 */
import { spawn } from 'node:child_process'

export function runTool(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed (${code}): ${stderr}`))))
  })
}
