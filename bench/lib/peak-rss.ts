/** A process's resident-memory high-water mark (VmHWM) in MB, from /proc. */
import fs from 'node:fs'
import { round } from './stats.ts'

export function peakRssMB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  return round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024, 1)
}
