/**
 * The task every SQL sink runs: records become row operations, folded per key and applied at flush
 * in one transaction together with the consumed offsets, so a batch redelivered after a crash is
 * recognised and skipped (exactly-once). A record the database refuses (wrong type, constraint) is
 * isolated and handed to the runtime's error policy with the database's message; the rest of the
 * batch goes in, in the same one transaction. The database side (statements, types, error codes) is
 * the dialect's.
 */
import type { SinkRecord, SinkTask, SinkTaskContext, TributaryError } from '../../core/runtime/plugin.ts'
import type { SqlSinkSettings } from './config-fields.ts'
import { reduceOperations } from './reduce-operations.ts'
import { operationReader, type RowOperation } from './row-operation.ts'

export interface PartitionOffset {
  readonly topic: string
  readonly partition: number
  readonly offset: number
}

export type Refuse = (operation: RowOperation, error: unknown) => Promise<void>

/** One connection to the target database, as the task uses it. */
export interface SinkStore {
  /** Creates the offsets table when missing; the offsets it holds for this connector, by `topic\0partition`. */
  storedOffsets(): Promise<Map<string, number>>
  /** Applies the operations and then records the offsets, in one transaction. */
  apply(operations: readonly RowOperation[], offsets: readonly PartitionOffset[]): Promise<void>
  /**
   * The same, one operation at a time, each behind a savepoint: an operation the database refuses is
   * handed to `refuse` and rolled back to its savepoint while the transaction stays open, so the
   * others and the offsets still commit together. Should `refuse` throw, everything rolls back.
   */
  applyEach(operations: readonly RowOperation[], offsets: readonly PartitionOffset[], refuse: Refuse): Promise<void>
  /** Forgets cached table shapes (after a failed batch, a table may have changed). */
  forgetTables(): void
  close(): Promise<void>
}

export interface SqlSinkDialect<C> {
  readonly sinkName: string
  /** Qualifies table names without one: a schema or a database. */
  defaultNamespace(config: C): string | undefined
  open(context: SinkTaskContext<C>): Promise<SinkStore>
  /** A driver error as TRB_SINK_WRITE with the database's code, retriable only where the code says so. */
  writeError(error: unknown): TributaryError
}

const slotOf = (topic: string, partition: number) => `${topic}\0${partition}`

/** Operations and the offsets they take each partition to, waiting to be applied together. */
class Batch {
  operations: RowOperation[] = []
  readonly offsets = new Map<string, { topic: string; partition: number; offset: number }>()

  /** Moves everything of `other` into this batch, after what it holds. */
  take(other: Batch): void {
    for (const operation of other.operations) this.operations.push(operation)
    for (const [slot, offset] of other.offsets) this.offsets.set(slot, offset)
    other.clear()
  }

  clear(): void {
    this.operations = []
    this.offsets.clear()
  }

  /** Drops what the database already has (the offsets table says so). */
  dropApplied(applied: (topic: string, partition: number, offset: number) => boolean): void {
    this.operations = this.operations.filter(({ record }) => !applied(record.topic, record.partition, record.offset))
    for (const [slot, { topic, partition, offset }] of this.offsets) if (applied(topic, partition, offset)) this.offsets.delete(slot)
  }
}

export class SqlSinkTask<C extends SqlSinkSettings> implements SinkTask {
  /** put() fills a batch of its own while flush() applies an earlier one. */
  readonly putsWhileFlushing = true
  private readonly context: SinkTaskContext<C>
  private readonly dialect: SqlSinkDialect<C>
  private readonly toOperation: (record: SinkRecord) => RowOperation | null
  private store: SinkStore | undefined
  private stored = new Map<string, number>()
  /** What put() has added since the last flush() began. */
  private open = new Batch()
  /** What a flush took and has not applied yet (all of it again after a failure, before newer puts). */
  private readonly flushing = new Batch()
  private placeholderBytes: Buffer | undefined

  constructor(context: SinkTaskContext<C>, dialect: SqlSinkDialect<C>) {
    this.context = context
    this.dialect = dialect
    this.toOperation = operationReader({
      ...context.config,
      defaultNamespace: dialect.defaultNamespace(context.config),
      sinkName: dialect.sinkName,
    })
  }

  async start(): Promise<void> {
    await this.connected()
  }

