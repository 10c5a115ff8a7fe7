/**
 * postgres-cdc against Debezium 3.6.1 itself (test/support/debezium.ts): both capture the same
 * tables of one throwaway server (a column of nearly every type, each with values that test its
 * edges) through a snapshot and the same changes (insert, update, a primary key's update, delete and
 * tombstone, an unchanged TOASTed value, a column added, a transaction over two tables, a truncate
 * skipped or kept), and each record's key and value, schema
 * and payload, as JsonConverter writes them, must be Debezium's field for field. What legitimately
 * differs is left out of the comparison, each with its reason (IGNORED). Every handling mode is
 * covered by one of the scenarios; postgres-cdc's snapshot runs in its own thread and in the
 * worker's, and both must match.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresSource } from '../../../../connectors/postgres/source/source.ts'
import type { SourceRecord } from '../../../../core/runtime/plugin.ts'
import {
  capturedRecord,
  oracleCaptured,
  pollUntil,
  recordDifferences,
  type Captured,
  type Ignored,
} from '../../../support/conformance-records.ts'
import { ensureDebeziumOracle, runDebezium } from '../../../support/debezium.ts'
import { postgresOracleProperties } from '../../../support/debezium-properties.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { sourceContext } from '../../../support/task-context.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

const SETUP = [
  'CREATE EXTENSION hstore',
  `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`,
  'CREATE DOMAIN posint AS integer CHECK (VALUE > 0)',
  'CREATE DOMAIN price AS numeric(10,2)',
  `CREATE TABLE kinds (
    id serial PRIMARY KEY, i2 smallint NOT NULL DEFAULT 7, i4 integer, i8 bigint,
    n_fixed numeric(20,6) DEFAULT 1.5, n_free numeric, r real, d double precision, m money,
    b boolean DEFAULT true, c char(3), vc varchar(40) NOT NULL DEFAULT 'x', t text, by bytea, u uuid,
    j json, jb jsonb, x xml, dt date DEFAULT CURRENT_DATE, tm time, tm3 time(3), ttz timetz, ts timestamp, ts3 timestamp(3),
    tstz timestamptz DEFAULT now(), iv interval, ip inet, net cidr, mac macaddr, b1 bit(1), b8 bit(8), vb varbit(16),
    tsv tsvector, pt point, a_int integer[], a_text text[], a_num numeric[], a_mood mood[], feeling mood DEFAULT 'ok',
    pos posint, cost price, hs hstore, unknown_lsn pg_lsn, gen integer GENERATED ALWAYS AS (i4 * 2) STORED)`,
  'CREATE TABLE docs (id int PRIMARY KEY, title text, body text)',
  // No primary key: one table identified by a unique index, one by nothing but its whole row.
  'CREATE TABLE loose (u int NOT NULL, v text)',
  'CREATE UNIQUE INDEX loose_u ON loose (u)',
  'ALTER TABLE loose REPLICA IDENTITY USING INDEX loose_u',
  'CREATE TABLE bare (a int, b text)',
  'ALTER TABLE bare REPLICA IDENTITY FULL',
]

const COLUMNS =
  'i2, i4, i8, n_fixed, n_free, r, d, m, b, c, vc, t, by, u, j, jb, x, dt, tm, tm3, ttz, ts, ts3, tstz, iv, ip, net, mac, b1, b8, vb, tsv, pt, a_int, a_text, a_num, a_mood, feeling, pos, cost, hs, unknown_lsn'

const ROWS = [
  `INSERT INTO kinds (${COLUMNS}) VALUES (-32768, 1000000, 9223372036854775807, 12345678901234.123456, 12.300, 1.1, 0.1, '1234.56', true, 'ab',
    'varchar value', 'text ✓ "quoted"', '\\x00ff10', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2]}', '{"b": {"c": null}, "a": 1}', '<a>x</a>',
    '2024-02-29', '13:45:10.123456', '13:45:10.123', '10:11:12.5+02', '2024-02-29 23:59:59.123456', '2024-02-29 23:59:59.123', '2024-02-29 10:11:12.345678+02',
    '1 year 2 mons 3 days 04:05:06.789', '192.168.1.5/24', '10.0.0.0/8', '08:00:2b:01:02:03', B'1', B'10100101', B'101', 'a fat cat sat', '(1.5,-2.25)',
    '{1,NULL,3}', '{"x,y",z,NULL}', '{1.50,NULL,-2}', '{sad,happy}', 'happy', 5, 9.99, '"k1"=>"v1", "k2"=>NULL, "a"=>"b"', '16/B374D848')`,
  `INSERT INTO kinds (vc) VALUES ('only the required')`,
  `INSERT INTO kinds (${COLUMNS}) VALUES (0, -1, -9223372036854775808, 'NaN', 'NaN', '-Infinity', 'NaN', '-0.01', false, 'xyz',
    '', '', '\\x', '00000000-0000-0000-0000-000000000000', 'null', '[]', '<b/>', '1999-12-31', '23:59:59.999999', '00:00:00', '23:30:00-02', '-infinity', '1970-01-01 00:00:00',
    'infinity', '-1 days -00:00:01.5', '::1', '::/0', 'ff:ff:ff:ff:ff:ff', B'0', B'00000000', B'0', '', '(0,0)',
    '{}', '{}', '{}', '{}', 'sad', 1, -0.5, '', '0/0')`,
  `INSERT INTO docs SELECT 1, 'draft', string_agg(md5(g::text), '') FROM generate_series(1, 2000) g`,
  `INSERT INTO loose VALUES (1, 'one'), (2, 'two')`,
  `INSERT INTO bare VALUES (1, 'one')`,
]

const CHANGES = [
  `INSERT INTO kinds (${COLUMNS}) VALUES (1, 2, 3, 4.5, 6.75, 7.5, 8.25, '9.99', true, 'c', 'v', 't', '\\x01', 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', '{}', '{}', '<c/>',
    '2000-01-01', '01:02:03', '01:02:03.004', '01:02:03+00', '2000-01-01 01:02:03', '2000-01-01 01:02:03.004', '2000-01-01 01:02:03+00', '1 day', '10.1.2.3', '10.1.0.0/16',
    '01:02:03:04:05:06', B'1', B'11111111', B'1111', 'fat:2 cat:1', '(3,4)', '{7}', '{w}', '{0.001}', '{ok}', 'ok', 3, 1.25, '"x"=>"y"', '1/1')`,
  `UPDATE kinds SET t = 'changed', n_free = 99.5, a_text = '{a,b}' WHERE id = 1`,
  'UPDATE kinds SET id = 10 WHERE id = 2',
  'DELETE FROM kinds WHERE id = 3',
  `UPDATE docs SET title = 'final' WHERE id = 1`,
  `ALTER TABLE docs ADD COLUMN note varchar(10) DEFAULT 'n'`,
  `UPDATE docs SET title = 'again', note = 'x' WHERE id = 1`,
  `BEGIN; INSERT INTO docs (id, title) VALUES (2, 'two'); UPDATE kinds SET i4 = 42 WHERE id = 1; DELETE FROM docs WHERE id = 2; COMMIT`,
  // Skipped by default (skipped.operations=t): the insert after it shows whether anything came of it.
  'TRUNCATE docs',
  `INSERT INTO docs (id, title) VALUES (5, 'after the truncate')`,
  `UPDATE loose SET v = 'uno' WHERE u = 1`,
  'UPDATE loose SET u = 3 WHERE u = 2',
  'DELETE FROM loose WHERE u = 1',
  `UPDATE bare SET b = 'uno'`,
  'DELETE FROM bare',
]

/** Rows the snapshot reads. */
const SNAPSHOT_ROWS = 3 + 1 + 2 + 1

