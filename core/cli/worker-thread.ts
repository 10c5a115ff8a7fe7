/**
 * Runs `tributary run` in a worker thread whose old generation is capped, as a JVM's -Xmx caps a
 * Kafka Connect worker. V8 sizes its heap from the cap: under Node's default (a quarter of the
 * machine's memory, up to 4 GB) it lets garbage grow to several times the live data before it
 * collects; under a cap of a gigabyte or so it collects sooner, at much the same CPU cost. The main
 * thread only passes SIGINT/SIGTERM/SIGHUP on and leaves with the thread's exit code.
 */
import { siblingModule, startModuleThread } from '../runtime/module-thread.ts'

/** What the main thread asks of the worker thread. */
export type ThreadCommand = 'stop' | 'reload'

export interface RunThreadData {
  readonly args: string[]
  readonly version: string
}

export function runInWorkerThread(data: RunThreadData, heapMaxMb: number): void {
  const thread = startModuleThread(siblingModule(import.meta.url, 'run-thread'), data, { maxOldGenerationSizeMb: heapMaxMb })
  const send = (command: ThreadCommand) => () => thread.postMessage(command)
  process.on('SIGHUP', send('reload'))
  // Once each: a second SIGINT ends the process at once, as it would without the thread.
  process.once('SIGINT', send('stop'))
  process.once('SIGTERM', send('stop'))
  let failed = false
  thread.on('error', (error: Error & { code?: string }) => {
    failed = true
    // An error the worker did not handle ends it as it would end a process: with its stack.
    const message =
      error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `the worker ran out of its ${heapMaxMb} MB heap; raise --heap-max-mb (TRIBUTARY_HEAP_MAX_MB)`
        : (error.stack ?? error.message)
    process.stderr.write(`tributary: ${message}\n`)
  })
  thread.on('exit', (code) => process.exit(failed && code === 0 ? 1 : code))
}
