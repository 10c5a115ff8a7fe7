/**
 * What a sink knows of its target tables, read from the database's catalogue once per table and read
 * again after it creates or evolves one: a missing table is created (auto.create) and missing
 * columns added (auto.evolve) with the types the records' schemas say, or, for records without one,
 * types inferred from their values; without those settings it is a clear, non-retriable error.
 * Columns are never dropped or altered.
 */
import { TributaryError, field, type Schema } from '../../core/runtime/plugin.ts'
import type { SqlSinkSettings } from './config-fields.ts'
import type { RowOperation, UpsertOperation } from './row-operation.ts'

export interface KnownTable {
  /** Column name → the database's type for it. */
  readonly columns: ReadonlyMap<string, unknown>
  readonly primaryKey: readonly string[]
}

/**
 * A column, the first non-null value the records have for it (null when none has one), and the
 * schema of its field when the records have one (then the schema, not the value, gives its type).
 */
export type SampledColumn = [column: string, value: unknown, schema?: Schema]

export interface TableDefinitions<T extends KnownTable> {
  describe(name: string): Promise<T | undefined>
  create(name: string, columns: readonly SampledColumn[], keyColumns: readonly string[]): Promise<void>
  addColumns(name: string, columns: readonly SampledColumn[]): Promise<void>
}

export function sampleColumns(upserts: readonly UpsertOperation[]): SampledColumn[] {
  const sample = new Map<string, unknown>()
  const schemas = new Map<string, Schema>()
  for (const { row, schema } of upserts) {
    for (const [column, value] of Object.entries(row)) {
      if (sample.get(column) === undefined || sample.get(column) === null) sample.set(column, value)
      if (schema !== undefined && !schemas.has(column)) {
        const typed = field(schema, column)
        if (typed !== undefined) schemas.set(column, typed.schema)
      }
    }
  }
  return [...sample].map(([column, value]): SampledColumn => {
    const schema = schemas.get(column)
    return schema === undefined ? [column, value] : [column, value, schema]
  })
}

/** Whether a row has a column the table lacks. */
function lacksColumn(row: Record<string, unknown>, columns: ReadonlyMap<string, unknown>): boolean {
  for (const column in row) if (!columns.has(column)) return true
  return false
}

export class TargetTables<T extends KnownTable> {
  private readonly settings: Pick<SqlSinkSettings, 'auto.create' | 'auto.evolve'>
  private readonly definitions: TableDefinitions<T>
  private readonly known = new Map<string, T>()

  constructor(settings: Pick<SqlSinkSettings, 'auto.create' | 'auto.evolve'>, definitions: TableDefinitions<T>) {
    this.settings = settings
    this.definitions = definitions
  }

  /**
   * The table a group of operations goes to, created or evolved for its rows when allowed. The
   * group's upserts share one column set (groupOperations makes them so), so only the first row's
   * columns are checked against a known table: this runs for every batch.
   */
  async get(name: string, group: readonly RowOperation[]): Promise<T> {
    let table = this.known.get(name) ?? (await this.definitions.describe(name))
    const upserts = group.filter((o): o is UpsertOperation => o.kind === 'upsert')
    if (table === undefined) {
      if (!this.settings['auto.create'] || upserts.length === 0) {
        throw new TributaryError('TRB_SINK_WRITE', `table ${name} does not exist; create it or set auto.create=true`, {
          retriable: false,
          details: { table: name },
        })
      }
      await this.definitions.create(name, sampleColumns(upserts), Object.keys(upserts[0]?.key ?? {}))
      table = await this.definitions.describe(name)
    } else if (upserts[0] !== undefined && lacksColumn(upserts[0].row, table.columns)) {
      const known = table.columns
      const missing = sampleColumns(upserts).filter(([column]) => !known.has(column))
      if (!this.settings['auto.evolve'])
        throw new TributaryError(
          'TRB_SINK_WRITE',
          `table ${name} has no column ${missing.map(([c]) => c).join(', ')}; add it or set auto.evolve=true`,
          { retriable: false, details: { table: name } },
        )
      await this.definitions.addColumns(name, missing)
      table = await this.definitions.describe(name)
    }
    if (table === undefined) throw new TributaryError('TRB_SINK_WRITE', `table ${name} could not be created`, { retriable: false })
    this.known.set(name, table)
    return table
  }

  /** After a failed batch a table may have changed: read each one again. */
  forget(): void {
    this.known.clear()
  }
}
