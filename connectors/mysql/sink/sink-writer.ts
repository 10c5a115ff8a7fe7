/**
 * Applies a batch of row operations to MySQL/MariaDB in one transaction, together with the consumed
 * offsets, so a batch is all there or not there at all and a redelivered batch is recognised and
 * skipped (exactly-once). Upserts go as multi-row INSERT … ON DUPLICATE KEY UPDATE per set of
 * columns, deletes as one DELETE … IN per table. Statements travel several to a query (the session
 * allows multiple statements), so a batch costs few round trips.
 *
 * MySQL commits implicitly before DDL and TRUNCATE, so tables are created and evolved before the
 * transaction opens, and a truncate is a DELETE of every row inside it.
 */
import type { Connection } from 'mysql2/promise'
import { TributaryError } from '../../../core/runtime/plugin.ts'
import { groupOperations } from '../../sql-sink/group-operations.ts'
import type { DeleteOperation, RowOperation, UpsertOperation } from '../../sql-sink/row-operation.ts'
import type { PartitionOffset, Refuse, SinkStore } from '../../sql-sink/sql-sink-task.ts'
import { TargetTables } from '../../sql-sink/target-tables.ts'
import { qualify } from '../../sql-sink/table-name.ts'
import { quoteIdentifier } from '../shared/quote.ts'
import type { MysqlSinkConfig } from './sink-config.ts'
import { mysqlTables, qualified, type MysqlTable } from './sink-tables.ts'
import { rowLiterals } from './sink-typed-values.ts'
import { sqlLiteral } from './sink-values.ts'

export interface MysqlSinkWriterOptions {
  readonly connection: Connection
  readonly config: MysqlSinkConfig
  readonly connector: string
  readonly defaultDatabase: string | undefined
  readonly isMariaDb: boolean
  /** The longest query to send, in characters (a quarter of max_allowed_packet: utf8mb4 takes up to 4 bytes a character). */
  readonly maxQueryChars: number
}

export class MysqlSinkWriter implements SinkStore {
  private readonly connection: Connection
  private readonly config: MysqlSinkConfig
  private readonly connector: string
  private readonly offsetsTable: string
  private readonly maxQueryChars: number
  private readonly tables: TargetTables<MysqlTable>

  constructor(options: MysqlSinkWriterOptions) {
    this.connection = options.connection
    this.config = options.config
    this.connector = options.connector
    this.offsetsTable = qualified(qualify(options.config['offsets.table'], options.defaultDatabase))
    this.maxQueryChars = options.maxQueryChars
    this.tables = new TargetTables(options.config, mysqlTables(options.connection, options.isMariaDb))
  }

  async storedOffsets(): Promise<Map<string, number>> {
    // A binary collation: topic names compare exactly, as the log has them.
    await this.connection.query(`CREATE TABLE IF NOT EXISTS ${this.offsetsTable} (connector VARCHAR(255) NOT NULL, topic VARCHAR(255) NOT NULL,
      kafka_partition INT NOT NULL, kafka_offset BIGINT NOT NULL, PRIMARY KEY (connector, topic, kafka_partition)) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin`)
    const [rows] = await this.connection.query(
      `SELECT topic, kafka_partition, kafka_offset FROM ${this.offsetsTable} WHERE connector = ?`,
      [this.connector],
    )
    return new Map(
      (rows as Array<{ topic: string; kafka_partition: number; kafka_offset: number | string }>).map((row) => [
        `${row.topic}\0${row.kafka_partition}`,
        Number(row.kafka_offset),
      ]),
    )
  }

  /** One transaction: the operations, then the offsets. */
  async apply(operations: readonly RowOperation[], offsets: readonly PartitionOffset[]): Promise<void> {
    const groups = groupOperations(operations)
    const tables: Array<MysqlTable | undefined> = []
    for (const group of groups) tables.push(await this.tableFor(group))
    await this.inTransaction(offsets, async (queries) => {
      for (let i = 0; i < groups.length; i++) {
        for (const statement of this.statements(groups[i] as RowOperation[], tables[i])) await queries.add(statement)
      }
    })
  }

  async applyEach(operations: readonly RowOperation[], offsets: readonly PartitionOffset[], refuse: Refuse): Promise<void> {
    const ready: Array<[RowOperation, MysqlTable | undefined]> = []
    for (const operation of operations) {
      try {
        ready.push([operation, await this.tableFor([operation])])
      } catch (error) {
        await refuse(operation, error)
      }
    }
    await this.inTransaction(offsets, async (queries) => {
      await queries.send()
      for (const [operation, table] of ready) {
        let statements: string[]
        try {
          statements = [...this.statements([operation], table)]
        } catch (error) {
          await refuse(operation, error)
          continue
        }
        try {
          await this.connection.query(['SAVEPOINT operation', ...statements].join(';\n'))
        } catch (error) {
          await refuse(operation, error)
          await this.connection.query('ROLLBACK TO SAVEPOINT operation')
        }
      }
    })
  }

  /** The group's table, created or evolved first: MySQL commits implicitly before DDL. */
  private async tableFor(group: readonly RowOperation[]): Promise<MysqlTable | undefined> {
    const first = group[0] as RowOperation
    return first.kind === 'truncate' ? undefined : this.tables.get(first.table, group)
  }

