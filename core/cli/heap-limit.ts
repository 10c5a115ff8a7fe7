/** The worker thread's JS heap cap: --heap-max-mb, else TRIBUTARY_HEAP_MAX_MB, else 1024 MB. */
import { CliError, EXIT } from './cli-error.ts'

export const DEFAULT_HEAP_MAX_MB = 1024

export function resolveHeapMaxMb(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const text = flag ?? env.TRIBUTARY_HEAP_MAX_MB
  if (text === undefined) return DEFAULT_HEAP_MAX_MB
  const megabytes = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(megabytes)) {
    throw new CliError(`--heap-max-mb (TRIBUTARY_HEAP_MAX_MB): expected a whole number of megabytes, 0 for no cap, not "${text}"`, EXIT.usage)
  }
  return megabytes
}
