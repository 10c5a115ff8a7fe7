/**
 * `tributary status --follow`: one progress bar (cli-progress) per task that reports a running
 * snapshot, redrawn from the worker's status every interval until no task snapshots any more. The
 * bars go to stderr when it is a terminal; a script still gets the wait, and the outcome on stdout.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import cliProgress from 'cli-progress'
import type { RestClient } from './rest-client.ts'
import { snapshotDetails } from './snapshot-details.ts'

interface Task {
  id: number
  state: string
  details?: Record<string, unknown>
}
type Statuses = Record<string, { status: { tasks: Task[] } }>

export interface FollowedSnapshots {
  /** `<connector> task <id>` of every task seen snapshotting. */
  readonly followed: readonly string[]
  /** Those of them that ended FAILED. */
  readonly failed: readonly string[]
}

export async function followSnapshots(
  client: RestClient,
  options: { intervalMs?: number; stream?: NodeJS.WritableStream } = {},
): Promise<FollowedSnapshots> {
  const stream = options.stream ?? process.stderr
  // cli-progress still prints a last frame to a stream that is no terminal; draw only on one.
  const bars =
    (stream as { isTTY?: boolean }).isTTY === true
      ? new cliProgress.MultiBar(
          { stream, format: '{task} [{bar}] {value}/{total} rows {percentage}% eta {eta_formatted}', barsize: 30, hideCursor: true },
          cliProgress.Presets.legacy,
        )
      : undefined
  const shown = new Map<string, cliProgress.SingleBar>()
  const followed = new Set<string>()
  const failed = new Set<string>()
  try {
    for (;;) {
      const statuses = await client.request<Statuses>('GET', '/connectors?expand=status')
      let snapshotting = 0
      for (const [name, { status }] of Object.entries(statuses)) {
        for (const task of status.tasks) {
          const key = `${name} task ${task.id}`
          const snapshot = snapshotDetails(task.details)
          // A task that failed while snapshotting keeps its last details: its snapshot failed.
          if (snapshot !== undefined) followed.add(key)
          if (followed.has(key) && task.state === 'FAILED') failed.add(key)
          if (snapshot !== undefined && task.state !== 'FAILED') {
            snapshotting++
            const done = snapshot.done
            const total = Math.max(snapshot.estimated, done, 1)
            const label = snapshot.table !== undefined ? `${key} ${snapshot.table}` : key
            const bar = shown.get(key)
            if (bar === undefined) {
              if (bars !== undefined) shown.set(key, bars.create(total, done, { task: label }))
            } else {
              bar.setTotal(total)
              bar.update(done, { task: label })
            }
          } else {
            const bar = shown.get(key)
            if (bar !== undefined) bar.update(bar.getTotal())
          }
        }
      }
      // Drawn now rather than on cli-progress's own timer, so every reading shows.
      bars?.update()
      if (snapshotting === 0) return { followed: [...followed], failed: [...failed] }
      await sleep(options.intervalMs ?? 1000)
    }
  } finally {
    bars?.stop()
  }
}
