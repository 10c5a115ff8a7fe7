/** Small numeric helpers shared by the benchmarks. */

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index]!
}

export function latencySummary(samples: number[]): { p50: number; p99: number; max: number } {
  samples.sort((a, b) => a - b)
  return {
    p50: round(percentile(samples, 50), 3),
    p99: round(percentile(samples, 99), 3),
    max: round(samples[samples.length - 1] ?? Number.NaN, 3),
  }
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2
}

export function perSecond(count: number, elapsedMs: number): number {
  return Math.round((count / elapsedMs) * 1000)
}

export function megabytesPerSecond(bytes: number, elapsedMs: number): number {
  return round(bytes / (1024 * 1024) / (elapsedMs / 1000), 1)
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

export function ratio(ours: number | null, theirs: number | null): number | null {
  return ours === null || theirs === null || theirs === 0 ? null : round(ours / theirs, 2)
}

/** Runs `workers` loops that each await `task` until `total` units are issued: a window of in-flight work. */
export async function runWindow(total: number, workers: number, unit: number, task: () => Promise<unknown>): Promise<number> {
  let issued = 0
  const started = performance.now()
  const worker = async (): Promise<void> => {
    while (issued < total) {
      issued += unit
      await task()
    }
  }
  await Promise.all(Array.from({ length: workers }, worker))
  return performance.now() - started
}

/** A 100-byte (or `size`) value that is not all zeros, made once and shared. */
export function sampleValue(size: number): Buffer {
  const value = Buffer.alloc(size)
  for (let i = 0; i < size; i++) value[i] = (i * 31 + 7) & 0xff
  return value
}
