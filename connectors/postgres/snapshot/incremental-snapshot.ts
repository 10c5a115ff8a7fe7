/**
 * Incremental snapshots of tables added to a running capture (Netflix DBLog, Debezium's incremental
 * snapshots) while the stream goes on: each chunk is read in key order between a low and a high
 * watermark, logical messages written into the WAL (no signal table needed), and its rows are emitted
 * as `r` events where the high watermark appears in the stream, minus the keys that changed between
 * the watermarks (chunk-window.ts). Rows go out with the stream's resume position and the ledger
 * after their chunk, so a restart streams from there and reads the next chunk: at most one chunk is
 * read twice, and nothing is lost.
 */
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import type { Logger } from '../../../core/runtime/plugin.ts'
import type { SourceOffset, SourceRecord } from '../../../core/runtime/plugin.ts'
import type { Catalog } from '../source/source-catalog.ts'
import type { ChangeEvents } from '../source/change-events.ts'
import { ChunkWindow } from './chunk-window.ts'
import { formatLsn, type Lsn } from '../source/lsn.ts'
import { quoteIdentifier } from '../shared/quote.ts'
import type { ReplicationEvent } from '../source/replication-stream.ts'
import { ledgerOffset, type SnapshotLedger } from './snapshot-ledger.ts'
import type { StreamReader } from '../source/stream-reader.ts'
import { pagesByKey, readTableChunk, tableName } from './table-chunk.ts'

/** The logical message prefix of watermarks; the content is `low:<id>` or `high:<id>`. */
export const WATERMARK_PREFIX = 'tributary-watermark'

export interface IncrementalSnapshotOptions {
  /** A normal (non-replication) connection of its own, ended by `close()`. */
  readonly client: pg.Client
  /** The catalogue on that connection. */
  readonly catalog: Catalog
  readonly events: ChangeEvents
  readonly chunkRows: number
  readonly ledger: SnapshotLedger
  readonly logger: Logger
}

export interface IncrementalProgress {
  readonly table: string | null
  readonly rowsDone: number
  readonly rowsEstimated: number
}

export class IncrementalSnapshot {
  private readonly options: IncrementalSnapshotOptions
  private ledgerNow: SnapshotLedger
  private offsetNow: SourceOffset
  private window: ChunkWindow | undefined
  private rowsDone = 0
  private rowsEstimated = 0
  private readonly estimated = new Set<string>()

  private constructor(options: IncrementalSnapshotOptions) {
    this.options = options
    this.ledgerNow = options.ledger
    this.offsetNow = ledgerOffset(options.ledger)
  }

  static async open(options: IncrementalSnapshotOptions): Promise<IncrementalSnapshot> {
    // The stream sends only flushed WAL: a watermark committed without a flush (synchronous_commit
    // off) would reach it only at the WAL writer's next round, and every chunk would wait for that.
    await options.client.query('SET synchronous_commit = local')
    return new IncrementalSnapshot(options)
  }

  /** The offset fields of the ledger as far as rows are emitted. */
  get offset(): SourceOffset {
    return this.offsetNow
  }

  get isDone(): boolean {
    return this.ledgerNow.incremental === undefined
  }

  get progress(): IncrementalProgress {
    return {
      table: this.ledgerNow.incremental?.tables[0] ?? null,
      rowsDone: this.rowsDone,
      rowsEstimated: Math.max(this.rowsEstimated, this.rowsDone),
    }
  }

  /** Reads the next chunk between its watermarks, unless a read chunk still waits for them. */
  async readNextChunk(): Promise<void> {
    const { client, catalog, chunkRows, events, logger } = this.options
    while (this.window === undefined && this.ledgerNow.incremental !== undefined) {
      const { tables, key } = this.ledgerNow.incremental
      const table = tables[0] as string
      const target = tableName(table)
      if (!pagesByKey(await catalog.keyColumns(target.schema, target.table), await catalog.tableColumns(target.schema, target.table))) {
        // Keyless rows cannot be matched against streamed changes; the table stays unread (not done).
        logger.warn(
          { table },
          'incremental snapshot skips a table without a primary key or a unique index of NOT NULL columns; set message.key.columns for it to be read',
        )
        this.advance({ done: this.ledgerNow.done, incremental: next(tables) })
        continue
      }
      await this.estimate(table)
      const id = randomUUID()
      await this.emitWatermark(`low:${id}`)
      const chunk = await readTableChunk(client, catalog, events, target, key, chunkRows)
      if (chunk.lastKey === null) {
        this.finishTable(table)
        continue
      }
      this.window = new ChunkWindow(id, chunk.relation, chunk.rows, chunk.lastKey, (row) => events.key(chunk.relation, row))
      await this.emitWatermark(`high:${id}`)
    }
  }

