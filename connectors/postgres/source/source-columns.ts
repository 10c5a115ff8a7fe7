/**
 * A captured column as Debezium describes it before it maps it to a schema: its type name, native
 * type (a domain walked down to its base), length, scale, nullability and default expression.
 * Debezium describes a table two ways: from the JDBC driver's metadata for a snapshot, and from a
 * pgoutput Relation message (plus the same metadata for nullability and defaults) while streaming.
 * The two mostly agree; where they do not (a serial column's type name, generated columns, which
 * pgoutput leaves out), each way is followed here so both kinds of event match Debezium's.
 */
import type { CatalogColumn } from './source-catalog.ts'
import { Oid, rootType, type PgType, type TypeLookup } from './pg-types.ts'
import type { RelationColumn } from './pgoutput.ts'
import { UNKNOWN_LENGTH, lengthOf, scale as scaleOf } from './type-size.ts'

export interface SourceColumn {
  readonly name: string
  /** The declared type (a domain, say). */
  readonly typeOid: number
  /** The type the value is: the declared one, or what a domain is over. */
  readonly rootOid: number
  /** Debezium's type name (`int4`, `varchar`, `serial` for a snapshot's serial column, `mood`). */
  readonly typeName: string
  readonly length: number
  /** null where the JDBC driver reports none (a numeric without a declared scale, in a snapshot). */
  readonly scale: number | null
  readonly optional: boolean
  /** pg_get_expr of the column's default; null when it has none, or Debezium would not parse it. */
  readonly defaultExpression: string | null
}

/** Sizes a type without a modifier has (a domain's own modifier counts), as Debezium's PostgresType gives them. */
function defaultSize(oid: number, types: TypeLookup, depth = 0): { length: number; scale: number } {
  const type = types(oid)
  if (type !== undefined && type.base !== 0 && depth < 32) {
    if (type.typmod === -1) return defaultSize(type.base, types, depth + 1)
    const length = lengthOf(type.base, type.typmod)
    return { length: length !== 0 ? length : UNKNOWN_LENGTH, scale: scaleOf(type.base, type.typmod) }
  }
  return { length: lengthOf(oid, -1), scale: scaleOf(oid, -1) }
}

/**
 * Debezium reads a default only for types it has a parser for: by the type's own name, so not for a
 * domain's; an enum's always.
 */
const DEFAULT_PARSED = new Set([
  'bit',
  'varbit',
  'bool',
  'bpchar',
  'varchar',
  'text',
  'numeric',
  'float4',
  'float8',
  'int2',
  'int4',
  'int8',
  'json',
  'jsonb',
  'xml',
  'uuid',
  'date',
  'time',
  'timestamp',
  'timestamptz',
  'interval',
])

function parsesDefault(type: PgType | undefined): boolean {
  return type !== undefined && (type.kind === 'e' || DEFAULT_PARSED.has(type.name))
}

function typeName(oid: number, types: TypeLookup): string {
  return types(oid)?.name ?? String(oid)
}

/** The JDBC driver's name for a serial column's type, which Debezium keeps for snapshot events. */
function jdbcTypeName(column: CatalogColumn, types: TypeLookup): string {
  const name = typeName(column.typeOid, types)
  if (column.defaultExpression?.includes('nextval(') !== true) return name
  return name === 'int4' ? 'serial' : name === 'int8' ? 'bigserial' : name === 'int2' ? 'smallserial' : name
}

/** A column of a table read by a query (a snapshot): as the JDBC driver's metadata describes it. */
export function queriedColumn(column: CatalogColumn, types: TypeLookup): SourceColumn {
  const type = types(column.typeOid)
  let size: { length: number; scale: number | null }
  if (type !== undefined && type.base !== 0) size = defaultSize(column.typeOid, types)
  // The driver's metadata has no size for an unconstrained numeric (its own precision is 0 for it).
  else if (column.typeOid === Oid.numeric && column.typmod === -1) size = { length: 0, scale: null }
  else size = { length: lengthOf(column.typeOid, column.typmod), scale: scaleOf(column.typeOid, column.typmod) }
  return {
    name: column.name,
    typeOid: column.typeOid,
    rootOid: rootType(column.typeOid, types),
    typeName: jdbcTypeName(column, types),
    length: size.length,
    scale: size.scale,
    optional: !column.notNull,
    defaultExpression: parsesDefault(type) ? column.defaultExpression : null,
  }
}

/** A column of a pgoutput Relation message, with nullability and default from the catalogue. */
export function streamedColumn(column: RelationColumn, catalog: ReadonlyMap<string, CatalogColumn>, types: TypeLookup): SourceColumn {
  const described = catalog.get(column.name)
  const size =
    column.typeModifier !== -1
      ? { length: lengthOf(column.typeOid, column.typeModifier), scale: scaleOf(column.typeOid, column.typeModifier) }
      : defaultSize(column.typeOid, types)
  const type = types(column.typeOid)
  return {
    name: column.name,
    typeOid: column.typeOid,
    rootOid: rootType(column.typeOid, types),
    typeName: typeName(column.typeOid, types),
    length: size.length,
    scale: size.scale,
    optional: described === undefined ? true : !described.notNull,
    defaultExpression: described !== undefined && parsesDefault(type) ? described.defaultExpression : null,
  }
}
