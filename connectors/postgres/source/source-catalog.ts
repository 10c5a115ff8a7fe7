/**
 * What the decoders need from the database's catalogue: primary-key columns per table, every column
 * type (its name, what a domain is over, an array's element, an enum's labels), each table's columns
 * as the JDBC driver describes them to Debezium (nullability, default expression), the published
 * tables. Cached per connection; a table's columns are read again when a DDL change is seen.
 */
import pg from 'pg'
import { parsePgArray } from '../shared/pg-array.ts'
import type { PgType } from './pg-types.ts'
import { SESSION_OPTIONS } from './replication-stream.ts'

/** A client that hands every value over as the server's text, for the column converters to decode. */
export function textClient(connectionString: string): pg.Client {
  return new pg.Client({
    connectionString,
    options: SESSION_OPTIONS,
    types: { getTypeParser: () => (value: string) => value },
  } as pg.ClientConfig)
}

/** A table's column as pg_attribute and pg_attrdef describe it. */
export interface CatalogColumn {
  readonly name: string
  readonly typeOid: number
  readonly typmod: number
  /** NOT NULL, or of a domain declared NOT NULL. */
  readonly notNull: boolean
  /** pg_get_expr of its default (or of its generation expression); null when it has none. */
  readonly defaultExpression: string | null
  readonly generated: boolean
}

interface TypeRow {
  oid: string
  typname: string
  nspname: string
  typtype: string
  typcategory: string
  typelem: string
  typbasetype: string
  typtypmod: string
  typnotnull: string
  labels: string | null
}

export class Catalog {
  private readonly client: pg.Client
  private readonly types = new Map<number, PgType>()
  private readonly keys = new Map<string, string[]>()
  private readonly columns = new Map<string, readonly CatalogColumn[]>()
  private readonly keyOverrides: ReadonlyMap<string, string[]>

  constructor(client: pg.Client, keyOverrides: ReadonlyMap<string, string[]>) {
    this.client = client
    this.keyOverrides = keyOverrides
  }

  readonly lookup = (oid: number): PgType | undefined => this.types.get(oid)

  /**
   * Loads the types not seen yet, and what they are made of: the base types of domains (the stream
   * names a domain column by the domain, a query result by its base type: both must decode alike)
   * and the element types of arrays (an array of a domain decodes its elements by the domain's base).
   */
  async ensureTypes(oids: readonly number[]): Promise<void> {
    let missing = [...new Set(oids)].filter((oid) => !this.types.has(oid))
    while (missing.length > 0) {
      const { rows } = await this.client.query<TypeRow>(
        `SELECT t.oid, t.typname, n.nspname, t.typtype, t.typcategory, t.typelem, t.typbasetype, t.typtypmod, t.typnotnull,
                CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END AS labels
           FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = ANY($1::oid[])`,
        [missing],
      )
      for (const row of rows) {
        this.types.set(Number(row.oid), {
          oid: Number(row.oid),
          name: row.typname,
          namespace: row.nspname,
          kind: row.typtype,
          category: row.typcategory,
          element: Number(row.typelem),
          base: Number(row.typbasetype),
          typmod: Number(row.typtypmod),
          notNull: row.typnotnull === 't',
          ...(row.labels !== null && { labels: parsePgArray(row.labels, (label) => label) as string[] }),
        })
      }
      // Unknown OIDs are not asked for again.
      for (const oid of missing) {
        if (!this.types.has(oid))
          this.types.set(oid, {
            oid,
            name: String(oid),
            namespace: '',
            kind: 'b',
            category: 'U',
            element: 0,
            base: 0,
            typmod: -1,
            notNull: false,
          })
      }
      // Then what those are made of: a domain's base type, an array's element type (a domain, say).
      missing = [...new Set(rows.flatMap((row) => [Number(row.typbasetype), Number(row.typelem)]))].filter(
        (oid) => oid !== 0 && !this.types.has(oid),
      )
    }
  }

  async keyColumns(schema: string, table: string): Promise<string[]> {
    const name = `${schema}.${table}`
    const override = this.keyOverrides.get(name)
    if (override !== undefined) return override
    const cached = this.keys.get(name)
    if (cached !== undefined) return cached
    // The primary key; without one, as Debezium: the first unique index (a clustered one first, then
    // by name, as the JDBC driver lists them) whose columns are all plain columns, not expressions.
    const { rows } = await this.client.query<{ columns: string }>(
      `SELECT ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n)
                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n)::text AS columns
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass AND i.indisunique AND 0 <> ALL(i.indkey::int2[])
        ORDER BY i.indisprimary DESC, i.indisclustered DESC, c.relname COLLATE "C" LIMIT 1`,
      [schema, table],
    )
    const columns = rows[0] === undefined ? [] : (parsePgArray(rows[0].columns, (name) => name) as string[])
    this.keys.set(name, columns)
    return columns
  }

  /**
   * The table's columns in their order, with their types loaded. `fresh` reads them again (a
   * relation message says the table changed), and forgets the primary key read before.
   */
  async tableColumns(schema: string, table: string, fresh = false): Promise<readonly CatalogColumn[]> {
    const name = `${schema}.${table}`
    const cached = fresh ? undefined : this.columns.get(name)
    if (cached !== undefined) return cached
    if (fresh) this.keys.delete(name)
    const { rows } = await this.client.query<{
      attname: string
      atttypid: string
      atttypmod: string
      notnull: string
      def: string | null
      generated: string
    }>(
      `SELECT a.attname, a.atttypid, a.atttypmod, (a.attnotnull OR (t.typtype = 'd' AND t.typnotnull)) AS notnull,
              pg_get_expr(d.adbin, d.adrelid) AS def, (a.attgenerated <> '') AS generated
         FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
      [schema, table],
    )
    const columns = rows.map(
      (row): CatalogColumn => ({
        name: row.attname,
        typeOid: Number(row.atttypid),
        typmod: Number(row.atttypmod),
        notNull: row.notnull === 't',
        defaultExpression: row.def,
        generated: row.generated === 't',
      }),
    )
    await this.ensureTypes(columns.map((column) => column.typeOid))
    this.columns.set(name, columns)
    return columns
  }

  async publishedTables(publication: string): Promise<Array<{ schema: string; table: string }>> {
    const { rows } = await this.client.query<{ schemaname: string; tablename: string }>(
      'SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1 ORDER BY 1, 2',
      [publication],
    )
    return rows.map((row) => ({ schema: row.schemaname, table: row.tablename }))
  }
}