/** Records per topic once everything above has been captured (the truncate counted apart: TRUNCATE_RECORDS). */
const EXPECTED = { kinds: 3 + 1 + 1 + 3 + 2 + 1, docs: 1 + 1 + 1 + 3 + 1, loose: 2 + 1 + 3 + 2, bare: 1 + 1 + 2 }

/** The truncate's record, when the scenario's settings do not skip it. */
const truncates = (settings: Readonly<Record<string, string>>): number => (settings['skipped.operations'] === 'none' ? 1 : 0)

/** What differs between any two captures, and why. */
const IGNORED: Ignored = [
  [/^value\.payload\.source\.version$/, "the connector version: Tributary's own, not Debezium's"],
  [
    /^value\.payload\.(source\.)?ts_(ms|us|ns)$/,
    'when the change was committed (a snapshot row: read) and processed: each capture reads at its own time',
  ],
  [
    /^value\.payload\.source\.(sequence|lsn|txId)$/,
    "a snapshot row's position: each capture has its own slot and snapshot transaction (compared for streamed changes below)",
  ],
]

/** For a streamed change, positions are the WAL's own: the same for both captures, but for where each started. */
const IGNORED_STREAMED: Ignored = [
  [/^value\.payload\.source\.version$/, IGNORED[0]?.[1] ?? ''],
  [/^value\.payload\.(source\.)?ts_(ms|us|ns)$/, IGNORED[1]?.[1] ?? ''],
  [
    /^value\.payload\.source\.sequence$/,
    'its first half is the commit before the change, which for the first change depends on where each capture started (the second half is compared as lsn)',
  ],
]