  /**
   * The store, opened again after a retriable failure closed it (a dropped connection is useless to
   * the next attempt). The attempt that failed may have committed before its reply was lost: what
   * the offsets table now covers is dropped from the pending batches, so it is not applied twice.
   */
  private async connected(): Promise<SinkStore> {
    if (this.store !== undefined) return this.store
    let store: SinkStore | undefined
    try {
      store = await this.dialect.open(this.context)
      this.stored = await store.storedOffsets()
    } catch (error) {
      await store?.close().catch(() => undefined) // the open failure is the one to report
      throw this.dialect.writeError(error)
    }
    this.store = store
    const applied = (topic: string, partition: number, offset: number) => offset <= (this.stored.get(slotOf(topic, partition)) ?? -1)
    this.flushing.dropApplied(applied)
    this.open.dropApplied(applied)
    return store
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    const batch = this.open
    // Records come in runs of one partition: its offsets entry and stored offset are looked up once per run.
    let run: { topic: string; partition: number; storedUpTo: number; slot: string } | undefined
    let current: { topic: string; partition: number; offset: number } | undefined
    for (const record of records) {
      if (run === undefined || run.topic !== record.topic || run.partition !== record.partition) {
        const slot = slotOf(record.topic, record.partition)
        run = { topic: record.topic, partition: record.partition, storedUpTo: this.stored.get(slot) ?? -1, slot }
        current = batch.offsets.get(slot)
      }
      // Already in the database: the offsets table says so (a redelivery after a crash).
      if (record.offset <= run.storedUpTo) continue
      if (current === undefined) {
        current = { topic: record.topic, partition: record.partition, offset: record.offset }
        batch.offsets.set(run.slot, current)
      } else current.offset = record.offset
      let operation: RowOperation | null
      try {
        operation = this.toOperation(record)
      } catch (error) {
        await this.context.reportBadRecord(record, error as Error)
        continue
      }
      if (operation === null) continue
      if (operation.kind === 'upsert') {
        const row = this.withoutPlaceholders(operation.row)
        if (row !== operation.row) operation = { ...operation, row }
      }
      batch.operations.push(operation)
    }
  }

  async flush(): Promise<void> {
    // Taken before the first await: what put() adds from now on is the next flush's.
    this.flushing.take(this.open)
    const store = await this.connected()
    const operations = reduceOperations(this.flushing.operations)
    const offsets = [...this.flushing.offsets.values()]
    if (operations.length === 0 && offsets.length === 0) return
    try {
      await store.apply(operations, offsets)
    } catch (error) {
      store.forgetTables()
      const failure = this.dialect.writeError(error)
      if (failure.retriable || operations.length === 0) throw await this.closedIfRetriable(store, failure)
      await this.isolate(operations, offsets).catch(async (isolating: unknown) => {
        throw await this.closedIfRetriable(store, this.dialect.writeError(isolating))
      })
    }
    for (const offset of offsets) this.stored.set(slotOf(offset.topic, offset.partition), offset.offset)
    this.flushing.clear()
  }

  /** The runtime retries a retriable failure: the retry gets a new connection, not this one. */
  private async closedIfRetriable(store: SinkStore, failure: TributaryError): Promise<TributaryError> {
    if (!failure.retriable) return failure
    this.store = undefined
    await store.close().catch((err: unknown) => this.context.logger.debug({ err }, 'closing the store after a retriable failure failed'))
    return failure
  }

  async stop(): Promise<void> {
    await this.store?.close().catch((err: unknown) => this.context.logger.debug({ err }, 'closing the store on stop failed'))
    this.store = undefined
  }

  /**
   * Applies the batch again one operation at a time; the ones the database refuses go to the error
   * policy before the rest commits with the offsets. A retriable failure ends the attempt instead.
   */
  private async isolate(operations: readonly RowOperation[], offsets: readonly PartitionOffset[]): Promise<void> {
    await (this.store as SinkStore).applyEach(operations, offsets, async (operation, error) => {
      const failure = this.dialect.writeError(error)
      if (failure.retriable) throw failure
      await this.context.reportBadRecord(operation.record, failure)
    })
  }

  /**
   * An unchanged-TOAST placeholder must never overwrite the stored value: leave the column out. A
   * typed record's bytes column holds the placeholder's bytes.
   */
  private withoutPlaceholders(row: Record<string, unknown>): Record<string, unknown> {
    for (const column in row) {
      if (this.isPlaceholder(row[column])) return Object.fromEntries(Object.entries(row).filter(([, value]) => !this.isPlaceholder(value)))
    }
    return row
  }

  private isPlaceholder(value: unknown): boolean {
    if (value === this.context.config['unavailable.value.placeholder']) return true
    if (!Buffer.isBuffer(value)) return false
    this.placeholderBytes ??= Buffer.from(this.context.config['unavailable.value.placeholder'])
    return value.equals(this.placeholderBytes)
  }
}
