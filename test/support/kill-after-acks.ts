/**
 * Runs a writer script in a child process and SIGKILLs it once it has printed `acks` lines `ack <n>`:
 * the crash tests' way of stopping a log mid-stream with no chance to flush or close. The writer
 * prints `start <n>` first; other lines go to `onLine`.
 */
import { spawn } from 'node:child_process'
import readline from 'node:readline'

export interface KilledWriter {
  readonly start: number
  readonly lastAcked: number
}

export function killAfterAcks(
  script: string,
  args: readonly string[],
  acks: number,
  onLine?: (kind: string, value: string) => void,
): Promise<KilledWriter> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let start = -1
    let lastAcked = -1
    let seen = 0
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const [kind = '', value = ''] = line.split(' ')
      if (kind === 'start') start = Number(value)
      if (kind !== 'ack') return onLine?.(kind, value)
      lastAcked = Math.max(lastAcked, Number(value))
      if (++seen === acks) child.kill('SIGKILL')
    })
    // 'close', not 'exit': a process can be seen to exit before its last lines are read from the pipe
    // (under load the writer's `decided` line, printed just before it kills itself, came after 'exit').
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ start, lastAcked })
      else reject(new Error(`writer exited with ${code}: ${stderr}`))
    })
  })
}