/** Snapshot rows and streamed changes leave out different fields. */
const ignoredFor = (op: string | undefined): Ignored => (op === 'r' ? IGNORED : IGNORED_STREAMED)

function byTopic(records: readonly Captured[], table: string): Captured[] {
  return records.filter((record) => record.topic.endsWith(`.public.${table}`))
}

let server: PgServer
let temp: Awaited<ReturnType<typeof makeTempDir>>

beforeAll(async () => {
  temp = await makeTempDir('tributary-conformance-')
  await ensureDebeziumOracle()
  server = await startPgServer()
}, 300_000)
afterAll(async () => {
  await server?.stop()
  await temp?.remove()
})

/** One capture by both, in a database of its own, with these settings (Debezium's keys, which postgres-cdc shares). */
async function captureBoth(
  database: string,
  settings: Readonly<Record<string, string>>,
  extraRows: readonly string[],
): Promise<{ oracle: Captured[]; threaded: Captured[]; inline: Captured[] }> {
  await server.query(`CREATE DATABASE ${database}`)
  const url = server.url.replace(/\/postgres$/, `/${database}`)
  const pgServer = await import('pg')
  const client = new pgServer.default.Client({ connectionString: url })
  await client.connect()
  try {
    for (const statement of [...SETUP, ...ROWS, ...extraRows]) await client.query(statement)
    const oracle = await runDebezium({
      outFile: `${temp.path}/${database}.jsonl`,
      properties: postgresOracleProperties(
        { url },
        {
          topicPrefix: 'dbz',
          tables: ['public.kinds', 'public.docs', 'public.loose', 'public.bare'],
          slot: `${database}_dbz`,
          publication: 'dbz_pub',
          extra: settings,
        },
      ),
    })
    const tasks = ['true', 'false'].map((thread) =>
      postgresSource.createTask(
        sourceContext(
          postgresSource.config.parse({
            // Chunks of two rows: the snapshot's first and last marks must come out right across chunks.
            url,
            'topic.prefix': 'dbz',
            tables: 'public.kinds,public.docs,public.loose,public.bare',
            slot: `${database}_trb_${thread}`,
            publication: `trb_pub_${thread}`,
            'snapshot.thread': thread,
            'snapshot.chunk.rows': '2',
            'slot.drop.on.stop': 'true',
            'poll.max.ms': '50',
            ...settings,
          }),
        ),
      ),
    )
    const polled: SourceRecord[][] = [[], []]
    try {
      // One capture at a time: a slot is created only once no snapshot transaction is open.
      await oracle.waitForStreaming(120_000)
      for (const [index, task] of tasks.entries()) {
        await task.start()
        await pollUntil(task, polled[index] as SourceRecord[], SNAPSHOT_ROWS + extraRows.length, 60_000, 'postgres-cdc')
        // The poll after the last row ends the snapshot's transaction.
        expect(await task.poll(new AbortController().signal)).toEqual([])
      }
      for (const statement of CHANGES) await client.query(statement)
      const total = Object.values(EXPECTED).reduce((sum, count) => sum + count, 0) + truncates(settings) + extraRows.length
      await Promise.all(tasks.map((task, index) => pollUntil(task, polled[index] as SourceRecord[], total, 60_000, 'postgres-cdc')))
      const events = await oracle.waitForRecords(total, 60_000)
      return {
        oracle: events.map(oracleCaptured),
        threaded: (polled[0] as SourceRecord[]).map(capturedRecord),
        inline: (polled[1] as SourceRecord[]).map(capturedRecord),
      }
    } finally {
      await Promise.all(tasks.map((task) => task.stop()))
      await oracle.stop()
      await client.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1`, [`${database}_dbz`])
    }
  } finally {
    await client.end()
  }
}

/** Title, database, settings, and rows only the scenario's settings can take (Kafka Connect's Time has no 24:00). */
const SCENARIOS: ReadonlyArray<[string, string, Readonly<Record<string, string>>, readonly string[]]> = [
  [
    "Debezium's defaults",
    'defaults',
    {},
    [
      `INSERT INTO kinds (vc, tm, tm3, ts, tstz) VALUES ('midnight', '24:00:00', '24:00:00', '0044-03-15 10:00:00 BC', '0044-03-15 10:00:00+00 BC')`,
    ],
  ],
  [
    "decimals as strings, Kafka Connect's time types, hex bytes, ISO intervals, hstore maps, unknown types kept, source types propagated, truncates kept",
    'modes_a',
    {
      'decimal.handling.mode': 'string',
      'time.precision.mode': 'connect',
      'binary.handling.mode': 'hex',
      'interval.handling.mode': 'string',
      'hstore.handling.mode': 'map',
      'include.unknown.datatypes': 'true',
      'column.propagate.source.type': 'public\\.kinds\\..*',
      'skipped.operations': 'none',
    },
    [],
  ],
  [
    'decimals as doubles, times in µs, base64 bytes, source types propagated by type',
    'modes_b',
    {
      'decimal.handling.mode': 'double',
      'time.precision.mode': 'adaptive_time_microseconds',
      'binary.handling.mode': 'base64',
      'datatype.propagate.source.type': '.+\\.varchar,.+\\.numeric,.+\\.bpchar',
    },
    [],
  ],
  ['times and timestamps in µs', 'micros', { 'time.precision.mode': 'microseconds' }, []],
  [
    'times and timestamps in ns',
    'nanos',
    { 'time.precision.mode': 'nanoseconds' },
    [`INSERT INTO kinds (vc, tm, tm3) VALUES ('midnight', '24:00:00', '24:00:00')`],
  ],
]

describe('postgres-cdc and Debezium 3.6.1, record for record', () => {
  for (const [title, database, settings, extraRows] of SCENARIOS) {
    it(`matches Debezium's keys and values, schemas and payloads, with ${title}`, async () => {
      const { oracle, threaded, inline } = await captureBoth(database, settings, extraRows)
      for (const table of Object.keys(EXPECTED)) {
        const expected = byTopic(oracle, table)
        expect(expected).toHaveLength(
          EXPECTED[table as keyof typeof EXPECTED] + (table === 'kinds' ? extraRows.length : table === 'docs' ? truncates(settings) : 0),
        )
        expect(
          recordDifferences(expected, byTopic(threaded, table), ignoredFor, 'postgres-cdc'),
          `${table}, snapshot in its own thread`,
        ).toEqual([])
        expect(
          recordDifferences(expected, byTopic(inline, table), ignoredFor, 'postgres-cdc'),
          `${table}, snapshot in the worker's thread`,
        ).toEqual([])
      }
    }, 300_000)
  }
})
