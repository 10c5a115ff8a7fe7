/**
 * The executed GTIDs at the reader's position, carried in the offsets (Debezium's `gtids`) so a
 * resume by GTID, on this server or another in its topology, can follow. MariaDB computes the
 * starting value for any transaction boundary (BINLOG_GTID_POS); MySQL is not tracked yet (null).
 */
import { MariadbGtidPosition } from '@vlasky/zongji'
import type { Connection } from 'mysql2/promise'
import type { BinlogPosition } from './binlog-stream.ts'

export interface GtidTracker {
  /** A transaction ('domain-server-sequence') has committed. */
  add(gtid: string): void
  toString(): string
}

export async function gtidTracker(connection: Connection, isMariaDb: boolean, from: BinlogPosition): Promise<GtidTracker | null> {
  if (!isMariaDb) return null
  const [rows] = await connection.query('SELECT BINLOG_GTID_POS(?, ?) AS gtids', [from.file, from.pos])
  const text = (rows as Array<{ gtids: string | null }>)[0]?.gtids
  if (text === null || text === undefined) return null // not a transaction boundary the server knows
  const position = MariadbGtidPosition.parse(text)
  return {
    add(gtid) {
      const [domainId, serverId, seqNo] = gtid.split('-')
      position.add({ domainId: Number(domainId), serverId: Number(serverId), seqNo: seqNo ?? '0' })
    },
    toString: () => position.toString(),
  }
}
