/**
 * `postgres-sink`: writes records into PostgreSQL tables: upserts by primary key, deletes on op `d`
 * and tombstones, change envelopes unwrapped. Each flush is one transaction that also records the
 * consumed offsets, so a batch redelivered after a crash is recognised and skipped: exactly-once.
 * A record the database refuses (wrong type, constraint) is isolated and handed to the runtime's
 * error policy with the database's message; the rest of the batch goes in.
 */
import pg from 'pg'
import { TributaryError } from '../../core/errors.ts'
import type { SinkPlugin, SinkRecord, SinkTaskContext } from '../../core/runtime/plugin.ts'
import { postgresSinkConfig, type PostgresSinkConfig } from './sink-config.ts'
import { operationReader, reduceOperations, type RowOperation } from './sink-rows.ts'
import { SinkWriter, type PartitionOffset } from './sink-writer.ts'

/** SQLSTATE classes worth retrying: serialization, deadlock, connection, shutdown, resources. */
function isRetriableSqlState(code: unknown): boolean {
  return typeof code === 'string' && (code === '40001' || code === '40P01' || /^(08|53|57P)/.test(code))
}

function writeError(error: unknown): TributaryError {
  if (error instanceof TributaryError) return error
  const sqlstate = (error as { code?: unknown }).code
  return new TributaryError('TRB_SINK_WRITE', `postgres-sink: ${(error as Error).message}`, {
    cause: error,
    retriable: isRetriableSqlState(sqlstate) || sqlstate === undefined,
    details: { ...(typeof sqlstate === 'string' && { sqlstate }) },
  })
}

class PostgresSinkTask {
  private readonly context: SinkTaskContext<PostgresSinkConfig>
  private readonly config: PostgresSinkConfig
  private client: pg.Client | undefined
  private writer: SinkWriter | undefined
  private stored = new Map<string, number>()
  private operations: RowOperation[] = []
  private offsets = new Map<string, PartitionOffset>()
  private readonly toOperation: (record: SinkRecord) => RowOperation | null

  constructor(context: SinkTaskContext<PostgresSinkConfig>) {
    this.context = context
    this.config = context.config
    this.toOperation = operationReader(context.config)
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.config.url })
    client.on('error', (error) => this.context.logger.warn({ err: error }, 'postgres-sink connection error'))
    try {
      await client.connect()
    } catch (error) {
      throw writeError(error)
    }
    this.client = client
    this.writer = new SinkWriter(client, this.config, this.context.connector)
    this.stored = await this.writer.storedOffsets()
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    for (const record of records) {
      const slot = `${record.topic}\0${record.partition}`
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
    const writer = this.writer as SinkWriter
    const operations = reduceOperations(this.operations)
    const offsets = [...this.offsets.values()]
    if (operations.length === 0 && offsets.length === 0) return
    try {
      await writer.apply(operations, offsets)
    } catch (error) {
      writer.forgetTables()
      const failure = writeError(error)
      if (failure.retriable || operations.length === 0) throw failure
      await this.isolate(operations, offsets)
    }
    for (const offset of offsets) this.stored.set(`${offset.topic}\0${offset.partition}`, offset.offset)
    this.operations = []
    this.offsets.clear()
  }

  async stop(): Promise<void> {
    await this.client?.end().catch(() => undefined)
    this.client = undefined
  }

  /** Applies one operation at a time; the ones the database refuses go to the error policy. */
  private async isolate(operations: readonly RowOperation[], offsets: readonly PartitionOffset[]): Promise<void> {
    const writer = this.writer as SinkWriter
    for (const operation of operations) {
      try {
        await writer.apply([operation], [])
      } catch (error) {
        const failure = writeError(error)
        if (failure.retriable) throw failure
        await this.context.reportBadRecord(operation.record, failure)
      }
    }
    await writer.apply([], offsets)
  }

  /** An unchanged-TOAST placeholder must never overwrite the stored value: leave the column out. */
  private withoutPlaceholders(row: Record<string, unknown>): Record<string, unknown> {
    const placeholder = this.config['unavailable.value.placeholder']
    for (const column in row) {
      if (row[column] === placeholder) return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== placeholder))
    }
    return row
  }
}

export const postgresSink: SinkPlugin<PostgresSinkConfig> = {
  kind: 'sink',
  name: 'postgres-sink',
  aliases: ['io.debezium.connector.jdbc.JdbcSinkConnector', 'JdbcSinkConnector'],
  version: '0.1.0',
  description: 'Upserts records into PostgreSQL tables in one transaction per batch, with the offsets (exactly-once)',
  config: postgresSinkConfig,
  taskConfigs: (config, maxTasks) => Array.from({ length: maxTasks }, () => config),
  createTask: (context) => new PostgresSinkTask(context),
}
