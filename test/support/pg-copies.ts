/**
 * Checks a PostgreSQL → topic → PostgreSQL copy: each table's rows on the target read as the
 * source's (`row(…)::text`, every value as PostgreSQL prints it) once the sink has caught up, and the
 * target's columns have the source's types (format_type).
 */
import { expect } from 'vitest'
import { queryAt, type PgServer } from './pg-server.ts'
import { untilRowsEqual } from './until-rows-equal.ts'

const FORMAT_TYPES = `SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`

/** Waits (up to a minute) for the copy of each table at `targetUrl` to hold the source's rows, then compares column types; `diagnose` says why when it does not. */
export async function expectCopied(
  source: PgServer,
  targetUrl: string,
  tables: readonly string[],
  columns: readonly string[],
  diagnose: () => Promise<string>,
): Promise<void> {
  const asText = (table: string) => `SELECT row(id, ${columns.join(', ')})::text AS r FROM ${table} ORDER BY id`
  for (const table of tables) {
    const expected = (await source.query<{ r: string }>(asText(table))).map((row) => row.r)
    await untilRowsEqual(
      async () => (await queryAt<{ r: string }>(targetUrl, asText(table)).catch(() => [])).map((row) => row.r),
      expected,
      60_000,
      diagnose,
    )
    expect(await queryAt(targetUrl, FORMAT_TYPES, [table]), table).toEqual(await source.query(FORMAT_TYPES, [table]))
  }
}
