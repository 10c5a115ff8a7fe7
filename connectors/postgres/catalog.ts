/**
 * What the decoders need from the database's catalogue: primary-key columns per table, the kind of
 * every column type (array element, enum), the published tables. Cached per connection.
 */
import pg from 'pg'
import { SESSION_OPTIONS } from './replication-stream.ts'
import type { TypeInfo } from './value-decoder.ts'

/** A client that hands every value over as the server's text, for value-decoder.ts to decode. */
export function textClient(connectionString: string): pg.Client {
  return new pg.Client({ connectionString, options: SESSION_OPTIONS, types: { getTypeParser: () => (value: string) => value } } as pg.ClientConfig)
}

export class Catalog {
  private readonly client: pg.Client
  private readonly types = new Map<number, TypeInfo>()
  private readonly keys = new Map<string, string[]>()
  private readonly generated = new Map<string, ReadonlySet<string>>()
  private readonly keyOverrides: ReadonlyMap<string, string[]>

  constructor(client: pg.Client, keyOverrides: ReadonlyMap<string, string[]>) {
    this.client = client
    this.keyOverrides = keyOverrides
  }

  readonly lookup = (oid: number): TypeInfo | undefined => this.types.get(oid)

  /**
   * Loads the types not seen yet, and what they are made of: the base types of domains (the stream
   * names a domain column by the domain, a query result by its base type: both must decode alike)
   * and the element types of arrays (an array of a domain decodes its elements by the domain's base).
   */
  async ensureTypes(oids: readonly number[]): Promise<void> {
    let missing = [...new Set(oids)].filter((oid) => !this.types.has(oid))
    while (missing.length > 0) {
      const { rows } = await this.client.query<{ oid: string; typcategory: string; typelem: string; typbasetype: string }>(
        'SELECT oid, typcategory, typelem, typbasetype FROM pg_type WHERE oid = ANY($1::oid[])',
        [missing],
      )
      for (const row of rows) this.types.set(Number(row.oid), { category: row.typcategory, element: Number(row.typelem), base: Number(row.typbasetype) })
      // Unknown OIDs are not asked for again: they decode as text.
      for (const oid of missing) if (!this.types.has(oid)) this.types.set(oid, { category: 'U', element: 0, base: 0 })
      // Then what those are made of: a domain's base type, an array's element type (a domain, say).
      missing = [...new Set(rows.flatMap((row) => [Number(row.typbasetype), Number(row.typelem)]))].filter((oid) => oid !== 0 && !this.types.has(oid))
    }
  }

  async keyColumns(schema: string, table: string): Promise<string[]> {
    const name = `${schema}.${table}`
    const override = this.keyOverrides.get(name)
    if (override !== undefined) return override
    const cached = this.keys.get(name)
    if (cached !== undefined) return cached
    const { rows } = await this.client.query<{ attname: string }>(
      `SELECT a.attname FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass AND i.indisprimary
        ORDER BY array_position(i.indkey, a.attnum)`,
      [schema, table],
    )
    const columns = rows.map((row) => row.attname)
    this.keys.set(name, columns)
    return columns
  }

  /**
   * The table's generated columns. pgoutput leaves them out of changes (before PostgreSQL 18), so a
   * snapshot leaves them out too: a row must look the same whichever way it arrives.
   */
  async generatedColumns(schema: string, table: string): Promise<ReadonlySet<string>> {
    const name = `${schema}.${table}`
    const cached = this.generated.get(name)
    if (cached !== undefined) return cached
    const { rows } = await this.client.query<{ attname: string }>(
      `SELECT attname FROM pg_attribute
        WHERE attrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated <> ''`,
      [schema, table],
    )
    const columns = new Set(rows.map((row) => row.attname))
    this.generated.set(name, columns)
    return columns
  }

  async publishedTables(publication: string): Promise<Array<{ schema: string; table: string }>> {
    const { rows } = await this.client.query<{ schemaname: string; tablename: string }>('SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1 ORDER BY 1, 2', [publication])
    return rows.map((row) => ({ schema: row.schemaname, table: row.tablename }))
  }
}
