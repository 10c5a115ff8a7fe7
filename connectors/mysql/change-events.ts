/**
 * Builds Debezium-compatible change events for MySQL/MariaDB rows: key = primary key, value
 * `{ before, after, source, op, ts_ms }` with Debezium's MySQL `source` block (file, pos, row,
 * gtid, server_id, thread, query), topic `<prefix>.<database>.<table>`; a tombstone follows a delete
 * unless disabled.
 */
import type { SourceOffset, SourceRecord } from '../../core/runtime/plugin.ts'
import type { TableShape } from './catalog.ts'

export type Row = Record<string, unknown>

/** Where in the binlog (or the snapshot) a change comes from. */
export interface EventContext {
  readonly timestampMs: number
  readonly snapshot: 'true' | 'last' | 'false'
  readonly serverId: number | null
  readonly gtid: string | null
  readonly file: string
  readonly pos: number
  /** The row's index within its rows event. */
  readonly row: number
  readonly thread: number | null
  readonly offset: SourceOffset
}

export interface ChangeEventSettings {
  readonly prefix: string
  readonly topic: string | undefined
  readonly tombstones: boolean
}

export class ChangeEvents {
  private readonly settings: ChangeEventSettings

  constructor(settings: ChangeEventSettings) {
    this.settings = settings
  }

  get sourcePartition(): { server: string } {
    return { server: this.settings.prefix }
  }

  topicFor(shape: Pick<TableShape, 'database' | 'table'>): string {
    return this.settings.topic ?? `${this.settings.prefix}.${shape.database}.${shape.table}`
  }

  key(shape: TableShape, row: Row): Row | null {
    if (shape.keyColumns.length === 0) return null
    const key: Row = {}
    for (const name of shape.keyColumns) key[name] = row[name] ?? null
    return key
  }

  /** One change; a delete is followed by a tombstone unless disabled. */
  change(shape: TableShape, op: 'c' | 'u' | 'd' | 'r', before: Row | null, after: Row | null, context: EventContext): SourceRecord[] {
    const key = this.key(shape, (after ?? before) as Row)
    const value = { before, after, source: this.source(shape, context), op, ts_ms: Date.now() }
    const record: SourceRecord = {
      topic: this.topicFor(shape),
      key,
      value,
      timestamp: context.timestampMs,
      sourcePartition: this.sourcePartition,
      sourceOffset: context.offset,
    }
    if (op !== 'd' || !this.settings.tombstones || key === null) return [record]
    return [record, { ...record, value: null }]
  }

  private source(shape: TableShape, context: EventContext): Record<string, unknown> {
    return {
      version: '1.0.0',
      connector: 'mysql',
      name: this.settings.prefix,
      ts_ms: context.timestampMs,
      snapshot: context.snapshot,
      db: shape.database,
      table: shape.table,
      server_id: context.serverId ?? 0,
      gtid: context.gtid,
      file: context.file,
      pos: context.pos,
      row: context.row,
      thread: context.thread,
      query: null,
    }
  }
}