  /**
   * Hands the events to the reader, cut at this task's watermarks: the records before a watermark
   * are reconciled with the open chunk, and at the high one the chunk's rows join the output.
   */
  async accept(reader: StreamReader, events: readonly ReplicationEvent[]): Promise<SourceRecord[]> {
    const output: SourceRecord[] = []
    let from = 0
    for (let index = 0; index < events.length; index++) {
      const message = (events[index] as ReplicationEvent).message
      if (message.tag !== 'message' || message.prefix !== WATERMARK_PREFIX) continue
      output.push(...(await this.readUpTo(reader, events.slice(from, index))))
      from = index + 1
      output.push(...this.onWatermark(message.content.toString('utf8'), reader.resumeLsn))
    }
    output.push(...(await this.readUpTo(reader, from === 0 ? events : events.slice(from))))
    return output
  }

  /** Forgets the chunk waiting for its watermarks (a new stream may not carry them): it is read again. */
  discardWindow(): void {
    this.window = undefined
  }

  async close(): Promise<void> {
    await this.options.client
      .end()
      .catch((err: unknown) => this.options.logger.debug({ err }, 'ending the incremental snapshot connection failed'))
  }

  private async readUpTo(reader: StreamReader, events: readonly ReplicationEvent[]): Promise<SourceRecord[]> {
    reader.snapshotOffset = this.offsetNow
    const records = await reader.accept(events)
    this.window?.observe(records)
    return records
  }

  private onWatermark(content: string, resumeLsn: Lsn): SourceRecord[] {
    const window = this.window
    const [kind, id] = content.split(':')
    if (window === undefined || id !== window.id) return []
    if (kind === 'low') {
      window.open()
      return []
    }
    this.window = undefined
    // A high watermark without its low one (cannot happen on one stream): read the chunk again.
    if (!window.isOpen) return []
    return this.emitChunk(window, resumeLsn)
  }

  /** The chunk's rows; all but the last carry the ledger before the chunk, the last the ledger after. */
  private emitChunk(window: ChunkWindow, resumeLsn: Lsn): SourceRecord[] {
    const before = this.offsetNow
    const tables = this.ledgerNow.incremental?.tables ?? []
    this.rowsDone += window.rowsRead
    if (window.rowsRead < this.options.chunkRows) this.finishTable(tables[0] as string)
    else this.advance({ done: this.ledgerNow.done, incremental: { tables, key: window.lastKey } })
    const lsn = formatLsn(resumeLsn)
    const rows = window.remaining()
    return rows.map((row, index) =>
      this.options.events.snapshotRow(window.relation, row, {
        xid: null,
        commitTimeUs: Date.now() * 1000,
        lsn: resumeLsn,
        lastCommitLsn: resumeLsn,
        snapshot: 'incremental',
        offset: { ...(index === rows.length - 1 ? this.offsetNow : before), lsn },
      }),
    )
  }

  private finishTable(table: string): void {
    const tables = this.ledgerNow.incremental?.tables ?? []
    this.advance({ done: [...this.ledgerNow.done, table], incremental: next(tables) })
    this.options.logger.info({ table, rowsDone: this.rowsDone }, 'incremental snapshot read a table')
  }

  private advance(ledger: SnapshotLedger): void {
    this.ledgerNow = ledger
    this.offsetNow = ledgerOffset(ledger)
  }

  /** Adds the table's row estimate to the total once, when its reading starts. */
  private async estimate(table: string): Promise<void> {
    if (this.estimated.has(table)) return
    this.estimated.add(table)
    const target = tableName(table)
    const { rows } = await this.options.client.query<{ estimate: string }>(
      'SELECT greatest(reltuples, 0)::bigint AS estimate FROM pg_class WHERE oid = $1::regclass',
      [`${quoteIdentifier(target.schema)}.${quoteIdentifier(target.table)}`],
    )
    this.rowsEstimated += Number(rows[0]?.estimate ?? 0)
  }

  /** A transactional logical message, decoded in commit order with the changes around it. */
  private async emitWatermark(content: string): Promise<void> {
    await this.options.client.query('SELECT pg_logical_emit_message(true, $1, $2)', [WATERMARK_PREFIX, content])
  }
}

function next(tables: readonly string[]): SnapshotLedger['incremental'] {
  return tables.length > 1 ? { tables: tables.slice(1), key: null } : undefined
}
