import path from 'node:path'
import mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backgroundLoad, type BackgroundLoad } from '../../../support/background-load.ts'
import { killMidStream } from '../../../support/kill-mid-stream.ts'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'
import { queryText } from '../../../support/mariadb-text.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { writePipelineFile } from '../../../support/pipeline-file.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

let source: MariaDbServer
let target: PgServer
let dir: { path: string; remove: () => Promise<void> }

beforeAll(async () => {
  ;[source, target] = await Promise.all([startMariaDbServer(), startPgServer()])
  await source.query(`CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, name VARCHAR(40), qty INT, price DECIMAL(10,2), doc JSON, at DATETIME(3),
      ts TIMESTAMP(6) NULL, day DATE, t TIME(3), flag BIT(1), active BOOLEAN, raw VARBINARY(16), ratio DOUBLE, big BIGINT UNSIGNED, kind ENUM('x', 'y z'));
    SET SESSION max_recursive_iterations = 100000;
    INSERT INTO shop.orders WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
      SELECT i, CONCAT('seed ', i), i % 5, i / 10, JSON_OBJECT('g', i, 's', CONCAT('"', i)), TIMESTAMP('2024-01-01 00:00:00.123') + INTERVAL i MINUTE,
        TIMESTAMP('2024-06-01 00:00:00.000001') + INTERVAL i SECOND, DATE('2024-02-29') + INTERVAL i DAY, SEC_TO_TIME((i * 37.25) MOD 86400), i % 2, i % 3 = 0,
        UNHEX(MD5(i)), i + 0.25, 18446744073709551615 - i, IF(i % 2 = 0, 'x', 'y z') FROM n;
    UPDATE shop.orders SET name = NULL, doc = NULL, ts = NULL, flag = NULL, raw = NULL, kind = NULL WHERE id % 97 = 0`)
  await target.query(`CREATE TABLE public.orders (id int PRIMARY KEY, name text, qty int, price numeric(10,2), doc jsonb, at timestamp(3),
    ts timestamptz, day date, t time(3), flag boolean, active boolean, raw bytea, ratio float8, big numeric(20), kind text)`)
  dir = await makeTempDir('tributary-mysql-pipeline-')
}, 60_000)
afterAll(async () => {
  await source?.stop()
  await target?.stop()
  await dir?.remove()
})

/**
 * Both sides as the same text: doc parsed, at to the millisecond, ts in UTC to the microsecond, TIME
 * without trailing zeros (as Postgres prints it), bytes as hex, BIT(1) and BOOLEAN as booleans.
 */
async function sourceRows(): Promise<string[]> {
  const rows = await queryText(
    source,
    `SELECT id, name, qty, CAST(price AS CHAR) AS price, doc, LEFT(DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%s.%f'), 23) AS at,
    DATE_FORMAT(ts, '%Y-%m-%d %H:%i:%s.%f') AS ts, CAST(day AS CHAR) AS day, TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM CAST(t AS CHAR))) AS t,
    flag + 0 AS flag, active, LOWER(HEX(raw)) AS raw, ratio, CAST(big AS CHAR) AS big, kind FROM shop.orders ORDER BY id`,
  )
  return rows.map((r) =>
    JSON.stringify([
      r.id,
      r.name,
      r.qty,
      r.price,
      typeof r.doc === 'string' ? JSON.parse(r.doc) : r.doc,
      r.at,
      r.ts,
      r.day,
      r.t,
      r.flag === null ? null : r.flag === 1,
      r.active === 1,
      r.raw,
      r.ratio,
      r.big,
      r.kind,
    ]),
  )
}

async function targetRows(): Promise<string[]> {
  const rows = await target.query<{
    r: unknown[]
  }>(`SELECT json_build_array(id, name, qty, price::text, doc, to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS'),
    to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), day::text, t::text, flag, active, encode(raw, 'hex'), ratio, big::text, kind) AS r FROM orders ORDER BY id`)
  return rows.map((row) => JSON.stringify(row.r))
}

/** Writes transactions of inserts, an update and a delete until stopped. */
function writeLoad(): BackgroundLoad {
  let next = 10_000
  return backgroundLoad(async () => {
    const connection = await mysql.createConnection({ host: '127.0.0.1', port: source.port, user: source.user, password: source.password })
    return {
      close: () => connection.end(),
      step: async () => {
        const ids = Array.from({ length: 20 }, (_, i) => next + i)
        next += 20
        await connection.query('START TRANSACTION')
        await connection.query(
          `INSERT INTO shop.orders VALUES ${ids
            .map(
              (id) => `(${id}, 'order ${id}', ${id % 7}, ${id / 100}, '{"n": ${id}}',
          '2024-06-01 12:00:00.${String(id % 1000).padStart(3, '0')}', NOW(6), CURDATE(), '01:02:03.5', 1, 0, X'00ff${id.toString(16).padStart(4, '0')}',
          ${id} / 8, ${id}, 'y z')`,
            )
            .join(', ')}`,
        )
        await connection.query(`UPDATE shop.orders SET qty = qty + 1, flag = 0, raw = NULL WHERE id = ${next - 5}`)
        await connection.query(`DELETE FROM shop.orders WHERE id = ${next - 10}`)
        await connection.query('COMMIT')
      },
    }
  })
}

describe('MySQL → topic → Postgres', () => {
  it('makes the target equal the source row for row, across a SIGKILL of the worker mid-stream', async () => {
    const configDir = path.join(dir.path, 'config')
    // The change events' schemas travel with them (JsonConverter's envelope), so the sink reads Debezium's types back.
    const schemas = 'key: { converter: { schemas: { enable: "true" } } }, value: { converter: { schemas: { enable: "true" } } }'
    writePipelineFile(configDir, 'replicate', [
      'topic: { name: orders.changes, partitions: 3 }',
      'sources:',
      `  - { id: db, type: mysql-cdc, with: { url: "${source.url}", topic: { prefix: shop }, tables: [shop.orders], snapshot: { chunk: { rows: 500 } }, bigint: { unsigned: { handling: { mode: precise } } }, ${schemas} } }`,
      'sinks:',
      `  - { id: out, type: postgres-sink, start: earliest, with: { url: "${target.url}", ${schemas} } }`,
    ])
    const worker = await killMidStream({
      configDir,
      dataDir: path.join(dir.path, 'data'),
      load: writeLoad,
      streamed: async () => (await targetRows()).some((r) => r.startsWith('[10')),
      whileDown: () => source.query(`UPDATE shop.orders SET name = CONCAT(name, ' (edited)'), t = NULL WHERE id % 100 = 0`),
      sourceRows,
      targetRows,
    })
    worker.child.kill('SIGTERM')
    expect(await worker.exited).toBe(0)
  }, 120_000)
})
