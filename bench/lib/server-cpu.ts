/**
 * CPU time a PostgreSQL server has used so far, from /proc (Linux): its postmaster with the children
 * it has reaped (backends whose connection ended) and those still running. Beside the worker's CPU it
 * shows which side of a sink is the limit, steadier than rates on a busy machine.
 */
import fs from 'node:fs'

const USER_HZ = 100 // on Linux

/** The fields of /proc/<pid>/stat after the command name, from `state` on; undefined once the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    return fs
      .readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ')
  } catch {
    return undefined
  }
}

/** utime + stime + cutime + cstime, in clock ticks. */
const ticks = (fields: string[]) => Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])

/** The postmaster listening on `port`: the process named postgres whose command line has `-p <port>`. */
function postmasterPid(port: number): number {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
      if (args.some((arg, i) => arg === '-p' && args[i + 1] === String(port))) return Number(entry)
    } catch {
      // gone while we looked
    }
  }
  throw new Error(`no PostgreSQL server on port ${port}`)
}

/** User + system CPU time of the server on `port` and all its processes, ms. */
export function serverCpuMs(port: number): number {
  const postmaster = postmasterPid(port)
  let total = ticks(statFields(postmaster) ?? [])
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const fields = statFields(Number(entry))
    if (fields !== undefined && Number(fields[1]) === postmaster) total += ticks(fields)
  }
  return (total * 1000) / USER_HZ
}
