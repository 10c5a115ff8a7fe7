/**
 * What the server says about its binlog: whether its settings let the connector see whole rows,
 * whether it gives transactions GTIDs, where the binlog ends now, and a consistent snapshot together
 * with the binlog position it corresponds to.
 */
import type { Connection } from 'mysql2/promise'
import { TributaryError } from '../../../core/runtime/plugin.ts'
import type { BinlogPosition } from './binlog-stream.ts'

/** Settings the row binlog must have, and the value each must have. */
const REQUIRED: ReadonlyArray<readonly [string, string]> = [
  ['log_bin', 'ON'],
  ['binlog_format', 'ROW'],
  ['binlog_row_image', 'FULL'],
]

/** Throws when a required setting is off; returns binlog_row_metadata (null where the server lacks it). */
export async function checkBinlogSettings(connection: Connection): Promise<{ rowMetadata: string | null }> {
  const [rows] = await connection.query(
    `SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin', 'binlog_format', 'binlog_row_image', 'binlog_row_metadata')`,
  )
  const values = new Map(
    (rows as Array<{ Variable_name: string; Value: string }>).map((row) => [
      row.Variable_name.toLowerCase(),
      String(row.Value).toUpperCase(),
    ]),
  )
  for (const [name, wanted] of REQUIRED) {
    const actual = values.get(name)
    if (actual === wanted) continue
    const fix =
      name === 'log_bin'
        ? 'start the server with log_bin (and a server_id)'
        : `set ${name}=${wanted} (SET GLOBAL ${name} = '${wanted}' and in the server's config file)`
    throw new TributaryError(
      'TRB_SOURCE_SERVER_SETTING',
      `the server has ${name}=${actual ?? 'unset'} but change data capture needs ${name}=${wanted}: ${fix}`,
      { details: { setting: name, actual: actual ?? null, required: wanted } },
    )
  }
  return { rowMetadata: values.get('binlog_row_metadata') ?? null }
}

/** Whether every transaction has a GTID: always on MariaDB, with gtid_mode=ON on MySQL. */
export async function hasGtids(connection: Connection, isMariaDb: boolean): Promise<boolean> {
  if (isMariaDb) return true
  const [rows] = await connection.query('SELECT @@GLOBAL.gtid_mode AS mode').catch(() => [[]])
  return String((rows as Array<{ mode?: unknown }>)[0]?.mode ?? '').toUpperCase() === 'ON'
}

/** A binlog position with MySQL's executed GTID set there (null where the server does not report one, as MariaDB). */
export interface ServerPosition extends BinlogPosition {
  readonly gtids: string | null
}

/** The end of the binlog now (where a stream without snapshot starts). */
export async function currentPosition(connection: Connection): Promise<ServerPosition> {
  // MySQL 8.4 renamed the statement; MariaDB and older MySQL know only the first.
  const [rows] = await connection.query('SHOW MASTER STATUS').catch(() => connection.query('SHOW BINARY LOG STATUS'))
  const row = (rows as Array<{ File: string; Position: number | string; Executed_Gtid_Set?: string }>)[0]
  if (row === undefined)
    throw new TributaryError(
      'TRB_SOURCE_SERVER_SETTING',
      'the server reports no binlog position (SHOW MASTER STATUS is empty): start it with log_bin and a server_id',
      { details: { setting: 'log_bin' } },
    )
  return { file: row.File, pos: Number(row.Position), gtids: row.Executed_Gtid_Set ?? null }
}

/**
 * Opens a REPEATABLE READ snapshot on `connection` and returns the binlog position it matches.
 * MariaDB (and Percona) report that position for the snapshot itself (binlog_snapshot_file/
 * _position), so no lock is taken. Elsewhere a global read lock is held only while the snapshot
 * starts and the position is read, as Debezium's `minimal` locking does.
 */
export async function beginConsistentSnapshot(connection: Connection): Promise<ServerPosition> {
  await connection.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ')
  const [probe] = await connection.query(`SHOW STATUS LIKE 'binlog_snapshot_file'`)
  if ((probe as unknown[]).length > 0) {
    await connection.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY')
    const [rows] = await connection.query(`SHOW STATUS LIKE 'binlog_snapshot_%'`)
    const values = new Map(
      (rows as Array<{ Variable_name: string; Value: string }>).map((row) => [row.Variable_name.toLowerCase(), row.Value]),
    )
    const file = values.get('binlog_snapshot_file')
    const pos = values.get('binlog_snapshot_position')
    if (file !== undefined && file !== '' && pos !== undefined) return { file, pos: Number(pos), gtids: null }
    await connection.query('ROLLBACK')
  }
  await connection.query('FLUSH TABLES WITH READ LOCK')
  try {
    await connection.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY')
    return await currentPosition(connection)
  } finally {
    await connection.query('UNLOCK TABLES')
  }
}
