/**
 * A CDC task's snapshot progress from the details it reports (`phase: snapshot`,
 * `snapshot_rows_done`, `snapshot_rows_estimated`, `snapshot_table`), with an ETA from the rows/s
 * seen since the page first saw this snapshot.
 */
import type { TaskDetails } from './types.ts'

export interface SnapshotProgress {
  readonly table: string | undefined
  readonly done: number
  readonly estimated: number
  /** 0..1; the estimate comes from table statistics, so done may pass it. */
  readonly fraction: number
  readonly etaSeconds: number | undefined
}

export interface FirstSeen {
  readonly done: number
  readonly at: number
}

export function snapshotProgress(
  details: TaskDetails | undefined,
  firstSeen: FirstSeen | undefined,
  at: number,
): SnapshotProgress | undefined {
  if (details?.phase !== 'snapshot') return undefined
  const done = details.snapshot_rows_done
  const estimated = details.snapshot_rows_estimated
  if (typeof done !== 'number' || typeof estimated !== 'number') return undefined
  const table = typeof details.snapshot_table === 'string' ? details.snapshot_table : undefined
  const fraction = estimated > 0 ? Math.min(1, done / estimated) : 0
  const perMs = firstSeen !== undefined && at > firstSeen.at ? (done - firstSeen.done) / (at - firstSeen.at) : 0
  const etaSeconds = perMs > 0 && estimated > done ? Math.round((estimated - done) / perMs / 1000) : undefined
  return { table, done, estimated, fraction, etaSeconds }
}
