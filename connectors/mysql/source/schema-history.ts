/**
 * Debezium's schema history for servers without binlog_row_metadata=FULL: each captured table's
 * columns and key, with the binlog position from which they hold, kept in a compacted internal topic
 * (one key per table version, so compaction keeps them all). Row events are decoded with the version
 * valid at their position, so binlog replayed after a restart decodes with the columns it was
 * written with, not the table's current ones.
 */
import type { ColumnSchema } from '@vlasky/zongji'
import type { TopicStore } from '../../../core/runtime/plugin.ts'
import type { BinlogPosition } from './binlog-stream.ts'
import type { Catalog, TableShape } from '../shared/catalog.ts'

export interface TableVersion {
  readonly position: BinlogPosition
  readonly shape: TableShape
  /** zongji's INFORMATION_SCHEMA rows for the table map, as they were at `position`. */
  readonly columnSchemas: readonly ColumnSchema[]
}

/** Binlog file names share a base and a zero-padded sequence number, so they sort as strings. */
export function comparePositions(a: BinlogPosition, b: BinlogPosition): number {
  return a.file === b.file ? a.pos - b.pos : a.file < b.file ? -1 : 1
}

export class SchemaHistory {
  private readonly store: TopicStore<TableVersion>
  private readonly catalog: Catalog
  /** Versions per `database.table`, oldest first. */
  private readonly versions = new Map<string, TableVersion[]>()

  constructor(store: TopicStore<TableVersion>, catalog: Catalog) {
    this.store = store
    this.catalog = catalog
    for (const [, version] of store.entries()) this.add(version)
  }

  /** The version valid at `position`: the newest recorded at or before it. */
  at(database: string, table: string, position: BinlogPosition): TableVersion | undefined {
    const versions = this.versions.get(`${database}.${table}`) ?? []
    for (let i = versions.length - 1; i >= 0; i--) if (comparePositions(versions[i]!.position, position) <= 0) return versions[i]
    return undefined
  }

  has(database: string, table: string): boolean {
    return this.versions.has(`${database}.${table}`)
  }

  /**
   * Reads the table's current definition and records it as valid from `position`, unless a version
   * is already recorded there: replayed DDL keeps the definition recorded when it was first read.
   */
  async record(database: string, table: string, position: BinlogPosition): Promise<void> {
    const recorded = this.versions.get(`${database}.${table}`)?.some((version) => comparePositions(version.position, position) === 0)
    if (recorded === true) return
    this.catalog.forget(database, table)
    const [shape, columnSchemas] = await Promise.all([this.catalog.shape(database, table), this.catalog.columnSchemas(database, table)])
    if (columnSchemas.length === 0) return // dropped since
    const version: TableVersion = { position, shape, columnSchemas }
    await this.store.write([[`${database}.${table}@${position.file}:${position.pos}`, version]])
    this.add(version)
  }

  private add(version: TableVersion): void {
    const name = `${version.shape.database}.${version.shape.table}`
    const versions = this.versions.get(name) ?? []
    versions.push(version)
    versions.sort((a, b) => comparePositions(a.position, b.position))
    this.versions.set(name, versions)
  }
}
