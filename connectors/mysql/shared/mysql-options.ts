/**
 * The driver options both readers share (mysql2 for queries and the snapshot, zongji for the
 * binlog, which honours the same options for row values): exact big numbers, dates as the server's
 * text, TIMESTAMP in UTC. source/column-mapping.ts relies on exactly these.
 */
import type { ConnectionOptions } from 'mysql2'
import mysql, { type Connection } from 'mysql2/promise'
import type { ConnectionSettings } from './connection-settings.ts'

export function driverOptions(settings: ConnectionSettings): ConnectionOptions {
  return {
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    connectTimeout: settings.connectTimeout,
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: false,
    dateStrings: true,
    jsonStrings: true,
    timezone: 'Z',
    charset: 'utf8mb4',
  }
}

/** A query connection whose session prints TIMESTAMP in UTC, as the binlog decoder does. */
export async function connect(settings: ConnectionSettings): Promise<Connection> {
  const connection = await mysql.createConnection(driverOptions(settings))
  connection.on('error', () => undefined) // a dropped connection surfaces at the next query
  await connection.query(`SET time_zone = '+00:00'`)
  return connection
}
