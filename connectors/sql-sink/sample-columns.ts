/** For auto.create and auto.evolve: a column's type is inferred from a value the records have for it. */

/** Each column with the first non-null value the rows have for it (null when none has one). */
export function sampleColumns(rows: ReadonlyArray<Record<string, unknown>>): Array<[string, unknown]> {
  const sample = new Map<string, unknown>()
  for (const row of rows) {
    for (const [column, value] of Object.entries(row)) if (sample.get(column) === undefined || sample.get(column) === null) sample.set(column, value)
  }
  return [...sample]
}
