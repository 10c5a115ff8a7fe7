/**
 * One chunk of an incremental snapshot, read between a low and a high watermark (DBLog). The read
 * happened somewhere between the two in commit order, so for a key that a streamed change touches
 * between them the read row may be older or newer than that change: the row is dropped and the
 * change, already in the stream, stands. The rows left at the high watermark are exactly the table's
 * state there, and are emitted at that point of the stream.
 */
import type { SourceRecord } from '../../../core/runtime/plugin.ts'
import { keyText, type Relation, type Row } from '../source/change-events.ts'

export class ChunkWindow {
  /** The watermark id, unique per chunk: stray watermarks (other tasks, earlier runs) never match. */
  readonly id: string
  readonly relation: Relation
  /** Text key of the chunk's last row as read: the next chunk starts after it, dropped or not. */
  readonly lastKey: readonly string[]
  readonly rowsRead: number
  private readonly rows = new Map<string, Row>()
  private opened = false

  constructor(id: string, relation: Relation, rows: readonly Row[], lastKey: readonly string[], keyOf: (row: Row) => unknown) {
    this.id = id
    this.relation = relation
    this.lastKey = lastKey
    this.rowsRead = rows.length
    for (const row of rows) this.rows.set(keyText(keyOf(row)), row)
  }

  /** The low watermark arrived: changes from here on supersede the rows they touch. */
  open(): void {
    this.opened = true
  }

  get isOpen(): boolean {
    return this.opened
  }

  /** Drops the rows these streamed records change; records before the low watermark change nothing. */
  observe(records: readonly SourceRecord[]): void {
    if (!this.opened || this.rows.size === 0) return
    const { schema, table } = this.relation
    for (const record of records) {
      const value = record.value as { op?: string; source?: { schema?: string; table?: string } } | null
      if (value === null || value.source?.table !== table || value.source.schema !== schema) continue
      if (value.op === 't') this.rows.clear()
      else this.rows.delete(keyText(record.key))
    }
  }

  /** The rows no change touched, in key order. */
  remaining(): Row[] {
    return [...this.rows.values()]
  }
}
