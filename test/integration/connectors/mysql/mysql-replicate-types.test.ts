/**
 * MariaDB → topic → MariaDB with Tributary's own connectors and nothing but `auto.create`: a table of
 * every column type, snapshotted and then streamed by mysql-cdc (with column.propagate.source.type
 * and bigint.unsigned.handling.mode=precise, as a user replicating types sets them), written with
 * JsonConverter's schemas and recreated by mysql-sink in another database, must end with the same
 * column types (COLUMN_TYPE) and the same values, for snapshot rows and streamed changes alike. Zero
 * dates are left out: Debezium's events carry them as null or the epoch, so no sink can restore them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MARIADB_TYPE_COLUMNS } from '../../../support/mariadb-type-columns.ts'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'
import { queryText } from '../../../support/mariadb-text.ts'
import { untilRowsEqual } from '../../../support/until-rows-equal.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../../support/worker-harness.ts'

/** The columns with values a change event keeps (a zero date becomes another date). */
const COLUMNS = MARIADB_TYPE_COLUMNS.map(
  ([name, ddl, first, second]) => [name, ddl, first, second.includes('0000-00-00') ? first : second] as const,
)
const NAMES = COLUMNS.map(([name]) => name)
const DDL = `(id int PRIMARY KEY, ${COLUMNS.map(([name, ddl]) => `${name} ${ddl}`).join(', ')}) DEFAULT CHARSET=utf8mb4`
const inserts = (table: string): string[] => [
  `INSERT INTO shop.${table} (id, ${NAMES.join(', ')}) VALUES (1, ${COLUMNS.map(([, , first]) => first).join(', ')})`,
  `INSERT INTO shop.${table} (id, ${NAMES.join(', ')}) VALUES (2, ${COLUMNS.map(([, , , second]) => second).join(', ')})`,
  `INSERT INTO shop.${table} (id) VALUES (3)`,
]

/** Every value as the server's own text; bytes and bits spelled out. */
const READ: Readonly<Record<string, string>> = { bn: 'HEX(bn)', vb: 'HEX(vb)', bl: 'HEX(bl)', b1: 'BIN(b1)', b12: 'BIN(b12)' }
const asText = (database: string, table: string) =>
  `SELECT id, ${NAMES.map((name) => `${READ[name] ?? `CAST(${name} AS CHAR)`} AS ${name}`).join(', ')} FROM ${database}.${table} ORDER BY id`
const columnTypes = (database: string, table: string) =>
  `SELECT column_name, column_type FROM information_schema.columns WHERE table_schema = '${database}' AND table_name = '${table}' ORDER BY ordinal_position`

let server: MariaDbServer
let harness: WorkerHarness
const schemas = { 'key.converter.schemas.enable': 'true', 'value.converter.schemas.enable': 'true' }

beforeAll(async () => {
  ;[server, harness] = await Promise.all([startMariaDbServer(), startWorkerHarness()])
  await server.query(`CREATE DATABASE shop; CREATE DATABASE copies; CREATE TABLE shop.snap ${DDL}; CREATE TABLE shop.live ${DDL}`)
  for (const statement of inserts('snap')) await server.query(`SET time_zone = '+00:00'; ${statement}`)
}, 60_000)
afterAll(async () => {
  await harness?.close()
  await server?.stop()
})

describe('MariaDB to MariaDB with mysql-cdc and mysql-sink', () => {
  it('recreates every column type and value, snapshot rows and streamed changes alike', async () => {
    const created = await harness.request('POST', '/connectors', {
      name: 'types-cdc',
      config: {
        'connector.class': 'mysql-cdc',
        url: server.url,
        'topic.prefix': 'db',
        tables: 'shop.snap,shop.live',
        'server.id': '5602',
        'column.propagate.source.type': '.*',
        'bigint.unsigned.handling.mode': 'precise',
        ...schemas,
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const sink = await harness.request('POST', '/connectors', {
      name: 'types-sink',
      config: {
        'connector.class': 'mysql-sink',
        url: `${server.url}/copies`,
        topics: 'db.shop.snap,db.shop.live',
        'auto.create': 'true',
        'table.name.format': '${source.table}',
        ...schemas,
      },
    })
    expect(sink.status, JSON.stringify(sink.body)).toBe(201)
    await eventually(
      async () => (await harness.request('GET', '/connectors/types-cdc/status')).body,
      (status) => status.tasks?.[0]?.state === 'RUNNING',
      30_000,
    )
    // Streamed: inserts, then an update of every column and a delete, after the snapshot.
    for (const statement of inserts('live')) await server.query(`SET time_zone = '+00:00'; ${statement}`)
    await server.query(
      `UPDATE shop.live a JOIN shop.live b ON b.id = 1 SET ${NAMES.map((name) => `a.${name} = b.${name}`).join(', ')} WHERE a.id = 3`,
    )
    await server.query('DELETE FROM shop.live WHERE id = 2')
    for (const table of ['snap', 'live']) {
      const expected = (await queryText(server, asText('shop', table))).map((row) => JSON.stringify(row))
      await untilRowsEqual(
        async () => (await queryText(server, asText('copies', table)).catch(() => [])).map((row) => JSON.stringify(row)),
        expected,
        60_000,
        async () => JSON.stringify((await harness.request('GET', '/connectors/types-sink/status')).body),
      )
      expect(await queryText(server, columnTypes('copies', table)), table).toEqual(await queryText(server, columnTypes('shop', table)))
    }
  })
})
