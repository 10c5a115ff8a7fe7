/** CPU time from /proc (Linux): steadier than rates on a busy machine. */
import fs from 'node:fs'

/** The fields of /proc/<pid>/stat after the command name, from `state` on. */
const statFields = (pid: number | 'self') =>
  fs
    .readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ')
const USER_HZ = 100 // on Linux

/** User + system CPU time a process has used so far. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  const fields = statFields(pid)
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ // utime + stime
}

/** User + system CPU time of this process's children that have ended (cutime + cstime): a tool run to its end. */
export function endedChildrenCpuMs(): number {
  const fields = statFields('self')
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / USER_HZ
}