  private async inTransaction(offsets: readonly PartitionOffset[], body: (queries: QueryPacker) => Promise<void>): Promise<void> {
    const queries = new QueryPacker(this.connection, this.maxQueryChars)
    try {
      await queries.add('START TRANSACTION')
      await body(queries)
      if (offsets.length > 0) await queries.add(this.offsetsStatement(offsets))
      await queries.add('COMMIT')
      await queries.send()
    } catch (error) {
      await this.connection.query('ROLLBACK').catch(() => undefined) // the failure below is the one to report; a broken connection rolls back anyway
      throw error
    }
  }

  forgetTables(): void {
    this.tables.forget()
  }

  async close(): Promise<void> {
    await this.connection.end().catch(() => this.connection.destroy())
  }

  private *statements(group: readonly RowOperation[], table: MysqlTable | undefined): Generator<string> {
    const first = group[0] as RowOperation
    const name = qualified(first.table)
    if (first.kind === 'truncate' || table === undefined) {
      yield `DELETE FROM ${name}`
      return
    }
    if (first.kind === 'delete') {
      const keyColumns = Object.keys(first.key)
      const kinds = keyColumns.map((column) => table.columns.get(column))
      const tuple = (operation: RowOperation) => {
        const { key, schema } = operation as DeleteOperation
        const literals = rowLiterals(schema)
        const values = keyColumns.map((column, i) => literals(column, key[column], kinds[i]))
        return values.length === 1 ? (values[0] as string) : `(${values.join(', ')})`
      }
      const target = keyColumns.length === 1 ? quoteIdentifier(keyColumns[0] as string) : `(${keyColumns.map(quoteIdentifier).join(', ')})`
      yield* this.chunked(`DELETE FROM ${name} WHERE ${target} IN (`, group, tuple, ')')
      return
    }
    const upserts = group as readonly UpsertOperation[]
    const columns = Object.keys(first.row)
    const keyColumns = table.primaryKey.length > 0 ? table.primaryKey : Object.keys(first.key ?? {})
    const mode = this.config['insert.mode']
    if (mode === 'update') {
      if (keyColumns.length === 0)
        throw new TributaryError('TRB_SINK_WRITE', `table ${first.table} has no primary key to update by; set primary.key.fields`, {
          retriable: false,
        })
      const sets = columns.filter((column) => !keyColumns.includes(column))
      if (sets.length === 0) return
      for (const { row, schema } of upserts) {
        const literals = rowLiterals(schema)
        const literal = (column: string) => literals(column, row[column], table.columns.get(column))
        yield `UPDATE ${name} SET ${sets.map((c) => `${quoteIdentifier(c)} = ${literal(c)}`).join(', ')} WHERE ${keyColumns.map((c) => `${quoteIdentifier(c)} = ${literal(c)}`).join(' AND ')}`
      }
      return
    }
    // With nothing but key columns, a no-op assignment still turns a duplicate into an update.
    const updates = columns
      .filter((column) => !keyColumns.includes(column))
      .map((c) => `${quoteIdentifier(c)} = VALUES(${quoteIdentifier(c)})`)
    const onDuplicate =
      mode === 'insert'
        ? ''
        : ` ON DUPLICATE KEY UPDATE ${updates.length > 0 ? updates.join(', ') : `${quoteIdentifier(columns[0] as string)} = ${quoteIdentifier(columns[0] as string)}`}`
    const kinds = columns.map((column) => table.columns.get(column))
    const tuple = (operation: RowOperation) => {
      const { row, schema } = operation as UpsertOperation
      const literals = rowLiterals(schema)
      return `(${columns.map((column, i) => literals(column, row[column], kinds[i])).join(', ')})`
    }
    yield* this.chunked(`INSERT INTO ${name} (${columns.map(quoteIdentifier).join(', ')}) VALUES `, upserts, tuple, onDuplicate)
  }

  /** One statement per run of tuples that fits in a query. */
  private *chunked(
    head: string,
    operations: readonly RowOperation[],
    tuple: (operation: RowOperation) => string,
    tail: string,
  ): Generator<string> {
    let tuples: string[] = []
    let length = head.length + tail.length
    for (const operation of operations) {
      const text = tuple(operation)
      if (tuples.length > 0 && length + text.length + 2 > this.maxQueryChars) {
        yield `${head}${tuples.join(', ')}${tail}`
        tuples = []
        length = head.length + tail.length
      }
      tuples.push(text)
      length += text.length + 2
    }
    if (tuples.length > 0) yield `${head}${tuples.join(', ')}${tail}`
  }

  private offsetsStatement(offsets: readonly PartitionOffset[]): string {
    const tuples = offsets.map(
      (o) =>
        `(${sqlLiteral(this.connector, undefined)}, ${sqlLiteral(o.topic, undefined)}, ${Math.trunc(o.partition)}, ${Math.trunc(o.offset)})`,
    )
    return `INSERT INTO ${this.offsetsTable} (connector, topic, kafka_partition, kafka_offset) VALUES ${tuples.join(', ')}
      ON DUPLICATE KEY UPDATE kafka_offset = GREATEST(kafka_offset, VALUES(kafka_offset))`
  }
}

/** Packs statements into multi-statement queries of at most `maxChars`, sending each when full. */
class QueryPacker {
  private readonly connection: Connection
  private readonly maxChars: number
  private pending = ''

  constructor(connection: Connection, maxChars: number) {
    this.connection = connection
    this.maxChars = maxChars
  }

  async add(statement: string): Promise<void> {
    if (this.pending !== '' && this.pending.length + statement.length > this.maxChars) await this.send()
    this.pending = this.pending === '' ? statement : `${this.pending};\n${statement}`
  }

  async send(): Promise<void> {
    if (this.pending === '') return
    const query = this.pending
    this.pending = ''
    await this.connection.query(query)
  }
}
