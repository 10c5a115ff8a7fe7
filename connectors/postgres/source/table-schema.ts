/**
 * A table's schemas, built once per version of the table and shared by every event of it: the key
 * (`<topic>.Key`, the primary-key columns), the row (`<topic>.Value`, every mapped column, optional,
 * with defaults and, where `column.propagate.source.type` asks, the source type as parameters) and the
 * envelope (`<topic>.Envelope`), with a reader per column position. A relation whose columns, types,
 * nullability, defaults and key are unchanged gets the very same objects back, so converters keep
 * what they derived from them; any change gives new ones, used from the next event on.
 */
import { Schemas, unscaledOf, withOptions, type Schema } from '../../../core/runtime/plugin.ts'
import { envelopeSchema } from '../../cdc-envelope/envelope-schema.ts'
import type { Reader } from './column-readers.ts'
import { columnMapping, type ColumnMapping } from './column-schema.ts'
import { defaultText } from './default-value.ts'
import type { TypeLookup } from './pg-types.ts'
import type { SchemaSettings } from './schema-settings.ts'
import { POSTGRES_SOURCE_SCHEMA } from './source-block.ts'
import type { SourceColumn } from './source-columns.ts'

export interface FieldReader {
  readonly name: string
  readonly read: Reader
  /** What a NULL becomes: null, or in a NOT NULL column (a key-only old row) its default or Debezium's fallback. */
  readonly nullValue: unknown
  /** What an unchanged TOASTed value becomes. */
  readonly unchanged: unknown
}

export interface TableSchema {
  readonly schema: string
  readonly table: string
  readonly keyColumns: readonly string[]
  /** By the position of the columns the events are read from (a Relation message's, a query's); undefined: left out. */
  readonly fields: ReadonlyArray<FieldReader | undefined>
  readonly keySchema: Schema | undefined
  readonly rowSchema: Schema
  readonly envelopeSchema: Schema
}

function patterns(sources: readonly string[]): RegExp[] {
  return sources.map((source) => new RegExp(`^(?:${source})$`, 'i'))
}

/** The default's value for the schema, or undefined where Debezium sets none. */
function defaultOf(column: SourceColumn, mapping: ColumnMapping, isEnum: boolean, settings: SchemaSettings): unknown {
  const text = defaultText(column, isEnum)
  if (text === undefined) return undefined
  let value: unknown
  try {
    value = mapping.read(text)
    // A Decimal default must fit the column's scale, as Debezium's BigDecimal.setScale requires.
    if (mapping.schema.name === 'org.apache.kafka.connect.data.Decimal')
      unscaledOf(value as string, Number(mapping.schema.parameters?.scale))
  } catch {
    return undefined
  }
  // Kafka Connect cannot hold a struct default (a point, a variable-scale decimal): Debezium drops it.
  if (
    value === null ||
    (typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value) && !Array.isArray(value) && !(value instanceof Map))
  )
    return undefined
  const scale = column.scale ?? 0
  if (settings.decimalMode === 'string' && mapping.schema.type === 'string' && scale > 0 && /^-?\d+(\.\d*)?$/.test(value as string)) {
    const [whole, fraction = ''] = (value as string).split('.')
    if (fraction.length < scale) value = `${whole}.${fraction.padEnd(scale, '0')}`
  }
  return value
}

export class TableSchemas {
  private readonly settings: SchemaSettings
  private readonly propagateColumns: RegExp[]
  private readonly propagateDatatypes: RegExp[]
  private readonly built = new Map<string, TableSchema>()

  constructor(settings: SchemaSettings) {
    this.settings = settings
    this.propagateColumns = patterns(settings.propagateColumns)
    this.propagateDatatypes = patterns(settings.propagateDatatypes)
  }

  /** The schemas of a table as these columns (in this order) describe it; `name` is the topic name the schema names start with. */
  get(
    name: string,
    schema: string,
    table: string,
    columns: readonly SourceColumn[],
    keyColumns: readonly string[],
    types: TypeLookup,
  ): TableSchema {
    const id = JSON.stringify([
      name,
      schema,
      table,
      keyColumns,
      columns,
      columns.map((column) => [types(column.rootOid), types(types(column.rootOid)?.element ?? 0)]),
    ])
    let built = this.built.get(id)
    if (built === undefined) {
      built = this.build(name, schema, table, columns, keyColumns, types)
      this.built.set(id, built)
    }
    return built
  }

  private propagates(schema: string, table: string, column: SourceColumn): boolean {
    const columnName = `${schema}.${table}.${column.name}`
    const typeName = `${schema}.${table}.${column.typeName}`
    return (
      this.propagateColumns.some((pattern) => pattern.test(columnName)) || this.propagateDatatypes.some((pattern) => pattern.test(typeName))
    )
  }

  private build(
    name: string,
    schema: string,
    table: string,
    columns: readonly SourceColumn[],
    keyColumns: readonly string[],
    types: TypeLookup,
  ): TableSchema {
    const { settings } = this
    const fields: Array<FieldReader | undefined> = []
    const rowFields: Array<[string, Schema]> = []
    const keyFields = new Map<string, Schema>()
    for (const column of columns) {
      const mapping = columnMapping(column, types, settings)
      if (mapping === undefined) {
        fields.push(undefined)
        continue
      }
      const isEnum = types(column.rootOid)?.kind === 'e' || types(column.typeOid)?.kind === 'e'
      const defaultValue = defaultOf(column, mapping, isEnum, settings)
      const base = { optional: column.optional, ...(defaultValue !== undefined && { defaultValue }) }
      const fieldSchema = withOptions(mapping.schema, base)
      if (keyColumns.includes(column.name)) keyFields.set(column.name, fieldSchema)
      const propagated = this.propagates(schema, table, column)
        ? withOptions(mapping.schema, {
            ...base,
            parameters: {
              ...mapping.schema.parameters,
              '__debezium.source.column.type': column.typeName.toUpperCase(),
              '__debezium.source.column.length': String(column.length),
              ...(column.scale !== null && { '__debezium.source.column.scale': String(column.scale) }),
              '__debezium.source.column.name': column.name,
            },
          })
        : fieldSchema
      rowFields.push([column.name, propagated])
      fields.push({
        name: column.name,
        read: mapping.read,
        nullValue: column.optional ? null : (defaultValue ?? mapping.fallback),
        unchanged: mapping.unchanged,
      })
    }
    const presentKeys = keyColumns.filter((column) => keyFields.has(column))
    const keySchema =
      presentKeys.length === 0
        ? undefined
        : Schemas.struct(
            presentKeys.map((column) => [column, keyFields.get(column) as Schema]),
            { name: `${name}.Key` },
          )
    const rowSchema = Schemas.struct(rowFields, { name: `${name}.Value`, optional: true })
    return {
      schema,
      table,
      keyColumns: presentKeys,
      fields,
      keySchema,
      rowSchema,
      envelopeSchema: envelopeSchema(`${name}.Envelope`, rowSchema, POSTGRES_SOURCE_SCHEMA),
    }
  }
}
