/**
 * mysql-cdc against Debezium's MariaDB connector itself (test/support/debezium.ts): both capture the
 * same tables of one throwaway MariaDB (a column of nearly every type, each with values at its edges,
 * plus columns with defaults) through a snapshot and the same changes (insert, update, a primary
 * key's update, delete and tombstone, a transaction over two tables, a column added), and each
 * record's key and value, schema and payload, as JsonConverter writes them, must be Debezium's field
 * for field. What legitimately differs is left out of the comparison, each with its reason (IGNORED).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SourceRecord, SourceTask } from '../../../../core/runtime/plugin.ts'
import {
  capturedRecord,
  oracleCaptured,
  pollUntil,
  recordDifferences,
  type Captured,
  type Ignored,
} from '../../../support/conformance-records.ts'
import { ensureDebeziumOracle, runDebezium } from '../../../support/debezium.ts'
import { mariaDbOracleProperties } from '../../../support/debezium-properties.ts'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'
import { MARIADB_TYPE_COLUMNS, MARIADB_TYPES_DDL, mariaDbTypeInserts } from '../../../support/mariadb-type-columns.ts'
import { mysqlTestConfig, startMysqlTask } from '../../../support/mysql-source-task.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

const setup = (db: string) => [
  `CREATE DATABASE ${db}`,
  `CREATE TABLE ${db}.kinds ${MARIADB_TYPES_DDL}`,
  `CREATE TABLE ${db}.docs (id int PRIMARY KEY, title varchar(20) NOT NULL, body text) DEFAULT CHARSET=utf8mb4`,
  ...mariaDbTypeInserts(`${db}.kinds`),
  `INSERT INTO ${db}.docs VALUES (1, 'draft', 'body')`,
]

const changes = (db: string) => [
  `INSERT INTO ${db}.kinds (id, ${MARIADB_TYPE_COLUMNS.map(([name]) => name).join(', ')}) VALUES (4, ${MARIADB_TYPE_COLUMNS.map(([, , first]) => first).join(', ')})`,
  `UPDATE ${db}.kinds SET vc = 'changed', biu = 1, n_int = 8 WHERE id = 1`,
  `UPDATE ${db}.kinds SET id = 10 WHERE id = 2`,
  `DELETE FROM ${db}.kinds WHERE id = 3`,
  `BEGIN; UPDATE ${db}.docs SET title = 'final' WHERE id = 1; INSERT INTO ${db}.kinds (id, vc) VALUES (5, 'in a transaction'); COMMIT`,
  `ALTER TABLE ${db}.docs ADD COLUMN note varchar(10) DEFAULT 'n'`,
  `UPDATE ${db}.docs SET title = 'again', note = 'x' WHERE id = 1`,
]

/** Records per table once everything above has been captured (a delete is followed by its tombstone). */
const EXPECTED = { kinds: 3 + 1 + 1 + 3 + 2 + 1, docs: 1 + 1 + 1 }

/** The same with updates skipped (skipped.operations=u): a primary key's update, an update to Debezium too, goes with them. */
const EXPECTED_UPDATES_SKIPPED = { kinds: 3 + 1 + 2 + 1, docs: 1 }

const expectedFor = (settings: Readonly<Record<string, string>>) =>
  settings['skipped.operations'] === 'u' ? EXPECTED_UPDATES_SKIPPED : EXPECTED

/** What differs between any two captures, and why. */
const IGNORED: Ignored = [
  [/^value\.payload\.source\.version$/, "the connector version: Tributary's own, not Debezium's"],
  [
    /^value\.payload\.(source\.)?ts_(ms|us|ns)$/,
    'when the change was read (a snapshot row) or processed: each capture reads at its own time',
  ],
]

const byTable = (records: readonly Captured[], table: string) => records.filter((record) => record.topic.endsWith(`.${table}`))

let server: MariaDbServer
let temp: Awaited<ReturnType<typeof makeTempDir>>

beforeAll(async () => {
  temp = await makeTempDir('tributary-mysql-conformance-')
  await ensureDebeziumOracle()
  server = await startMariaDbServer()
}, 300_000)
afterAll(async () => {
  await server?.stop()
  await temp?.remove()
})

async function captureBoth(
  db: string,
  serverId: number,
  settings: Readonly<Record<string, string>>,
): Promise<{ oracle: Captured[]; ours: Captured[] }> {
  await server.query(setup(db).join('; '))
  const tables = [`${db}.kinds`, `${db}.docs`]
  const oracle = await runDebezium({
    outFile: `${temp.path}/${db}.jsonl`,
    properties: mariaDbOracleProperties(server, { topicPrefix: 'dbz', tables, serverId, extra: settings }),
  })
  let task: SourceTask | undefined
  try {
    await oracle.waitForStreaming(120_000)
    task = await startMysqlTask(
      mysqlTestConfig(server, {
        'topic.prefix': 'dbz',
        tables: tables.join(','),
        'snapshot.chunk.rows': '2',
        'server.id': String(serverId + 1),
        ...settings,
      }),
    )
    const polled: SourceRecord[] = []
    await pollUntil(task, polled, 4, 60_000, 'mysql-cdc')
    // The poll after the last row ends the snapshot's transaction (whose metadata locks would hold up the ALTER TABLE).
    expect(await task.poll(new AbortController().signal)).toEqual([])
    for (const statement of changes(db)) await server.query(statement)
    const total = expectedFor(settings).kinds + expectedFor(settings).docs
    await pollUntil(task, polled, total, 60_000, 'mysql-cdc')
    const events = await oracle.waitForRecords(total, 60_000)
    return {
      oracle: events.map(oracleCaptured),
      ours: polled.map(capturedRecord),
    }
  } finally {
    await task?.stop()
    await oracle.stop()
  }
}

const SCENARIOS: ReadonlyArray<[string, string, number, Readonly<Record<string, string>>]> = [
  ["Debezium's defaults, source types propagated", 'defaults', 5101, { 'column.propagate.source.type': '.+\\.kinds\\..*' }],
  [
    'decimals as strings, base64 bytes, precise unsigned bigints',
    'modes_a',
    5201,
    { 'decimal.handling.mode': 'string', 'binary.handling.mode': 'base64', 'bigint.unsigned.handling.mode': 'precise' },
  ],
  [
    "Kafka Connect's time types, decimals as doubles, hex bytes, updates skipped",
    'modes_b',
    5301,
    {
      'time.precision.mode': 'connect',
      'decimal.handling.mode': 'double',
      'binary.handling.mode': 'hex',
      'skipped.operations': 'u',
    },
  ],
]

describe("mysql-cdc and Debezium's MariaDB connector, record for record", () => {
  for (const [title, db, serverId, settings] of SCENARIOS) {
    it(`matches Debezium's keys and values, schemas and payloads, with ${title}`, async () => {
      const { oracle, ours } = await captureBoth(db, serverId, settings)
      for (const table of ['kinds', 'docs'] as const) {
        const expected = byTable(oracle, table)
        expect(expected).toHaveLength(expectedFor(settings)[table])
        expect(
          recordDifferences(expected, byTable(ours, table), () => IGNORED, 'mysql-cdc'),
          table,
        ).toEqual([])
      }
    }, 300_000)
  }
})
