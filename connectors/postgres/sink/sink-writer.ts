/**
 * Applies a batch of row operations to the target database in one transaction, together with the
 * consumed offsets, so a batch is all there or not there at all, and a redelivered batch is
 * recognised and skipped (exactly-once). Upserts go as multi-row INSERT … ON CONFLICT DO UPDATE per
 * set of columns; a column holding the unchanged-TOAST placeholder is left out of its row's update.
 */
import type pg from 'pg'
import { groupOperations } from '../../sql-sink/group-operations.ts'
import type { DeleteOperation, RowOperation, UpsertOperation } from '../../sql-sink/row-operation.ts'
import type { PartitionOffset, Refuse, SinkStore } from '../../sql-sink/sql-sink-task.ts'
import { TargetTables } from '../../sql-sink/target-tables.ts'
import { formatPgArray } from '../shared/pg-array.ts'
import { quoteIdentifier } from '../shared/quote.ts'
import type { PostgresSinkConfig } from './sink-config.ts'
import { rowParams } from './sink-values.ts'
import { addColumns, createTable, describeTable, qualified, type TargetTable } from './sink-tables.ts'

const MAX_PARAMETERS = 60_000

export class SinkWriter implements SinkStore {
  private readonly client: pg.Client
  private readonly config: PostgresSinkConfig
  private readonly connector: string
  private readonly tables: TargetTables<TargetTable>

  constructor(client: pg.Client, config: PostgresSinkConfig, connector: string) {
    this.client = client
    this.config = config
    this.connector = connector
    this.tables = new TargetTables(config, {
      describe: (name) => describeTable(client, name),
      create: (name, columns, keyColumns) => createTable(client, name, columns, keyColumns),
      addColumns: (name, columns) => addColumns(client, name, columns),
    })
  }

  /** Creates the offsets table when missing and returns what it holds for this connector. */
  async storedOffsets(): Promise<Map<string, number>> {
    const table = this.offsetsTable()
    await this.client.query(
      `CREATE TABLE IF NOT EXISTS ${table} (connector text NOT NULL, topic text NOT NULL, kafka_partition int NOT NULL, kafka_offset bigint NOT NULL, PRIMARY KEY (connector, topic, kafka_partition))`,
    )
    const { rows } = await this.client.query<{ topic: string; kafka_partition: number; kafka_offset: string }>(
      `SELECT topic, kafka_partition, kafka_offset FROM ${table} WHERE connector = $1`,
      [this.connector],
    )
    return new Map(rows.map((row) => [`${row.topic}\0${row.kafka_partition}`, Number(row.kafka_offset)]))
  }

  /**
   * The operations and the offsets, all or nothing. A batch that is one statement (one table's
   * upserts, say: the usual case) goes as that statement with the offsets upsert in a WITH clause,
   * committed on its own: one round trip per batch instead of three (BEGIN, statement, COMMIT).
   * Several statements go in a transaction: the sub-statements of one WITH would all see the same
   * snapshot, so a delete and a later upsert of one key could not follow each other there.
   */
  async apply(operations: readonly RowOperation[], offsets: readonly PartitionOffset[]): Promise<void> {
    const statements: Statement[] = []
    for (const group of groupOperations(operations)) statements.push(...(await this.statementsFor(group)))
    const only = statements.length === 1 ? (statements[0] as Statement) : undefined
    if (only?.inWith) {
      await this.client.query(
        offsets.length === 0 ? only.text : `WITH applied AS (${only.text}) ${this.offsetsUpsert(offsets)}`,
        only.values,
      )
      return
    }
    if (statements.length === 0) {
      if (offsets.length > 0) await this.client.query(this.offsetsUpsert(offsets))
      return
    }
    await this.inTransaction(offsets, async () => {
      for (const statement of statements) await this.client.query(statement.text, statement.values)
    })
  }

  async applyEach(operations: readonly RowOperation[], offsets: readonly PartitionOffset[], refuse: Refuse): Promise<void> {
    await this.inTransaction(offsets, async () => {
      for (const operation of operations) {
        await this.client.query('SAVEPOINT operation')
        try {
          for (const statement of await this.statementsFor([operation])) await this.client.query(statement.text, statement.values)
        } catch (error) {
          await refuse(operation, error)
          await this.client.query('ROLLBACK TO SAVEPOINT operation')
          // A table created or evolved behind the savepoint is gone with it.
          this.tables.forget()
        }
      }
    })
  }

