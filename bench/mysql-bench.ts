/**
 * `npm run bench:mysql`: MySQL/MariaDB change data capture side by side with the server's own binlog
 * reader on one throwaway MariaDB with durable commits, JSON on stdout (a summary on stderr).
 * - binlogReadRowsPerSec: `mariadb-binlog --read-from-remote-server` (or `mysqlbinlog`) fetching the
 *   same binlog as a replica would, to /dev/null (the raw limit; rows stay base64, not decoded)
 * - binlogVerboseRowsPerSec: the same with `--verbose`, which decodes every row into pseudo-SQL
 * - zongjiRowsPerSec: zongji alone replaying the same binlog, rows counted and dropped (the ceiling of a
 *   Node decoder); zongjiCpuUsPerRow: its CPU time per row
 * - sourceRowsPerSec / sourceRatio: mysql-cdc into the log from a backlog (ratio to binlogReadRowsPerSec;
 *   sourceToZongjiRatio: to zongjiRowsPerSec); sourceWorkerCpuUsPerRow: the worker's CPU time per row
 * - sourceSchemasRowsPerSec / schemasCostRatio: the same backlog with key and value schemas written
 *   (`*.converter.schemas.enable=true`, JsonConverter's envelope), and its rate over sourceRowsPerSec
 * - commitToLogP50Ms / P99Ms: from COMMIT returning to the record being readable, at a steady 5,000 rows/s,
 *   after an untimed round of the same to warm up (bench/lib/commit-latency.ts); the median of
 *   `--latency-rounds N` rounds (default 3), taken in turns with Debezium's, each on a table of its
 *   own; commitToLogP99MsRounds and debeziumCommitToRecordP99MsRounds give every round's p99
 * - snapshotRowsPerSec: the initial snapshot of a table of the same size; snapshotSchemasRowsPerSec with schemas written
 * - loadDataRowsPerSec: the server's own bulk load (LOAD DATA INFILE) of the same rows into an empty
 *   table; sinkRowsPerSec / sinkRatio: mysql-sink upserting the rows captured in the backlog phase
 *   without schemas (captured with decimal.handling.mode=string, which a schemaless sink can write);
 *   sinkSchemasRowsPerSec: the same rows read with their schemas (the typed path) into another table
 * - workerPeakRssMB: the worker process's peak resident memory over the whole run
 * - Debezium's embedded engine as the peer, after Tributary in each of its phases, on the same tables and
 *   rows: its MariaDB connector, 3.5.0.Final (Debezium 3.6.1's MySQL connector refuses MariaDB 10.11,
 *   and no 3.6 MariaDB connector is published); bench/peers/debezium-engine.ts says how it runs, its
 *   settings and its file sink. debeziumSourceRowsPerSec: the same backlog, resumed from the offsets
 *   of a first run stopped past the marker row; debeziumCommitToRecordP50Ms / P99Ms: COMMIT returning
 *   to the batch holding the row written and synced to its file and reported here, at the same steady
 *   rate on the same table, emptied first; debeziumSnapshotRowsPerSec: snap_rows again;
 *   debeziumCpuUsPerRow, debeziumFirstBatchMs (from the engine's start to its first batch, within the
 *   rates), debeziumBytesPerRecord (its file's key and value JSON), debeziumPeakRssMB
 *   (the highest VmHWM of its JVMs, one per phase; debeziumPeakRssByPhase); the ratios
 *   snapshotVsDebezium, sourceVsDebezium, commitP99VsDebezium (Tributary's p99 over Debezium's) and
 *   rssVsDebezium (workerPeakRssMB, over the whole run, over debeziumPeakRssMB); debeziumEngine: what
 *   it ran as. `--peer none` leaves it out.
 * The worker runs compiled (into .bench-data/build), as the container image runs it.
 * `--rows N` (default 1,000,000) scales every phase; rows go in 1,000-row transactions.
 * `--only a,b` runs only the named phases (binlog, zongji, source, latency, snapshot, sink; sink runs
 * source too, since it writes what that phase captured).
 * `--cpu-prof-dir DIR` writes CPU profiles of the worker process there when it exits, one per thread
 * (the worker thread's is the larger). `--node-arg X` (repeatable) passes X to the worker's node, e.g.
 * `--trace-gc`; `--worker-log FILE` writes the worker's stdout (where `--trace-gc` prints) and stderr there once it exits.
 * Each connector (and the zongji peer, and each Debezium run) has its own replica server id: a
 * server drops a replica's binlog connection when another connects with the same id.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import mysql from 'mysql2/promise'
import { startMariaDbServer, type MariaDbServer } from '../test/support/mariadb-server.ts'
import { spawnWorker } from '../test/support/worker-process.ts'
import { latencyInTurns, measureCommitToLog } from './lib/commit-latency.ts'
import { compiledCli } from './lib/compiled-cli.ts'
import { runTool } from './lib/run-tool.ts'
import { processCpuMs } from './lib/cpu-time.ts'
import { peakRssMB } from './lib/peak-rss.ts'
import { perSecond, ratio, round } from './lib/stats.ts'
import { reportResult } from './lib/report.ts'
import { request, stopWorker, topicCount, until, untilRunning, untilTopicHolds } from './lib/worker-api.ts'
import { replayWithZongji } from './peers/zongji-replay.ts'
import { mariaDbOracleProperties } from '../test/support/debezium-properties.ts'
import {
  backlogStorage,
  debeziumCommitToRecord,
  debeziumDrain,
  debeziumPastMarker,
  debeziumReport,
  latencyFromTurns,
  DEBEZIUM_SETTINGS,
  requireDebezium,
  type DebeziumDrain,
  type DebeziumLatency,
} from './peers/debezium-engine.ts'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    only: { type: 'string' },
    'cpu-prof-dir': { type: 'string' },
    'node-arg': { type: 'string', multiple: true, default: [] },
    'worker-log': { type: 'string' },
    peer: { type: 'string', default: 'debezium' },
    'latency-rounds': { type: 'string', default: '3' },
  },
})
const rows = Number(values.rows)
const latencyRounds = Number(values['latency-rounds'])
if (!Number.isInteger(latencyRounds) || latencyRounds < 1)
  throw new Error(`--latency-rounds ${values['latency-rounds']}: a whole number from 1`)
if (values.peer !== 'debezium' && values.peer !== 'none') throw new Error(`--peer ${values.peer}: debezium or none`)
const withDebezium = values.peer === 'debezium'
const PHASES = ['binlog', 'zongji', 'source', 'latency', 'snapshot', 'sink'] as const
const only = values.only?.split(',').map((phase) => phase.trim())
const unknownPhase = only?.find((phase) => !(PHASES as readonly string[]).includes(phase))
if (unknownPhase !== undefined) throw new Error(`--only: unknown phase ${unknownPhase}; use ${PHASES.join(', ')}`)
// The sink writes what the source phase captured, so asking for it runs that too.
const runs = (phase: (typeof PHASES)[number]): boolean =>
  only === undefined || only.includes(phase) || (phase === 'source' && only.includes('sink'))
/** Replica server ids, one per binlog reader. */
const SERVER_IDS = { src: 1001, lat: 1002, snap: 1003, zongji: 1004, srcs: 1005, snaps: 1006 } as const
/** Debezium's, by connector name: the backlog's two runs share one. */
const DEBEZIUM_SERVER_IDS = { dbz: 1101, dbzlat: 1102, dbzsnap: 1103 } as const
const TXN_ROWS = 1000
const DB = 'bench'
const SINK_DB = 'sink_target'
const ddl = (table: string) =>
  `CREATE TABLE ${DB}.${table} (id int PRIMARY KEY, name varchar(100), qty int, price decimal(10,2), at timestamp(3))`
