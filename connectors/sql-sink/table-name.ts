/**
 * Target table names from `table.name.format`: `${topic}` (dots as underscores), `${source.table}`,
 * `${source.schema}` and `${source.db}` from a change event's source block. Postgres events carry a
 * schema, MySQL events only their database (a MySQL schema is a database), so `${source.schema}`
 * falls back to the database. A name without a qualifier gets the sink's default one.
 */
import { TributaryError } from '../../core/runtime/plugin.ts'

export interface TableNaming {
  readonly format: string
  /** Qualifies names without a dot: Postgres' schema.default, MySQL's default database. */
  readonly defaultNamespace: string | undefined
}

export type SourceBlock = Readonly<Record<string, unknown>>

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)

/** A name function for one task: the format is applied once per topic and source table, then cached. */
export function tableNamer(naming: TableNaming): (topic: string, source: SourceBlock) => string {
  const names = new Map<string, string>()
  const nameFor = (topic: string, source: SourceBlock): string => {
    const db = text(source.db)
    const schema = text(source.schema) ?? db
    const table = text(source.table)
    const cacheKey = `${topic}\0${db ?? ''}\0${schema ?? ''}\0${table ?? ''}`
    const cached = names.get(cacheKey)
    if (cached !== undefined) return cached
    const fallback = naming.defaultNamespace ?? ''
    const name = naming.format
      .replaceAll('${topic}', topic.replaceAll('.', '_'))
      .replaceAll('${source.schema}', schema ?? fallback)
      .replaceAll('${source.db}', db ?? fallback)
      .replaceAll('${source.table}', table ?? topic.replaceAll('.', '_'))
    const qualified = qualify(name, naming.defaultNamespace)
    names.set(cacheKey, qualified)
    return qualified
  }
  // Records come in runs of one topic and table: the last answer saves a cache key per record.
  let last: { topic: string; db: unknown; schema: unknown; table: unknown; name: string } | undefined
  return (topic, source) => {
    if (last !== undefined && last.topic === topic && last.db === source.db && last.schema === source.schema && last.table === source.table)
      return last.name
    const name = nameFor(topic, source)
    last = { topic, db: source.db, schema: source.schema, table: source.table, name }
    return name
  }
}

/** `namespace.name`; a name that already has a qualifier stays as it is. */
export function qualify(name: string, defaultNamespace: string | undefined): string {
  if (name.includes('.') && !name.startsWith('.')) return name
  if (defaultNamespace === undefined || defaultNamespace === '') {
    throw new TributaryError(
      'TRB_SINK_WRITE',
      `table ${name.replace(/^\./, '')} names no database or schema and the sink has no default one`,
      { retriable: false, details: { table: name } },
    )
  }
  return `${defaultNamespace}.${name.replace(/^\./, '')}`
}
