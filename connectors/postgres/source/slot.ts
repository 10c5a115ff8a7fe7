/**
 * Replication slots and publications: created when missing, inspected for the status (confirmed LSN,
 * WAL retained), dropped on request. A slot created with an exported snapshot keeps its replication
 * connection open: the snapshot lives only as long as that connection is idle.
 */
import pg from 'pg'
import { parseLsn, type Lsn } from './lsn.ts'
import { quoteIdentifier } from '../shared/quote.ts'

export interface CreatedSlot {
  readonly consistentPoint: Lsn
  /** Set when created with an exported snapshot; valid until `release()`. */
  readonly snapshotName: string | null
  /** Closes the replication connection that holds the exported snapshot. */
  release(): Promise<void>
}

export async function createReplicationSlot(connectionString: string, slot: string, exportSnapshot: boolean): Promise<CreatedSlot> {
  const client = new pg.Client({ connectionString, replication: 'database' } as pg.ClientConfig)
  // Holding an exported snapshot, this connection sits idle; a server shutdown must not crash the worker.
  client.on('error', () => undefined)
  await client.connect()
  try {
    const result = await client.query(
      `CREATE_REPLICATION_SLOT ${quoteIdentifier(slot)} LOGICAL pgoutput ${exportSnapshot ? 'EXPORT_SNAPSHOT' : 'NOEXPORT_SNAPSHOT'}`,
    )
    const row = result.rows[0] as { consistent_point: string; snapshot_name: string | null }
    return { consistentPoint: parseLsn(row.consistent_point), snapshotName: row.snapshot_name, release: () => client.end() }
  } catch (error) {
    await client.end().catch(() => undefined) // the error below is the one to report
    throw error
  }
}

export interface SlotState {
  readonly exists: boolean
  readonly active: boolean
  readonly confirmedFlushLsn: Lsn | null
  /** Bytes of WAL the slot keeps the server from recycling. */
  readonly retainedWalBytes: number
  /** Invalidated by the server (wal_status `lost`, PostgreSQL 13+): the WAL it needed is gone. */
  readonly lost: boolean
}

export async function slotState(client: pg.ClientBase, slot: string): Promise<SlotState> {
  // wal_status read through to_jsonb: the column is missing before PostgreSQL 13.
  const { rows } = await client.query<{
    active: boolean | string
    confirmed_flush_lsn: string | null
    retained: string | null
    wal_status: string | null
  }>(
    `SELECT active, confirmed_flush_lsn::text, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::text AS retained, to_jsonb(s) ->> 'wal_status' AS wal_status
       FROM pg_replication_slots s WHERE slot_name = $1`,
    [slot],
  )
  const row = rows[0]
  if (row === undefined) return { exists: false, active: false, confirmedFlushLsn: null, retainedWalBytes: 0, lost: false }
  return {
    exists: true,
    active: row.active === true || row.active === 't' || row.active === 'true', // 't' from a client that keeps the server's text
    confirmedFlushLsn: row.confirmed_flush_lsn === null ? null : parseLsn(row.confirmed_flush_lsn),
    retainedWalBytes: Number(row.retained ?? 0),
    lost: row.wal_status === 'lost',
  }
}

export async function dropReplicationSlot(client: pg.ClientBase, slot: string): Promise<void> {
  await client.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot])
}

/**
 * Creates the publication when missing, for the listed tables (`schema.table`) or all tables, and
 * adds listed tables an existing one lacks: their changes stream from that commit on. Returns the
 * tables it added to an existing publication. A publication it creates publishes a partitioned
 * table's changes under the partitioned table's name (publish_via_partition_root, PostgreSQL 13+),
 * as its snapshot reads it: otherwise each partition's changes would stream under its own name.
 */
export async function ensurePublication(client: pg.ClientBase, publication: string, tables: readonly string[]): Promise<string[]> {
  // Compared as text: the source's clients hand every value over as the server's text.
  const { rows } = await client.query<{ all: string }>('SELECT puballtables::text AS "all" FROM pg_publication WHERE pubname = $1', [
    publication,
  ])
  const existing = rows[0]
  const list = (names: readonly string[]) => names.map((table) => table.split('.').map(quoteIdentifier).join('.')).join(', ')
  if (existing === undefined) {
    const version = await client.query<{ version: string }>("SELECT current_setting('server_version_num') AS version")
    const viaRoot = Number(version.rows[0]?.version ?? 0) >= 130000 ? ' WITH (publish_via_partition_root = true)' : ''
    await client.query(
      `CREATE PUBLICATION ${quoteIdentifier(publication)} ${tables.length === 0 ? 'FOR ALL TABLES' : `FOR TABLE ${list(tables)}`}${viaRoot}`,
    )
    return []
  }
  if (existing.all === 'true' || tables.length === 0) return []
  // What it publishes, and the tables added to it by name: a partitioned table added to a publication
  // without publish_via_partition_root is published as its partitions, yet it is a member.
  const published = await client.query<{ name: string }>(
    `SELECT schemaname || '.' || tablename AS name FROM pg_publication_tables WHERE pubname = $1
     UNION SELECT n.nspname || '.' || c.relname FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid
       JOIN pg_class c ON c.oid = r.prrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE p.pubname = $1`,
    [publication],
  )
  const have = new Set(published.rows.map((row) => row.name))
  const missing = tables.filter((table) => !have.has(table))
  if (missing.length > 0) await client.query(`ALTER PUBLICATION ${quoteIdentifier(publication)} ADD TABLE ${list(missing)}`)
  return missing
}

/**
 * Partitioned tables the publication publishes as their partitions (publish_via_partition_root
 * off): their changes stream under each partition's name while a snapshot reads them whole.
 */
export async function partitionedAsPartitions(client: pg.ClientBase, publication: string, tables: readonly string[]): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'p' AND n.nspname || '.' || c.relname = ANY($2::text[])
        AND EXISTS (SELECT 1 FROM pg_publication p WHERE p.pubname = $1 AND NOT p.pubviaroot)`,
    [publication, [...tables]],
  )
  return rows.map((row) => row.name)
}

/**
 * Published tables the server cannot publish updates and deletes of: no primary key and no other
 * replica identity. PostgreSQL refuses UPDATE and DELETE on them from then on, to every client.
 */
export async function publishedWithoutIdentity(client: pg.ClientBase, publication: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT t.schemaname || '.' || t.tablename AS name FROM pg_publication_tables t
       JOIN pg_namespace n ON n.nspname = t.schemaname JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.tablename
       JOIN pg_publication p ON p.pubname = t.pubname
      WHERE t.pubname = $1 AND (p.pubupdate OR p.pubdelete) AND c.relreplident = 'd'
        AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
      ORDER BY 1`,
    [publication],
  )
  return rows.map((row) => row.name)
}