// MariaDB's sequence engine: seq_1_to_N is a table of the numbers 1..N.
const fill = (table: string, from: number, count: number) =>
  `INSERT INTO ${DB}.${table} SELECT seq, CONCAT('item ', seq), seq % 100, seq / 100, NOW(3) FROM seq_${from}_to_${from + count - 1}`

/**
 * Waits until the sink's offsets table (written in the same transaction as the rows) shows `records`
 * consumed, polling over one connection, then checks the row count once.
 */
async function untilSunk(server: MariaDbServer, connector: string, table: string, records: number): Promise<void> {
  const connection = await mysql.createConnection(`${server.url}/${SINK_DB}`)
  try {
    const consumed = 'SELECT COALESCE(SUM(kafka_offset + 1), 0) AS n FROM tributary_sink_offsets WHERE connector = ?'
    await until(
      async () =>
        Number(((await connection.query(consumed, [connector]).catch(() => [[{ n: 0 }]]))[0] as Array<{ n: unknown }>)[0]?.n) >= records,
    )
    const [[count]] = (await connection.query(`SELECT COUNT(*) AS n FROM ${table}`)) as unknown as [[{ n: number }]]
    if (Number(count.n) !== records) throw new Error(`${table} has ${count.n} rows after the sink consumed ${records} records`)
  } finally {
    await connection.end()
  }
}

