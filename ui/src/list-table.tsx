/** A table of items, one row each: the first column names the row (a row header), the rest are cells. */
import type { ComponentChildren } from 'preact'

export interface Column<T> {
  readonly title: string
  readonly cell: (item: T) => ComponentChildren
  /** A data attribute on the cell, for tests and styles: [name, value]. */
  readonly data?: (item: T) => readonly [string, string | number]
}

export function ListTable<T>({
  name,
  columns,
  items,
  rowKey,
}: {
  name: string
  columns: readonly Column<T>[]
  items: readonly T[]
  rowKey: (item: T) => readonly [string, string]
}) {
  return (
    <div class="table-scroll">
      <table class="list" data-table={name}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.title} scope="col">
                {column.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => {
            const [attribute, key] = rowKey(item)
            return (
              <tr key={key} {...{ [`data-${attribute}`]: key }}>
                {columns.map((column, index) => {
                  const data = column.data?.(item)
                  const props = data === undefined ? {} : { [`data-${data[0]}`]: data[1] }
                  return index === 0 ? (
                    <th key={column.title} scope="row" {...props}>
                      {column.cell(item)}
                    </th>
                  ) : (
                    <td key={column.title} {...props}>
                      {column.cell(item)}
                    </td>
                  )
                })}
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
