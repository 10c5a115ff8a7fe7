/**
 * The worker thread's JS heap cap: --heap-max-mb, else TRIBUTARY_HEAP_MAX_MB, else 1024 MB, or
 * three quarters of a smaller memory limit set on the process (a container's), so V8 stops the
 * worker with a clear error before the kernel kills it.
 */
import os from 'node:os'
import { CliError, EXIT } from './cli-error.ts'

export const DEFAULT_HEAP_MAX_MB = 1024
const MIN_DEFAULT_HEAP_MB = 64
const MB = 1024 * 1024

/** The default cap under a memory limit of `limitBytes` (undefined or above the machine's memory: none). */
export function defaultHeapMaxMb(limitBytes: number | undefined, machineBytes: number): number {
  if (limitBytes === undefined || !Number.isFinite(limitBytes) || limitBytes <= 0 || limitBytes >= machineBytes) return DEFAULT_HEAP_MAX_MB
  return Math.max(MIN_DEFAULT_HEAP_MB, Math.min(DEFAULT_HEAP_MAX_MB, Math.floor((limitBytes * 0.75) / MB)))
}

export function resolveHeapMaxMb(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const text = flag ?? env.TRIBUTARY_HEAP_MAX_MB
  if (text === undefined) return defaultHeapMaxMb(process.constrainedMemory?.(), os.totalmem())
  const megabytes = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(megabytes)) {
    throw new CliError(
      `--heap-max-mb (TRIBUTARY_HEAP_MAX_MB): expected a whole number of megabytes, 0 for no cap, not "${text}"`,
      EXIT.usage,
    )
  }
  return megabytes
}