async function insertInTransactions(server: MariaDbServer, table: string, total: number): Promise<void> {
  const connection = await mysql.createConnection(`${server.url}/${DB}`)
  for (let from = 1; from <= total; from += TXN_ROWS) await connection.query(fill(table, from, Math.min(TXN_ROWS, total - from + 1)))
  await connection.end()
}

interface BinlogPosition {
  file: string
  pos: number
}

async function binlogPosition(server: MariaDbServer): Promise<BinlogPosition> {
  const [status] = await server.query<{ File: string; Position: number }>('SHOW MASTER STATUS')
  if (status === undefined) throw new Error('the bench server has no binlog')
  return { file: status.File, pos: Number(status.Position) }
}

function binlogReader(): string {
  for (const name of ['mariadb-binlog', 'mysqlbinlog']) if (spawnSync(name, ['--version']).status === 0) return name
  throw new Error('neither mariadb-binlog nor mysqlbinlog is installed')
}

/** Reads [from, to) of the binlog from the server as a replica would, printing to /dev/null; returns the elapsed ms. */
async function readBinlog(server: MariaDbServer, from: BinlogPosition, to: BinlogPosition, verbose: boolean): Promise<number> {
  const logs = (await server.query<{ Log_name: string }>('SHOW BINARY LOGS'))
    .map((row) => row.Log_name)
    .filter((name) => name >= from.file && name <= to.file)
  const args = [
    '--read-from-remote-server',
    '--host=127.0.0.1',
    `--port=${server.port}`,
    `--user=${server.user}`,
    `--password=${server.password}`,
    `--start-position=${from.pos}`,
    `--stop-position=${to.pos}`,
    `--result-file=/dev/null`,
    ...(verbose ? ['--verbose'] : []),
    ...logs,
  ]
  const started = performance.now()
  await runTool(binlogReader(), args)
  return performance.now() - started
}

