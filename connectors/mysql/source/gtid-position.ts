/**
 * The executed GTIDs at the reader's position, in the server's own format, carried in the offsets
 * (Debezium's `gtids`) so a restart can resume by GTID, on this server or another in its topology.
 * MariaDB: a GTID position, the last transaction per replication domain ('0-1-42,1-3-7'). MySQL: a
 * GTID set, the intervals of transactions executed per source ('uuid:1-5:7,uuid2:1-3', tagged
 * sources as 'uuid:1-5:tag:1'). zongji's models (GtidSet, MariadbGtidPosition) hold the values.
 */
import { GtidSet, MariadbGtidPosition } from '@vlasky/zongji'
import type { Connection } from 'mysql2/promise'
import { TributaryError } from '../../../core/runtime/plugin.ts'
import type { BinlogPosition } from './binlog-stream.ts'

export interface GtidTracker {
  /** A transaction has committed: its GTID as the binlog names it (MariaDB '0-1-42', MySQL 'uuid:42' or 'uuid:tag:42'). */
  add(gtid: string): void
  toString(): string
}

/** Executed GTIDs as text in the server's format; whitespace (MySQL prints a newline after each comma) is ignored. */
export function parseGtids(text: string, isMariaDb: boolean): GtidTracker {
  const compact = text.replace(/\s/g, '')
  try {
    return isMariaDb ? mariaDbTracker(MariadbGtidPosition.parse(compact)) : mysqlTracker(GtidSet.parse(compact))
  } catch (error) {
    throw new TributaryError(
      'TRB_SOURCE_READ',
      `'${text}' is not a ${isMariaDb ? 'MariaDB GTID position (domain-server-sequence, …)' : 'MySQL GTID set (uuid:1-5:7, …)'}: ${(error as Error).message}`,
      {
        cause: error,
        retriable: false,
        details: { gtids: text },
      },
    )
  }
}

/**
 * The tracker for a stream starting at `from`: from `known` (the stored offset's or the server's
 * executed set at `from`) where there is one; else on MariaDB from BINLOG_GTID_POS, which knows it
 * for any transaction boundary; else (MySQL without a known set) null: offsets carry no GTIDs.
 */
export async function gtidTracker(
  connection: Connection,
  isMariaDb: boolean,
  from: BinlogPosition,
  known: string | null,
): Promise<GtidTracker | null> {
  if (known !== null) return parseGtids(known, isMariaDb)
  if (!isMariaDb) return null
  const text = await binlogGtidPosition(connection, from)
  return text === null ? null : parseGtids(text, true)
}

/**
 * Whether the server still has every binlog a stream resuming after `gtids` needs. MySQL: nothing
 * purged is missing from the set. MariaDB: in every replication domain the oldest binlog starts,
 * `gtids` is at or past that start (sequence numbers only, so a failover to another server id
 * in a domain still counts).
 */
export async function hasBinlogsAfter(connection: Connection, isMariaDb: boolean, gtids: string): Promise<boolean> {
  if (!isMariaDb) {
    const [rows] = await connection.query('SELECT GTID_SUBSET(@@GLOBAL.gtid_purged, ?) AS covered', [gtids.replace(/\s/g, '')])
    return Number((rows as Array<{ covered: number | string }>)[0]?.covered) === 1
  }
  const [logs] = await connection.query('SHOW BINARY LOGS')
  const oldest = (logs as Array<{ Log_name: string }>)[0]?.Log_name
  if (oldest === undefined) return false
  const start = await binlogGtidPosition(connection, { file: oldest, pos: 4 })
  if (start === null) return false
  const stored = sequenceByDomain(gtids)
  for (const [domain, sequence] of sequenceByDomain(start)) {
    const at = stored.get(domain)
    if (at === undefined || at < sequence) return false
  }
  return true
}

async function binlogGtidPosition(connection: Connection, at: BinlogPosition): Promise<string | null> {
  const [rows] = await connection.query('SELECT BINLOG_GTID_POS(?, ?) AS gtids', [at.file, at.pos])
  return (rows as Array<{ gtids: string | null }>)[0]?.gtids ?? null // null: not a boundary the server knows
}

/** A MariaDB GTID position's last sequence number per domain. */
function sequenceByDomain(text: string): Map<number, bigint> {
  const sequences = new Map<number, bigint>()
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [domain, , sequence] = entry.split('-')
    sequences.set(Number(domain), BigInt(sequence ?? '0'))
  }
  return sequences
}

function mariaDbTracker(position: MariadbGtidPosition): GtidTracker {
  return {
    add(gtid) {
      const [domainId, serverId, seqNo] = gtid.split('-')
      position.add({ domainId: Number(domainId), serverId: Number(serverId), seqNo: seqNo ?? '0' })
    },
    toString: () => position.toString(),
  }
}

function mysqlTracker(set: GtidSet): GtidTracker {
  return {
    add: (gtid) => set.add(gtid),
    toString: () => set.toString(),
  }
}
