/** User + system CPU time a process has used so far, from /proc (Linux): steadier than rates on a busy machine. */
import fs from 'node:fs'

export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 // utime + stime, in USER_HZ (100 on Linux)
}