async function main(): Promise<void> {
  if (withDebezium) await requireDebezium()
  // Durable commits, as a production server has them: each commit syncs the binlog and the redo log.
  const server = await startMariaDbServer({
    'sync-binlog': '1',
    'innodb-flush-log-at-trx-commit': '1',
    'innodb-flush-method': 'fsync',
    'innodb-buffer-pool-size': '512M',
    'innodb-log-file-size': '256M',
  })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-mysql-bench-'))
  fs.mkdirSync(path.join(dir, 'config'))
  const profile = values['cpu-prof-dir'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof-dir']}`]
  const worker = await spawnWorker(
    path.join(dir, 'config'),
    path.join(dir, 'data'),
    { TRIBUTARY_LOG_LEVEL: 'error' },
    [...values['node-arg'], ...profile],
    compiledCli(),
  )
  const withSchemas = { 'key.converter.schemas.enable': 'true', 'value.converter.schemas.enable': 'true' }
  /** A connector with `id`'s replica server id, named `name` (default `id`). */
  const cdc = (id: keyof typeof SERVER_IDS, table: string, mode: string, converters: Record<string, string> = {}, name: string = id) =>
    request(worker, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'mysql-cdc',
        url: server.url,
        'topic.prefix': name,
        tables: `${DB}.${table}`,
        'snapshot.mode': mode,
        'server.id': String(SERVER_IDS[id]),
        ...converters,
      },
    })
  const peakRssByPhase: Record<string, number> = {}
  let binlogReadRowsPerSec: number | null = null
  let binlogVerboseRowsPerSec: number | null = null
  let zongji: { rowsPerSec: number; cpuUsPerRow: number } | null = null
  let sourceRowsPerSec: number | null = null
  let sourceWorkerCpuUsPerRow: number | null = null
  let sourceSchemasRowsPerSec: number | null = null
  let snapshotSchemasRowsPerSec: number | null = null
  let latency: { p50: number; p99: number } | null = null
  let latencyP99Rounds: { ours: number[]; debezium: number[] } = { ours: [], debezium: [] }
  let snapshotRowsPerSec: number | null = null
  // Debezium's side: its files, a connector per phase, what it measured.
  const dbzDir = path.join(dir, 'debezium')
  fs.mkdirSync(dbzDir)
  const dbzFile = (name: string) => path.join(dbzDir, `${name}.jsonl`)
  const dbz = (id: keyof typeof DEBEZIUM_SERVER_IDS, table: string, mode: string, settings: Record<string, string>, name: string = id) =>
    mariaDbOracleProperties(server, {
      topicPrefix: name,
      tables: [`${DB}.${table}`],
      serverId: DEBEZIUM_SERVER_IDS[id],
      snapshotMode: mode,
      extra: { name, ...DEBEZIUM_SETTINGS.json, ...settings },
    })
  let debeziumSource: DebeziumDrain | null = null
  let debeziumSnapshot: DebeziumDrain | null = null
  let debeziumLatency: DebeziumLatency | null = null
  try {
    await server.query(`CREATE DATABASE ${DB}`)
    // 1. The backlog: the connector is stopped at the position before the rows, then all read the same binlog.
    // A stored offset is what a stopped connector resumes from, and only a record stores one: a marker row (id 0).
    if (runs('binlog') || runs('zongji') || runs('source')) {
      await server.query(ddl('stream_rows'))
      // Without schemas a sink reads Decimal bytes as base64 text, so the schemaless capture writes decimals as text.
      await cdc('src', 'stream_rows', 'no_data', { 'decimal.handling.mode': 'string' })
      await untilRunning(worker, 'src')
      if (runs('source')) {
        await cdc('srcs', 'stream_rows', 'no_data', withSchemas)
        await untilRunning(worker, 'srcs')
      }
      const writeMarker = () => server.query(`INSERT INTO ${DB}.stream_rows VALUES (0, 'marker', 0, 0, NOW(3))`)
      // Debezium's first run captures the marker too and stops past it, leaving its offsets for the second.
      if (runs('source') && withDebezium)
        await debeziumPastMarker(dbz('dbz', 'stream_rows', 'no_data', backlogStorage(dbzDir)), dbzFile('marker'), writeMarker)
      else await writeMarker()
      await until(async () => (await topicCount(worker, 'src.bench.stream_rows')) >= 1)
      await request(worker, 'PUT', '/connectors/src/stop')
      if (runs('source')) {
        await until(async () => (await topicCount(worker, 'srcs.bench.stream_rows')) >= 1)
        await request(worker, 'PUT', '/connectors/srcs/stop')
      }
      const from = await binlogPosition(server)
      await insertInTransactions(server, 'stream_rows', rows)
      const to = await binlogPosition(server)

      if (runs('binlog')) {
        binlogReadRowsPerSec = perSecond(rows, await readBinlog(server, from, to, false))
        binlogVerboseRowsPerSec = perSecond(rows, await readBinlog(server, from, to, true))
      }
      if (runs('zongji')) {
        const settings = { host: '127.0.0.1', port: server.port, user: server.user, password: server.password, connectTimeout: 10_000 }
        zongji = await replayWithZongji(settings, SERVER_IDS.zongji, from, to)
      }
      if (runs('source')) {
        const started = performance.now()
        const cpuBefore = processCpuMs(worker.child.pid)
        await request(worker, 'PUT', '/connectors/src/resume')
        await untilTopicHolds(worker, 'src.bench.stream_rows', rows + 1)
        sourceRowsPerSec = perSecond(rows, performance.now() - started)
        sourceWorkerCpuUsPerRow = round(((processCpuMs(worker.child.pid) - cpuBefore) * 1000) / rows, 2)
        peakRssByPhase.source = peakRssMB(worker.child.pid)
        await request(worker, 'PUT', '/connectors/src/stop')
        // The same backlog again, with schemas written.
        const schemasStarted = performance.now()
        await request(worker, 'PUT', '/connectors/srcs/resume')
        await untilTopicHolds(worker, 'srcs.bench.stream_rows', rows + 1)
        sourceSchemasRowsPerSec = perSecond(rows, performance.now() - schemasStarted)
        await request(worker, 'PUT', '/connectors/srcs/stop')
        // Debezium from past the marker: the same backlog.
        if (withDebezium)
          debeziumSource = await debeziumDrain(
            dbz('dbz', 'stream_rows', 'no_data', { ...backlogStorage(dbzDir), ...DEBEZIUM_SETTINGS.throughput }),
            dbzFile('source'),
            rows,
          )
      }
    }

    // 2. Commit-to-log latency at a steady 5,000 rows/s (50-row transactions every 10 ms), after a
    // warm-up round, in rounds taken in turns with Debezium's (a table and a connector each).
    if (runs('latency')) {
      const writer = await mysql.createConnection(`${server.url}/${DB}`)
      const seconds = Math.max(2, Math.min(10, rows / 100_000))
      const writeTo = (table: string) => (start: number, count: number) => writer.query(fill(table, start, count))
      const rounds = await latencyInTurns(
        latencyRounds,
        async (round) => {
          const table = `latency_rows_${round}`
          await server.query(ddl(table))
          await cdc('lat', table, 'no_data', {}, `lat${round}`)
          await untilRunning(worker, `lat${round}`)
          const measured = await measureCommitToLog(worker, `lat${round}.${DB}.${table}`, seconds, writeTo(table))
          peakRssByPhase.latency = Math.max(peakRssByPhase.latency ?? 0, peakRssMB(worker.child.pid))
          // Its reader stopped, so that Debezium's round has the machine to itself as Tributary's had.
          await request(worker, 'DELETE', `/connectors/lat${round}`)
          return measured
        },
        // Debezium on the same table, emptied, with the same rows at the same rate.
        withDebezium
          ? async (round) => {
              const table = `latency_rows_${round}`
              await server.query(`TRUNCATE ${DB}.${table}`)
              return debeziumCommitToRecord(
                dbz('dbzlat', table, 'no_data', DEBEZIUM_SETTINGS.latency, `dbzlat${round}`),
                dbzFile(`latency${round}`),
                seconds,
                writeTo(table),
              )
            }
          : undefined,
      )
      ;({ latency, debeziumLatency, p99Rounds: latencyP99Rounds } = latencyFromTurns(rounds))
      await writer.end()
    }

    // 3. Snapshot of a table of the same size.
    if (runs('snapshot')) {
      await server.query(ddl('snap_rows'))
      await insertInTransactions(server, 'snap_rows', rows)
      const started = performance.now()
      await cdc('snap', 'snap_rows', 'initial')
      await untilTopicHolds(worker, 'snap.bench.snap_rows', rows)
      snapshotRowsPerSec = perSecond(rows, performance.now() - started)
      peakRssByPhase.snapshot = peakRssMB(worker.child.pid)
      await request(worker, 'DELETE', '/connectors/snap')
      const schemasStarted = performance.now()
      await cdc('snaps', 'snap_rows', 'initial', withSchemas)
      await untilTopicHolds(worker, 'snaps.bench.snap_rows', rows)
      snapshotSchemasRowsPerSec = perSecond(rows, performance.now() - schemasStarted)
      await request(worker, 'DELETE', '/connectors/snaps')
      if (withDebezium)
        debeziumSnapshot = await debeziumDrain(
          dbz('dbzsnap', 'snap_rows', 'initial', DEBEZIUM_SETTINGS.throughput),
          dbzFile('snapshot'),
          rows,
        )
    }

    // 4. LOAD DATA against mysql-sink, writing the rows captured in phase 1 (and its marker row) into a table like the source's.
    // The capture connectors stop first: they would otherwise read and skip the binlog both writers produce.
    let loadDataRowsPerSec: number | null = null
    let sinkRowsPerSec: number | null = null
    let sinkSchemasRowsPerSec: number | null = null
    if (runs('sink')) {
      for (const name of ['src', 'srcs', 'lat']) await request(worker, 'PUT', `/connectors/${name}/stop`).catch(() => undefined) // absent with --only
      await server.query(`CREATE DATABASE ${SINK_DB}`)
      const csv = path.join(dir, 'rows.csv')
      fs.writeFileSync(
        csv,
        `${Array.from({ length: rows }, (_, i) => `${i + 1},item ${i + 1},${(i + 1) % 100},${((i + 1) / 100).toFixed(2)},2024-01-01 00:00:00.000`).join('\n')}\n`,
      )
      fs.chmodSync(dir, 0o755)
      fs.chmodSync(csv, 0o644)
      await server.query(ddl('load_target').replace(`${DB}.`, `${SINK_DB}.`))
      let started = performance.now()
      await server.query(`LOAD DATA INFILE ? INTO TABLE ${SINK_DB}.load_target FIELDS TERMINATED BY ','`, [csv])
      loadDataRowsPerSec = perSecond(rows, performance.now() - started)
      await server.query(ddl('stream_rows').replace(`${DB}.`, `${SINK_DB}.`))
      started = performance.now()
      await request(worker, 'POST', '/connectors', {
        name: 'sink',
        config: { 'connector.class': 'mysql-sink', url: `${server.url}/${SINK_DB}`, topics: 'src.bench.stream_rows' },
      })
      await untilSunk(server, 'sink', 'stream_rows', rows + 1)
      sinkRowsPerSec = perSecond(rows + 1, performance.now() - started)
      peakRssByPhase.sink = peakRssMB(worker.child.pid)
      await request(worker, 'DELETE', '/connectors/sink')
      // The backlog captured with schemas, read with them: the typed path, into a table of its own.
      await server.query(ddl('typed_rows').replace(`${DB}.`, `${SINK_DB}.`))
      started = performance.now()
      await request(worker, 'POST', '/connectors', {
        name: 'sinks',
        config: {
          'connector.class': 'mysql-sink',
          url: `${server.url}/${SINK_DB}`,
          topics: 'srcs.bench.stream_rows',
          'table.name.format': 'typed_rows',
          ...withSchemas,
        },
      })
      await untilSunk(server, 'sinks', 'typed_rows', rows + 1)
      sinkSchemasRowsPerSec = perSecond(rows + 1, performance.now() - started)
      peakRssByPhase.sinkSchemas = peakRssMB(worker.child.pid)
    }

    const result = {
      rows,
      binlogReadRowsPerSec,
      binlogVerboseRowsPerSec,
      binlogReader: `${binlogReader()} --read-from-remote-server`,
      zongjiRowsPerSec: zongji?.rowsPerSec ?? null,
      zongjiCpuUsPerRow: zongji?.cpuUsPerRow ?? null,
      sourceRowsPerSec,
      sourceRatio: ratio(sourceRowsPerSec, binlogReadRowsPerSec),
      sourceToZongjiRatio: ratio(sourceRowsPerSec, zongji?.rowsPerSec ?? null),
      sourceWorkerCpuUsPerRow,
      sourceSchemasRowsPerSec,
      schemasCostRatio: ratio(sourceSchemasRowsPerSec, sourceRowsPerSec),
      commitToLogP50Ms: latency?.p50 ?? null,
      commitToLogP99Ms: latency?.p99 ?? null,
      commitToLogP99MsRounds: latencyP99Rounds.ours,
      debeziumCommitToRecordP99MsRounds: latencyP99Rounds.debezium,
      snapshotRowsPerSec,
      snapshotSchemasRowsPerSec,
      loadDataRowsPerSec,
      sinkRowsPerSec,
      sinkSchemasRowsPerSec,
      sinkRatio: ratio(sinkRowsPerSec, loadDataRowsPerSec),
      workerPeakRssMB: peakRssMB(worker.child.pid),
      peakRssByPhase,
      ...debeziumReport(
        values.peer,
        'io.debezium.connector.mariadb.MariaDbConnector',
        { snapshot: debeziumSnapshot, source: debeziumSource, latency: debeziumLatency },
        { snapshotRowsPerSec, sourceRowsPerSec, commitToLogP99Ms: latency?.p99 ?? null, workerPeakRssMB: peakRssMB(worker.child.pid) },
      ),
      durability:
        'MariaDB sync_binlog=1, innodb_flush_log_at_trx_commit=1; topics fsync before acknowledging; the sink commits one transaction per batch with its offsets',
    }
    reportResult(result)
  } finally {
    await stopWorker(worker)
    if (values['worker-log'] !== undefined) fs.writeFileSync(values['worker-log'], worker.stdout() + worker.stderr())
    await server.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

await main()
