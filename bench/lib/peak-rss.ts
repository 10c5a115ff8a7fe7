/**
 * A process's resident-memory high-water mark (VmHWM) in MB, from /proc; `resetPeakRss` sets the
 * mark back to what the process holds now (clear_refs 5, Linux 4.0+), so a phase's own peak can be read.
 */
import fs from 'node:fs'
import { round } from './stats.ts'

export function peakRssMB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  return round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024, 1)
}

export function resetPeakRss(pid: number): void {
  fs.writeFileSync(`/proc/${pid}/clear_refs`, '5')
}
