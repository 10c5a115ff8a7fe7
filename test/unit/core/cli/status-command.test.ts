import { describe, expect, it } from 'vitest'
import { snapshotLine } from '../../../../core/cli/status-command.ts'

describe('snapshot progress in tributary status', () => {
  it('draws a bar from the rows a snapshotting task reports, capped at full', () => {
    expect(
      snapshotLine({ phase: 'snapshot', snapshot_table: 'public.orders', snapshot_rows_done: 500, snapshot_rows_estimated: 1000 }),
    ).toBe(`snapshot of public.orders [${'#'.repeat(10)}${'.'.repeat(10)}] 500/1000 rows`)
    expect(snapshotLine({ phase: 'snapshot', snapshot_rows_done: 1500, snapshot_rows_estimated: 1000 })).toBe(
      `snapshot [${'#'.repeat(20)}] 1500/1000 rows`,
    )
    expect(snapshotLine({ phase: 'snapshot', snapshot_rows_done: 0, snapshot_rows_estimated: 0 })).toBe(
      `snapshot [${'.'.repeat(20)}] 0/0 rows`,
    )
  })

  it('says nothing for a task that is not snapshotting', () => {
    expect(snapshotLine({ phase: 'streaming', binlog_file: 'mysql-bin.000001' })).toBeUndefined()
    expect(snapshotLine(undefined)).toBeUndefined()
  })
})