  private async inTransaction(offsets: readonly PartitionOffset[], body: () => Promise<void>): Promise<void> {
    await this.client.query('BEGIN')
    try {
      await body()
      await this.client.query(this.commitWithOffsets(offsets))
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined) // the failure below is the one to report; a broken connection rolls back anyway
      throw error
    }
  }

  /** The statements that apply one group; creating or evolving its table first when configured. */
  private async statementsFor(group: RowOperation[]): Promise<Statement[]> {
    const first = group[0] as RowOperation
    if (first.kind === 'truncate') return [{ text: `TRUNCATE ${qualified(first.table)}`, inWith: false }]
    const table = await this.tables.get(first.table, group)
    if (first.kind === 'delete') {
      const keyColumns = Object.keys(first.key)
      const udts = keyColumns.map((column) => table.columns.get(column))
      return chunks(group as DeleteOperation[], Math.floor(MAX_PARAMETERS / Math.max(1, keyColumns.length))).map((chunk) => {
        const values: unknown[] = []
        const tuples = chunk.map(({ key, schema }) => {
          const params = rowParams(schema)
          return `(${keyColumns.map((column, i) => placeholder(values, params(column, key[column], udts[i]))).join(', ')})`
        })
        return {
          text: `DELETE FROM ${qualified(first.table)} WHERE (${keyColumns.map(quoteIdentifier).join(', ')}) IN (${tuples.join(', ')})`,
          values,
          inWith: true,
        }
      })
    }
    const upserts = group as UpsertOperation[]
    const columns = Object.keys(upserts[0]?.row ?? {})
    const keyColumns = table.primaryKey.length > 0 ? [...table.primaryKey] : Object.keys(upserts[0]?.key ?? {})
    const updates = columns
      .filter((column) => !keyColumns.includes(column))
      .map((column) => `${quoteIdentifier(column)} = EXCLUDED.${quoteIdentifier(column)}`)
    const mode = this.config['insert.mode']
    const conflict =
      mode === 'insert' || keyColumns.length === 0
        ? ''
        : ` ON CONFLICT (${keyColumns.map(quoteIdentifier).join(', ')}) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`
    const into = `INSERT INTO ${qualified(first.table)} (${columns.map(quoteIdentifier).join(', ')})`
    if (mode === 'update') return upserts.flatMap((operation) => this.updateOnly(first.table, operation, keyColumns, table))
    const udts = columns.map((column) => table.columns.get(column))
    if (udts.every((udt) => udt !== undefined && !udt.startsWith('_'))) {
      // One array parameter per column, unnested server side: a few parameters for any number of
      // rows, much cheaper to bind than a VALUES list. (Array-typed columns cannot be unnested.)
      const unnest = `SELECT * FROM unnest(${columns.map((_, i) => `$${i + 1}::${quoteIdentifier(arrayCastType(udts[i] as string))}[]`).join(', ')})`
      return chunks(upserts, 20_000).map((chunk) => ({
        text: `${into} ${unnest}${conflict}`,
        values: columns.map((column, i) =>
          formatPgArray(chunk, (operation) => rowParams(operation.schema)(column, operation.row[column], udts[i])),
        ),
        inWith: true,
      }))
    }
    return chunks(upserts, Math.floor(MAX_PARAMETERS / Math.max(1, columns.length))).map((chunk) => {
      const values: unknown[] = []
      const tuples = chunk.map((operation) => {
        const params = rowParams(operation.schema)
        return `(${columns.map((column) => placeholder(values, params(column, operation.row[column], table.columns.get(column)))).join(', ')})`
      })
      return { text: `${into} VALUES ${tuples.join(', ')}${conflict}`, values, inWith: true }
    })
  }

  /** An UPDATE of the row's other columns by key; none when the row has only key columns. */
  private updateOnly(tableName: string, { row, schema }: UpsertOperation, keyColumns: readonly string[], table: TargetTable): Statement[] {
    const values: unknown[] = []
    const params = rowParams(schema)
    const sets = Object.keys(row)
      .filter((c) => !keyColumns.includes(c))
      .map((c) => `${quoteIdentifier(c)} = ${placeholder(values, params(c, row[c], table.columns.get(c)))}`)
    if (sets.length === 0) return []
    const where = keyColumns.map((c) => `${quoteIdentifier(c)} = ${placeholder(values, params(c, row[c], table.columns.get(c)))}`)
    return [{ text: `UPDATE ${qualified(tableName)} SET ${sets.join(', ')} WHERE ${where.join(' AND ')}`, values, inWith: true }]
  }

  private offsetsTable(): string {
    const name = this.config['offsets.table']
    return qualified(name.includes('.') ? name : `${this.config['schema.default']}.${name}`)
  }

  forgetTables(): void {
    this.tables.forget()
  }

  async close(): Promise<void> {
    await this.client.end()
  }

  /**
   * The offsets row and COMMIT as one simple query: a round trip fewer per batch. A simple query takes
   * no parameters, so the names go as escaped literals and the numbers as integers. Should the insert
   * fail, the server skips the COMMIT and apply() rolls back.
   */
  private commitWithOffsets(offsets: readonly PartitionOffset[]): string {
    return offsets.length === 0 ? 'COMMIT' : `${this.offsetsUpsert(offsets)}; COMMIT`
  }

  /** The upsert of the offsets rows, with the values as literals (it joins statements of either protocol). */
  private offsetsUpsert(offsets: readonly PartitionOffset[]): string {
    const table = this.offsetsTable()
    const literal = (text: string) => this.client.escapeLiteral(text)
    const tuples = offsets.map(
      (o) => `(${literal(this.connector)}, ${literal(o.topic)}, ${Math.trunc(o.partition)}, ${Math.trunc(o.offset)})`,
    )
    return `INSERT INTO ${table} (connector, topic, kafka_partition, kafka_offset) VALUES ${tuples.join(', ')} ON CONFLICT (connector, topic, kafka_partition) DO UPDATE SET kafka_offset = GREATEST(${table}.kafka_offset, EXCLUDED.kafka_offset)`
  }
}

/** One statement of a batch; `inWith`: it may stand as a data-modifying WITH query (TRUNCATE may not). */
interface Statement {
  readonly text: string
  readonly values?: unknown[]
  readonly inWith: boolean
}

function placeholder(params: unknown[], value: unknown): string {
  params.push(value)
  return `$${params.length}`
}

/**
 * The element type a column's values are cast to in unnest(): the column's own, except that a bare
 * `bit` means bit(1), which would cut a longer bit string before it reaches a bit(n) column.
 */
function arrayCastType(udt: string): string {
  return udt === 'bit' ? 'varbit' : udt
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = []
  for (let i = 0; i < items.length; i += Math.max(1, size)) result.push(items.slice(i, i + Math.max(1, size)))
  return result
}
