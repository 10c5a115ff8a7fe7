/**
 * Records per second from two successive counter readings, kept as short histories for the
 * sparklines. A connector's flow is the records it moved across the log's edge: a source's appended
 * to the log ("in"), a sink's flushed to its store ("out"); the other counter is always 0.
 */
import type { ConnectorTotals, MetricsReading } from './types.ts'

export const HISTORY_LENGTH = 60

export interface RateHistory {
  readonly previous: MetricsReading | undefined
  /** Newest last, at most HISTORY_LENGTH values each. */
  readonly connectors: Readonly<Record<string, readonly number[]>>
  readonly in: readonly number[]
  readonly out: readonly number[]
}

export const emptyHistory: RateHistory = { previous: undefined, connectors: {}, in: [], out: [] }

export function addReading(history: RateHistory, reading: MetricsReading): RateHistory {
  const previous = history.previous
  if (previous === undefined || reading.at <= previous.at) return { ...history, previous: reading }
  const seconds = (reading.at - previous.at) / 1000
  // A counter that went down belongs to a restarted worker: count that interval as 0, not negative.
  const rate = (now: number, before: number) => Math.max(0, now - before) / seconds
  const connectors: Record<string, readonly number[]> = {}
  for (const [name, totals] of Object.entries(reading.connectors)) {
    const before = previous.connectors[name]
    connectors[name] = append(history.connectors[name] ?? [], before === undefined ? 0 : rate(flow(totals), flow(before)))
  }
  return {
    previous: reading,
    connectors,
    in: append(history.in, rate(sum(reading, 'source_records_written'), sum(previous, 'source_records_written'))),
    out: append(history.out, rate(sum(reading, 'sink_records_put'), sum(previous, 'sink_records_put'))),
  }
}

function flow(totals: ConnectorTotals): number {
  return totals.source_records_written + totals.sink_records_put
}

function sum(reading: MetricsReading, key: keyof ConnectorTotals): number {
  return Object.values(reading.connectors).reduce((total, totals) => total + totals[key], 0)
}

function append(series: readonly number[], value: number): readonly number[] {
  return [...series.slice(-(HISTORY_LENGTH - 1)), value]
}
