/** What both CDC sources do alike around a change event: its key, the envelope's processing time, and the tombstone after a delete. */
import type { SourceRecord } from '../../core/runtime/plugin.ts'

type Row = Record<string, unknown>

/** The key columns' values (null for a column the row lacks); null for a table without a key. */
export function keyOf(keyColumns: readonly string[], row: Row): Row | null {
  if (keyColumns.length === 0) return null
  const key: Row = {}
  for (const name of keyColumns) key[name] = row[name] ?? null
  return key
}

/**
 * The record, and after a delete a tombstone (so compaction can drop the key) unless disabled; a
 * tombstone has no value schema. A keyless table's delete has one too, with a null key, as Debezium's.
 */
export function withTombstone(record: SourceRecord, op: string, tombstones: boolean): SourceRecord[] {
  return op === 'd' && tombstones ? [record, { ...record, value: null, valueSchema: undefined }] : [record]
}

/** A key's identity for comparing keys: JSON, with bigints written out. */
export function keyText(key: unknown): string {
  return JSON.stringify(key, (_name, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))
}

/** The envelope's processing time: ts_ns is a bigint, made once per ms. */
export interface ProcessingTime {
  readonly ms: number
  readonly ns: bigint
}

/** The envelope's processing time (ts_ms, ts_ns), kept per millisecond: the same object all through one. */
export class ProcessingClock {
  private latest: ProcessingTime = { ms: -1, ns: 0n }

  now(): ProcessingTime {
    const ms = Date.now()
    if (ms !== this.latest.ms) this.latest = { ms, ns: BigInt(ms) * 1_000_000n }
    return this.latest
  }
}
