import { describe, expect, it } from 'vitest'
import { addReading, emptyHistory, HISTORY_LENGTH } from '../../../ui/src/rates.ts'
import type { ConnectorTotals, MetricsReading } from '../../../ui/src/types.ts'

const zero: ConnectorTotals = {
  source_records_polled: 0,
  source_records_written: 0,
  sink_records_put: 0,
  records_filtered: 0,
  record_errors: 0,
  sink_lag_records: 0,
}
const reading = (at: number, connectors: Record<string, Partial<ConnectorTotals>>): MetricsReading => ({
  at,
  connectors: Object.fromEntries(Object.entries(connectors).map(([name, totals]) => [name, { ...zero, ...totals }])),
})

describe('rates from counter readings', () => {
  it('needs two readings, then gives records/s per connector and in/out over all of them', () => {
    const first = addReading(emptyHistory, reading(1_000, { src: { source_records_written: 10 }, dst: { sink_records_put: 4 } }))
    expect(first.connectors).toEqual({})
    const second = addReading(first, reading(3_000, { src: { source_records_written: 30 }, dst: { sink_records_put: 10 } }))
    expect(second.connectors).toEqual({ src: [10], dst: [3] })
    expect(second.in).toEqual([10])
    expect(second.out).toEqual([3])
  })

  it('counts a connector first seen, or a counter that went down (a restarted worker), as 0', () => {
    let history = addReading(emptyHistory, reading(0, { src: { source_records_written: 50 } }))
    history = addReading(history, reading(1_000, { src: { source_records_written: 5 }, fresh: { source_records_written: 7 } }))
    expect(history.connectors).toEqual({ src: [0], fresh: [0] })
    expect(history.in).toEqual([0])
  })

  it('ignores a reading no newer than the last, and keeps the newest HISTORY_LENGTH values', () => {
    let history = addReading(emptyHistory, reading(0, { src: {} }))
    for (let i = 1; i <= HISTORY_LENGTH + 5; i++)
      history = addReading(history, reading(i * 1_000, { src: { source_records_written: i * i } }))
    expect(history.connectors.src).toHaveLength(HISTORY_LENGTH)
    expect(history.connectors.src?.at(-1)).toBe((HISTORY_LENGTH + 5) ** 2 - (HISTORY_LENGTH + 4) ** 2)
    expect(addReading(history, reading((HISTORY_LENGTH + 5) * 1_000, { src: { source_records_written: 0 } })).connectors).toBe(
      history.connectors,
    )
  })
})
