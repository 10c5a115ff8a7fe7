/**
 * The task every SQL sink runs: records become row operations, folded per key and applied at flush
 * in one transaction together with the consumed offsets, so a batch redelivered after a crash is
 * recognised and skipped (exactly-once). A record the database refuses (wrong type, constraint) is
 * isolated and handed to the runtime's error policy with the database's message; the rest of the
 * batch goes in, in the same one transaction. The database side (statements, types, error codes) is
 * the dialect's.
 */
import type { TributaryError } from '../../core/errors.ts'
import type { SinkRecord, SinkTask, SinkTaskContext } from '../../core/runtime/plugin.ts'
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

export class SqlSinkTask<C extends SqlSinkSettings> implements SinkTask {
  private readonly context: SinkTaskContext<C>
  private readonly dialect: SqlSinkDialect<C>
  private readonly toOperation: (record: SinkRecord) => RowOperation | null
  private store: SinkStore | undefined
  private stored = new Map<string, number>()
  private operations: RowOperation[] = []
  private offsets = new Map<string, PartitionOffset>()

  constructor(context: SinkTaskContext<C>, dialect: SqlSinkDialect<C>) {
    this.context = context
    this.dialect = dialect
    this.toOperation = operationReader({ ...context.config, defaultNamespace: dialect.defaultNamespace(context.config), sinkName: dialect.sinkName })
  }

  async start(): Promise<void> {
    await this.connected()
  }

  /**
   * The store, opened again after a retriable failure closed it (a dropped connection is useless to
   * the next attempt). The attempt that failed may have committed before its reply was lost: what
   * the offsets table now covers is dropped from the pending batch, so it is not applied twice.
   */
  private async connected(): Promise<SinkStore> {
    if (this.store !== undefined) return this.store
    let store: SinkStore | undefined
    try {
      store = await this.dialect.open(this.context)
      this.stored = await store.storedOffsets()
    } catch (error) {
      await store?.close().catch(() => undefined)
      throw this.dialect.writeError(error)
    }
    this.store = store
    const applied = (topic: string, partition: number, offset: number) => offset <= (this.stored.get(slotOf(topic, partition)) ?? -1)
    this.operations = this.operations.filter(({ record }) => !applied(record.topic, record.partition, record.offset))
    for (const [slot, { topic, partition, offset }] of this.offsets) if (applied(topic, partition, offset)) this.offsets.delete(slot)
    return store
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    for (const record of records) {
      const slot = slotOf(record.topic, record.partition)
      // Already in the database: the offsets table says so (a redelivery after a crash).
      if (record.offset <= (this.stored.get(slot) ?? -1)) continue
      this.offsets.set(slot, { topic: record.topic, partition: record.partition, offset: record.offset })
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
      this.operations.push(operation)
    }
  }

  async flush(): Promise<void> {
    const store = await this.connected()
    const operations = reduceOperations(this.operations)
    const offsets = [...this.offsets.values()]
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
    this.operations = []
    this.offsets.clear()
  }

  /** The runtime retries a retriable failure: the retry gets a new connection, not this one. */
  private async closedIfRetriable(store: SinkStore, failure: TributaryError): Promise<TributaryError> {
    if (!failure.retriable) return failure
    this.store = undefined
    await store.close().catch(() => undefined)
    return failure
  }

  async stop(): Promise<void> {
    await this.store?.close().catch(() => undefined)
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

  /** An unchanged-TOAST placeholder must never overwrite the stored value: leave the column out. */
  private withoutPlaceholders(row: Record<string, unknown>): Record<string, unknown> {
    const placeholder = this.context.config['unavailable.value.placeholder']
    for (const column in row) {
      if (row[column] === placeholder) return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== placeholder))
    }
    return row
  }
}
