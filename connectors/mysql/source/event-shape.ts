/**
 * A table's shape as a binlog rows event has it: the column names zongji resolved for the event's
 * table map and each column's kind from the binlog's own type code. With
 * binlog_row_metadata=FULL the names come from the event itself, so binlog written before an ALTER
 * TABLE still decodes with the columns it was written with. information_schema adds only what the
 * binlog cannot say: the primary key, and which LONGTEXT is MariaDB's JSON.
 */
import type { TableMapEntry } from '@vlasky/zongji'
import type { Column, ColumnKind, TableShape } from '../shared/catalog.ts'

/** MySQL column type codes (include/field_types.h) → the column's kind, for a column information_schema no longer has. */
const KINDS: ReadonlyMap<number, ColumnKind> = new Map([
  [1, 'integer'],
  [2, 'integer'],
  [3, 'integer'],
  [8, 'integer'],
  [9, 'integer'], // TINY SHORT LONG LONGLONG INT24
  [4, 'float'],
  [246, 'decimal'],
  [0, 'decimal'],
  [16, 'bit'],
  [245, 'json'],
  [13, 'year'],
  [10, 'date'],
  [14, 'date'],
  [12, 'datetime'],
  [18, 'datetime'],
  [7, 'timestamp'],
  [17, 'timestamp'],
  [11, 'time'],
  [19, 'time'],
])

const cache = new WeakMap<object, TableShape>()

/** The event's shape; `current` (information_schema now) supplies the key and MariaDB JSON columns. */
export function eventShape(entry: TableMapEntry, current: TableShape): TableShape {
  const columns = entry.columns
  if (columns === undefined) return current
  const cached = cache.get(columns)
  if (cached !== undefined) return cached
  const known = new Map(current.columns.map((column) => [column.name, column]))
  const shape: TableShape = {
    database: current.database,
    table: current.table,
    columns: columns.map((info): Column => {
      const kind = KINDS.get(info.type) ?? (known.get(info.name)?.kind === 'json' ? 'json' : 'other')
      const bits = (info.metadata as { bits?: unknown } | undefined)?.bits
      const definition = known.get(info.name)?.definition
      return {
        name: info.name,
        kind,
        width: typeof bits === 'number' ? bits : (known.get(info.name)?.width ?? null),
        ...(definition !== undefined && { definition }),
      }
    }),
    keyColumns: current.keyColumns,
  }
  cache.set(columns, shape)
  return shape
}
