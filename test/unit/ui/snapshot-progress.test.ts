import { describe, expect, it } from 'vitest'
import { snapshotProgress } from '../../../ui/src/snapshot-progress.ts'

const snapshot = (done: number, estimated: number) => ({
  phase: 'snapshot',
  snapshot_table: 'public.orders',
  snapshot_rows_done: done,
  snapshot_rows_estimated: estimated,
})

describe('snapshot progress', () => {
  it("reads a CDC task's snapshot details, and nothing from a task that is not snapshotting", () => {
    expect(snapshotProgress(snapshot(250, 1_000), undefined, 0)).toEqual({
      table: 'public.orders',
      done: 250,
      estimated: 1_000,
      fraction: 0.25,
      etaSeconds: undefined,
    })
    expect(snapshotProgress({ phase: 'streaming', snapshot_rows_done: 5 }, undefined, 0)).toBeUndefined()
    expect(snapshotProgress({ phase: 'snapshot' }, undefined, 0)).toBeUndefined()
    expect(snapshotProgress(undefined, undefined, 0)).toBeUndefined()
  })

  it('estimates the time left from the rows/s since it was first seen, and caps the bar at full', () => {
    expect(snapshotProgress(snapshot(600, 1_000), { done: 200, at: 0 }, 4_000)?.etaSeconds).toBe(4)
    expect(snapshotProgress(snapshot(600, 1_000), { done: 600, at: 0 }, 4_000)?.etaSeconds).toBeUndefined()
    expect(snapshotProgress(snapshot(1_200, 1_000), { done: 200, at: 0 }, 4_000)).toMatchObject({ fraction: 1, etaSeconds: undefined })
  })
})
