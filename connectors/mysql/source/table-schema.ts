/**
 * A table's schemas, built once per version of the table and shared by every event of it: the key
 * (`<topic>.Key`, the primary-key columns), the row (`<topic>.Value`, every mapped column with its
 * optionality, default and, where `column.propagate.source.type` asks, the source type as
 * parameters) and the envelope (`<topic>.Envelope`), with the compiled conversion of a driver's row
 * into the row schema's value. A shape with the same columns, definitions and key gets the very same
 * objects back, so converters keep what they derived from them; a DDL change (a new version in the
 * schema history) gives new ones, used from the next event on.
 */
import { Schemas, withOptions, type Schema } from '../../../core/runtime/plugin.ts'
import { envelopeSchema } from '../../cdc-envelope/envelope-schema.ts'
import type { Column, ColumnKind, TableShape } from '../shared/catalog.ts'
import { columnDefault } from './column-default.ts'
import { binlogDefinition, type ColumnDefinition } from '../shared/column-definition.ts'
import { columnMapping, type Read } from './column-mapping.ts'
import type { SchemaSettings } from './schema-settings.ts'
import { MARIADB_SOURCE_SCHEMA, MYSQL_SOURCE_SCHEMA } from './source-block.ts'

export type Row = Record<string, unknown>

interface FieldReader {
  readonly name: string
  readonly read: Read
  readonly optional: boolean
  readonly zero: unknown
}

export interface TableSchema {
  readonly database: string
  readonly table: string
  readonly keyColumns: readonly string[]
  readonly keySchema: Schema | undefined
  readonly rowSchema: Schema
  readonly envelopeSchema: Schema
  /** A row as a driver delivers it → the row schema's value; `streamed`: from the binlog (not a snapshot query). */
  row(raw: Readonly<Row>, streamed: boolean): Row
}

/** The data type a column known only by its kind (a schema history from before definitions were kept) is taken as. */
const KIND_TYPES: Readonly<Record<ColumnKind, string>> = {
  integer: 'bigint',
  float: 'double',
  decimal: 'decimal',
  bit: 'bit',
  json: 'longtext',
  date: 'date',
  datetime: 'datetime',
  timestamp: 'timestamp',
  time: 'time',
  year: 'year',
  binary: 'varbinary',
  other: 'varchar',
}

export function definitionOf(column: Column): ColumnDefinition {
  return column.definition ?? binlogDefinition(KIND_TYPES[column.kind], column.width)
}

/** Whether `column.propagate.source.type` or `datatype.propagate.source.type` names a column. */
function propagation(settings: SchemaSettings): (shape: TableShape, column: string, definition: ColumnDefinition) => boolean {
  const anchored = (source: string) => new RegExp(`^(?:${source})$`, 'i')
  const byColumn = settings.propagateColumns.map(anchored)
  const byType = settings.propagateDatatypes.map(anchored)
  if (byColumn.length === 0 && byType.length === 0) return () => false
  return ({ database, table }, column, { dataType }) =>
    byColumn.some((pattern) => pattern.test(`${database}.${table}.${column}`)) ||
    byType.some((pattern) => pattern.test(`${database}.${table}.${dataType}`))
}

/** Debezium's `__debezium.source.column.*` parameters of a column. */
function sourceTypeParameters(name: string, definition: ColumnDefinition): Record<string, string> {
  const { dataType, fsp, allowed } = definition
  const length =
    dataType === 'enum'
      ? 1
      : dataType === 'set'
        ? allowed.join(',').length
        : ['time', 'datetime', 'timestamp'].includes(dataType)
          ? fsp > 0
            ? fsp
            : null
          : definition.length
  return {
    '__debezium.source.column.type': `${dataType.toUpperCase()}${definition.unsigned ? ' UNSIGNED' : ''}`,
    ...(length !== null && { '__debezium.source.column.length': String(length) }),
    ...(definition.scale !== null && { '__debezium.source.column.scale': String(definition.scale) }),
    '__debezium.source.column.name': name,
  }
}

function compileRow(fields: readonly FieldReader[]): TableSchema['row'] {
  return (raw, streamed) => {
    const row: Row = {}
    for (const field of fields) {
      const value = raw[field.name]
      if (value === null || value === undefined) {
        row[field.name] = null
        continue
      }
      const read = field.read(value, streamed)
      row[field.name] = read === undefined ? (field.optional ? null : field.zero) : read
    }
    return row
  }
}

export class TableSchemas {
  private readonly settings: SchemaSettings
  private readonly propagates: ReturnType<typeof propagation>
  private readonly byShape = new WeakMap<TableShape, TableSchema>()
  private readonly built = new Map<string, TableSchema>()

  constructor(settings: SchemaSettings) {
    this.settings = settings
    this.propagates = propagation(settings)
  }

  /** The schemas of a table in this shape; `name` is the topic name the schema names start with. */
  get(name: string, shape: TableShape): TableSchema {
    let schema = this.byShape.get(shape)
    if (schema !== undefined) return schema
    const columns = shape.columns.map((column) => [column.name, definitionOf(column)] as const)
    const id = JSON.stringify([name, shape.database, shape.table, shape.keyColumns, columns])
    schema = this.built.get(id)
    if (schema === undefined) {
      schema = this.build(name, shape, columns)
      this.built.set(id, schema)
    }
    this.byShape.set(shape, schema)
    return schema
  }

  private build(name: string, shape: TableShape, columns: ReadonlyArray<readonly [string, ColumnDefinition]>): TableSchema {
    const fields: FieldReader[] = []
    const rowFields: Array<[string, Schema]> = []
    const keyFields = new Map<string, Schema>()
    for (const [column, definition] of columns) {
      const mapping = columnMapping(definition, this.settings)
      if (mapping === undefined) continue
      const defaultValue = columnDefault(definition, mapping)
      const base = { optional: definition.optional, ...(defaultValue !== undefined && { defaultValue }) }
      const fieldSchema = withOptions(mapping.schema, base)
      if (shape.keyColumns.includes(column)) keyFields.set(column, fieldSchema)
      rowFields.push([
        column,
        this.propagates(shape, column, definition)
          ? withOptions(mapping.schema, {
              ...base,
              parameters: { ...mapping.schema.parameters, ...sourceTypeParameters(column, definition) },
            })
          : fieldSchema,
      ])
      fields.push({ name: column, read: mapping.read, optional: definition.optional, zero: mapping.zero })
    }
    const keyColumns = shape.keyColumns.filter((column) => keyFields.has(column))
    const keySchema =
      keyColumns.length === 0
        ? undefined
        : Schemas.struct(
            keyColumns.map((column) => [column, keyFields.get(column) as Schema]),
            { name: `${name}.Key` },
          )
    const rowSchema = Schemas.struct(rowFields, { name: `${name}.Value`, optional: true })
    const source = this.settings.isMariaDb ? MARIADB_SOURCE_SCHEMA : MYSQL_SOURCE_SCHEMA
    return {
      database: shape.database,
      table: shape.table,
      keyColumns,
      keySchema,
      rowSchema,
      envelopeSchema: envelopeSchema(`${name}.Envelope`, rowSchema, source),
      row: compileRow(fields),
    }
  }
}
