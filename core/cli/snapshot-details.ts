/**
 * A CDC task's snapshot progress as its status details report it (`phase: snapshot`,
 * `snapshot_rows_done`, `snapshot_rows_estimated`, `snapshot_table`); undefined in any other phase.
 * The estimate comes from table statistics, so `done` may pass it.
 */
export interface SnapshotDetails {
  readonly table: string | undefined
  readonly done: number
  readonly estimated: number
}

export function snapshotDetails(details: Record<string, unknown> | undefined): SnapshotDetails | undefined {
  if (details?.phase !== 'snapshot') return undefined
  return {
    table: typeof details.snapshot_table === 'string' ? details.snapshot_table : undefined,
    done: Number(details.snapshot_rows_done),
    estimated: Number(details.snapshot_rows_estimated),
  }
}
