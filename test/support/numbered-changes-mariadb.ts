/**
 * numbered-changes.ts's items table in MariaDB: `<database>.items (id int PRIMARY KEY, n bigint NOT
 * NULL)`, seeded with keys 1..count (n equal to the key), and written a transaction per query.
 */
import mysql from 'mysql2/promise'
import type { ItemsConnection } from './numbered-changes.ts'

/** Creates the database and the table and inserts keys 1..count with n equal to the key: the rows a snapshot reads. */
export async function seedMariaDbItems(url: string, database: string, count: number): Promise<void> {
  const connection = await mysql.createConnection({ uri: url, multipleStatements: true })
  try {
    await connection.query(`CREATE DATABASE ${database}; CREATE TABLE ${database}.items (id int PRIMARY KEY, n bigint NOT NULL)`)
    await connection.query(
      `INSERT INTO ${database}.items VALUES ${Array.from({ length: count }, (_, index) => `(${index + 1}, ${index + 1})`).join(', ')}`,
    )
  } finally {
    await connection.end()
  }
}

/** The items table of `database` at `url`: each transaction one query (BEGIN; upserts; COMMIT). */
export function mariaDbItems(url: string, database: string): () => Promise<ItemsConnection> {
  return async () => {
    const connection = await mysql.createConnection({ uri: url, database, multipleStatements: true })
    return {
      commit: async (changes) => {
        await connection.query(
          [
            'BEGIN',
            ...changes.map(([key, n]) => `INSERT INTO items VALUES (${key}, ${n}) ON DUPLICATE KEY UPDATE n = VALUES(n)`),
            'COMMIT',
          ].join(';'),
        )
      },
      close: () => connection.end(),
    }
  }
}
