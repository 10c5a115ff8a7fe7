/**
 * Reads rows from a throwaway MariaDB exactly as stored: dates, decimals and big integers as the
 * server's text, TIMESTAMP in UTC, so a test compares values without the driver's conversions.
 */
import mysql from 'mysql2/promise'
import type { MariaDbServer } from './mariadb-server.ts'

export async function queryText<T = Record<string, unknown>>(
  server: MariaDbServer,
  sql: string,
  params: unknown[] = [],
  database?: string,
): Promise<T[]> {
  const connection = await mysql.createConnection({
    host: '127.0.0.1',
    port: server.port,
    user: server.user,
    password: server.password,
    ...(database !== undefined && { database }),
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    timezone: 'Z',
  })
  try {
    await connection.query(`SET time_zone = '+00:00'`)
    const [rows] = await connection.query(sql, params)
    return rows as T[]
  } finally {
    await connection.end()
  }
}
