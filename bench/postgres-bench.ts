/**
 * `npm run bench:postgres`: Postgres change data capture and the Postgres sink, side by side with the
 * database's own tools on one throwaway server, JSON on stdout (a summary on stderr).
 * - pgRecvlogicalRowsPerSec: pg_recvlogical streaming the same rows (the raw decoding limit)
 * - sourceRowsPerSec / sourceRatio: postgres-cdc into the log, from an existing slot's backlog
 * - sourceSchemasRowsPerSec / schemasCostRatio: the same backlog with key and value schemas written
 *   (`*.converter.schemas.enable=true`, JsonConverter's envelope), and its rate over sourceRowsPerSec
 * - sourceAvroRowsPerSec / avroCostRatio: the same backlog in Avro (Confluent's AvroConverter on the
 *   built-in schema registry); bytesPerRecord: key and value bytes of a record in each of the three
 * - commitToLogP50Ms / P99Ms: from COMMIT returning to the record being readable, at a steady 5,000 rows/s,
 *   after an untimed round of the same to warm up (bench/lib/commit-latency.ts); the median of
 *   `--latency-rounds N` rounds (default 3), taken in turns with Debezium's, each on a table of its
 *   own; commitToLogP99MsRounds and debeziumCommitToRecordP99MsRounds give every round's p99
 * - snapshotRowsPerSec: the initial snapshot of a table of the same size; snapshotSchemasRowsPerSec with schemas written
 * - copyRowsPerSec: a plain server-side COPY of the rows; sinkRowsPerSec / sinkRatio: postgres-sink upserts
 *   of the rows captured as JSON; sinkAvroRowsPerSec / sinkAvroRatio: the same from the rows captured in
 *   Avro (sourceAvro's topic, read by the Avro converter), into a table of their own
 * - workerCpuUsPerRow: CPU time the worker process used per row in the source, snapshot and sink phases
 *   (steadier than rates on a busy machine); serverCpuUsPerRow: the database server's (all its
 *   processes') for the COPY and the sink, so which side limits the sink shows
 * - endToEndRowsPerSec: Postgres → topic → Postgres while the rows are being written
 * - workerPeakRssMB: the worker process's peak resident memory over the whole run (peakRssByPhase: after each phase)
 * - Debezium's embedded engine (3.6.1.Final, PostgreSQL connector) as the peer, after Tributary in each
 *   of its phases, on the same tables and rows (bench/peers/debezium-engine.ts says how it runs, its
 *   settings and its file sink): debeziumSourceRowsPerSec (the same backlog, from its own slot made
 *   before the rows were written, the offsets of a first run stopped past a marker row),
 *   debeziumCommitToRecordP50Ms / P99Ms (COMMIT returning to the batch holding the row written and
 *   synced to its file and reported here, at the same steady rate on the same table, emptied first),
 *   debeziumSnapshotRowsPerSec (snap_rows again), debeziumCpuUsPerRow, debeziumFirstBatchMs (from
 *   the engine's start to its first batch, within the rates), debeziumBytesPerRecord (its file's key
 *   and value JSON), debeziumPeakRssMB (the highest VmHWM of its JVMs, one per phase;
 *   debeziumPeakRssByPhase); the ratios snapshotVsDebezium, sourceVsDebezium, commitP99VsDebezium
 *   (Tributary's p99 over Debezium's) and rssVsDebezium (workerPeakRssMB, over the whole run, over
 *   debeziumPeakRssMB); debeziumEngine: what it ran as. `--peer none` leaves it out.
 * The worker runs compiled (into .bench-data/build), as the container image runs it.
 * `--exactly-once on|off|both` (default both): the worker's TRIBUTARY_EXACTLY_ONCE_SOURCE_SUPPORT.
 * Every headline number above is measured with it on (`enabled`, the worker's default), as before
 * it became a flag, unless `off` runs the whole bench with it disabled; `exactlyOnce` says which.
 * `both` adds two drains of the same backlog (slots made before the rows were written, as the
 * others), each by a worker of its own that holds just that connector, one with it off and then one
 * with it on, after the first worker's plain drain and while the others sit idle; each is stopped
 * once it is done. `sourceExactlyOnce` then holds `on` and `off`, each `sourceRowsPerSec` and
 * `workerCpuUsPerRow`, and `onToOff`, their ratios (on over off). Both come from twins set up alike,
 * not from the headline drain, whose worker also holds the other phases' stopped connectors (its
 * drain, compared across separate runs with `on` and with `off`, showed a smaller and less steady
 * difference). Two more drains add about half the source phase, not double the run, hence the default.
 * `--rows N` (default 1,000,000) scales every phase; rows go in 1,000-row transactions.
 * Each phase's capture connector is stopped or deleted when the phase ends: its walsender would
 * otherwise decode the WAL of every later phase (all of a server's WAL passes through each active
 * slot) and take CPU from what the later phase measures.
 * `--only a,b` runs only the named phases (recvlogical, source, latency, snapshot, sink, e2e); the
 * source phase also runs when sink is asked for, since the sink reads what it captured.
 * `--cpu-prof-dir DIR` writes CPU profiles of the worker process there when it exits, one per thread (the
 * worker thread's is the larger); `--node-arg X`
 * (repeatable) passes a flag to the worker's node (a V8 heap setting, say).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { startPgServer, type PgServer } from '../test/support/pg-server.ts'
import { spawnWorker, type WorkerProcess } from '../test/support/worker-process.ts'
import { latencyInTurns, measureCommitToLog } from './lib/commit-latency.ts'
import { compiledCli } from './lib/compiled-cli.ts'
import { processCpuMs } from './lib/cpu-time.ts'
import { serverCpuMs } from './lib/server-cpu.ts'
import { runTool } from './lib/run-tool.ts'
import { peakRssMB } from './lib/peak-rss.ts'
import { reportResult } from './lib/report.ts'
import { perSecond, ratio, round } from './lib/stats.ts'
import { bytesPerRecord, request, stopWorker, until, untilTopicHolds } from './lib/worker-api.ts'
import { postgresOracleProperties } from '../test/support/debezium-properties.ts'
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
    peer: { type: 'string', default: 'debezium' },
    'latency-rounds': { type: 'string', default: '3' },
    'exactly-once': { type: 'string', default: 'both' },
  },
})
const rows = Number(values.rows)
const latencyRounds = Number(values['latency-rounds'])
if (!Number.isInteger(latencyRounds) || latencyRounds < 1)
  throw new Error(`--latency-rounds ${values['latency-rounds']}: a whole number from 1`)
if (values.peer !== 'debezium' && values.peer !== 'none') throw new Error(`--peer ${values.peer}: debezium or none`)
const withDebezium = values.peer === 'debezium'
const exactlyOnce = values['exactly-once']
if (exactlyOnce !== 'on' && exactlyOnce !== 'off' && exactlyOnce !== 'both')
  throw new Error(`--exactly-once ${exactlyOnce}: on, off or both`)
const exactlyOnceEnv = (on: boolean) => ({ TRIBUTARY_EXACTLY_ONCE_SOURCE_SUPPORT: on ? 'enabled' : 'disabled' })
const PHASES = ['recvlogical', 'source', 'latency', 'snapshot', 'sink', 'e2e'] as const
const only = values.only?.split(',').map((phase) => phase.trim())
const unknownPhase = only?.find((phase) => !(PHASES as readonly string[]).includes(phase))
if (unknownPhase !== undefined) throw new Error(`--only: unknown phase ${unknownPhase}; use ${PHASES.join(', ')}`)
const runs = (phase: (typeof PHASES)[number]): boolean =>
  only === undefined || only.includes(phase) || (phase === 'source' && only.includes('sink'))
const TXN_ROWS = 1000
const ddl = (table: string) => `CREATE TABLE ${table} (id int PRIMARY KEY, name text, qty int, price numeric(10,2), at timestamptz)`
const fill = (table: string, from: number, count: number) =>
  `INSERT INTO ${table} SELECT g, 'item ' || g, g % 100, g / 100.0, now() FROM generate_series(${from}, ${from + count - 1}) g`

async function insertInTransactions(server: PgServer, table: string, total: number): Promise<void> {
  const client = new pg.Client({ connectionString: server.url })
  await client.connect()
  for (let from = 1; from <= total; from += TXN_ROWS) await client.query(fill(table, from, Math.min(TXN_ROWS, total - from + 1)))
  await client.end()
}

/**
 * Waits until the sink's offsets table (written in the same transaction as the rows) shows every
 * record consumed, polling over one connection; then checks the row count. (count(*) on a fresh
 * connection every 10 ms took a good share of the server's CPU from the sink it measured.) With
 * exactly-once sources the topic also holds a transaction marker per source poll, so offsets reach
 * `rows` before the last records do: the count is then polled for the few flushes left.
 */
async function untilSunk(url: string, connector: string, table: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const consumed = `SELECT coalesce(sum(kafka_offset + 1), 0) AS n FROM tributary_sink_offsets WHERE connector = $1`
    await until(async () => Number((await client.query(consumed, [connector]).catch(() => ({ rows: [{ n: 0 }] }))).rows[0].n) >= rows)
    let count = 0
    const countRows = async () => {
      count = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n)
      return count >= rows
    }
    await until(countRows, 30_000).catch(() => undefined) // the check below says what is missing
    if (count !== rows) throw new Error(`${table} has ${count} rows after the sink consumed ${rows} records`)
  } finally {
    await client.end()
  }
}

async function main(): Promise<void> {
  if (withDebezium) await requireDebezium()
  // Durable commits, as a production server has them: decoding waits for WAL to be flushed.
  const server = await startPgServer({ max_wal_size: '4GB', fsync: 'on', synchronous_commit: 'on' })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-pg-bench-'))
  fs.mkdirSync(path.join(dir, 'config'))
  const worker = await spawnWorker(
    path.join(dir, 'config'),
    path.join(dir, 'data'),
    { TRIBUTARY_LOG_LEVEL: 'error', ...exactlyOnceEnv(exactlyOnce !== 'off') },
    [...values['node-arg'], ...(values['cpu-prof-dir'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof-dir']}`])],
    compiledCli(),
  )
  // The high-water mark after each phase: which phase set the peak.
  const peakRssByPhase: Record<string, number> = {}
  const withSchemas = { 'key.converter.schemas.enable': 'true', 'value.converter.schemas.enable': 'true' }
  const withAvro = {
    'key.converter': 'io.confluent.connect.avro.AvroConverter',
    'value.converter': 'io.confluent.connect.avro.AvroConverter',
  }
  // With `--exactly-once both`, twin workers, off then on, each for one drain of the source's backlog.
  const twins: Array<{ mode: 'on' | 'off'; worker: WorkerProcess }> = []
  if (exactlyOnce === 'both' && runs('source')) {
    for (const mode of ['off', 'on'] as const) {
      fs.mkdirSync(path.join(dir, `config-${mode}`))
      twins.push({
        mode,
        worker: await spawnWorker(
          path.join(dir, `config-${mode}`),
          path.join(dir, `data-${mode}`),
          { TRIBUTARY_LOG_LEVEL: 'error', ...exactlyOnceEnv(mode === 'on') },
          values['node-arg'],
          compiledCli(),
        ),
      })
    }
  }
  let sourceExactlyOnce: Record<string, unknown> | null = null
  const cdc = (name: string, table: string, slot: string, mode: string, converters: Record<string, string> = {}, on = worker) =>
    request(on, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'postgres-cdc',
        url: server.url,
        'topic.prefix': name,
        tables: `public.${table}`,
        slot,
        publication: `pub_${name}`,
        'snapshot.mode': mode,
        ...converters,
      },
    })
  let pgRecvlogicalRowsPerSec: number | null = null
  let sourceRowsPerSec: number | null = null
  let sourceSchemasRowsPerSec: number | null = null
  let sourceAvroRowsPerSec: number | null = null
  let recordBytes: { json: number; jsonSchemas: number; avro: number } | null = null
  let snapshotSchemasRowsPerSec: number | null = null
  let latency: { p50: number; p99: number } | null = null
  let latencyP99Rounds: { ours: number[]; debezium: number[] } = { ours: [], debezium: [] }
  let snapshotRowsPerSec: number | null = null
  let copyRowsPerSec: number | null = null
  let sinkRowsPerSec: number | null = null
  let sinkAvroRowsPerSec: number | null = null
  let serverCpuUsPerRow: { copy: number; sink: number } | null = null
  const workerCpuUsPerRow: Record<string, number> = {}
  // CPU per row over one phase: call before it starts, and the returned function when it ends.
  const cpuOver = (phase: string, on = worker) => {
    const before = processCpuMs(on.child.pid)
    return () => {
      workerCpuUsPerRow[phase] = round(((processCpuMs(on.child.pid) - before) * 1000) / rows, 1)
    }
  }
  let endToEndRowsPerSec: number | null = null
  // Debezium's side: its files, a connector per phase (slot `<name>_slot`, publication `pub_<name>`), what it measured.
  const dbzDir = path.join(dir, 'debezium')
  fs.mkdirSync(dbzDir)
  const dbzFile = (name: string) => path.join(dbzDir, `${name}.jsonl`)
  const dbz = (name: string, table: string, mode: string, settings: Record<string, string>) =>
    postgresOracleProperties(server, {
      topicPrefix: name,
      tables: [`public.${table}`],
      slot: `${name}_slot`,
      publication: `pub_${name}`,
      snapshotMode: mode,
      extra: { name, ...DEBEZIUM_SETTINGS.json, ...settings },
    })
  let debeziumSource: DebeziumDrain | null = null
  let debeziumSnapshot: DebeziumDrain | null = null
  let debeziumLatency: DebeziumLatency | null = null
  const target = server.url.replace(/\/postgres$/, '/sink_target')
  try {
    await server.query('CREATE DATABASE sink_target')
    // 1. The backlog: every slot exists before the rows are written, so all read the same WAL.
    await server.query(ddl('stream_rows'))
    // Debezium's slot first, with a marker row (id 0) its first run captures and stops past; the others start after it.
    if (runs('source') && withDebezium) {
      await debeziumPastMarker(dbz('dbz', 'stream_rows', 'no_data', backlogStorage(dbzDir)), dbzFile('marker'), () =>
        server.query(`INSERT INTO stream_rows VALUES (0, 'marker', 0, 0, now())`),
      )
    }
    await server.query('CREATE PUBLICATION pub_raw FOR TABLE stream_rows')
    await server.query(`SELECT pg_create_logical_replication_slot('raw_slot', 'pgoutput')`)
    await cdc('src', 'stream_rows', 'src_slot', 'no_data')
    await request(worker, 'PUT', '/connectors/src/stop')
    for (const twin of twins) {
      await cdc(`src${twin.mode}`, 'stream_rows', `src${twin.mode}_slot`, 'no_data', {}, twin.worker)
      await request(twin.worker, 'PUT', `/connectors/src${twin.mode}/stop`)
    }
    if (runs('source')) {
      await cdc('srcs', 'stream_rows', 'srcs_slot', 'no_data', withSchemas)
      await request(worker, 'PUT', '/connectors/srcs/stop')
      await cdc('srca', 'stream_rows', 'srca_slot', 'no_data', withAvro)
      await request(worker, 'PUT', '/connectors/srca/stop')
    }
    await insertInTransactions(server, 'stream_rows', rows)
    const endLsn = (await server.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'))[0]?.lsn as string

    let started = performance.now()
    if (runs('recvlogical')) {
      await runTool('pg_recvlogical', [
        '-d',
        server.url,
        '--slot',
        'raw_slot',
        '--start',
        '-o',
        'proto_version=1',
        '-o',
        'publication_names=pub_raw',
        '-f',
        '/dev/null',
        '-E',
        endLsn,
        '--no-loop',
      ])
      pgRecvlogicalRowsPerSec = perSecond(rows, performance.now() - started)
    }

    if (runs('source')) {
      // The stopped connector's backlog, drained: rows per second, CPU per row under `phase`.
      const drain = async (connector: string, phase: string, on = worker): Promise<number> => {
        const began = performance.now()
        const cpuDone = cpuOver(phase, on)
        await request(on, 'PUT', `/connectors/${connector}/resume`)
        await untilTopicHolds(on, `${connector}.public.stream_rows`, rows)
        const rate = perSecond(rows, performance.now() - began)
        cpuDone()
        return rate
      }
      sourceRowsPerSec = await drain('src', 'source')
      peakRssByPhase.source = peakRssMB(worker.child.pid)
      await request(worker, 'PUT', '/connectors/src/stop')
      if (twins.length > 0) {
        const twinRuns: Record<string, { sourceRowsPerSec: number; workerCpuUsPerRow: number }> = {}
        while (twins.length > 0) {
          const { mode, worker: twin } = twins[0]!
          const phase = `sourceExactlyOnce${mode === 'on' ? 'On' : 'Off'}`
          const rowsPerSec = await drain(`src${mode}`, phase, twin)
          await request(twin, 'DELETE', `/connectors/src${mode}`)
          await stopWorker(twins.shift()!.worker)
          twinRuns[mode] = { sourceRowsPerSec: rowsPerSec, workerCpuUsPerRow: workerCpuUsPerRow[phase]! }
        }
        const [on, off] = [twinRuns.on!, twinRuns.off!]
        sourceExactlyOnce = {
          on,
          off,
          onToOff: {
            throughput: ratio(on.sourceRowsPerSec, off.sourceRowsPerSec),
            cpuPerRow: ratio(on.workerCpuUsPerRow, off.workerCpuUsPerRow),
          },
        }
      }
      // The same backlog again, with schemas written, and in Avro through the built-in registry.
      sourceSchemasRowsPerSec = await drain('srcs', 'sourceSchemas')
      await request(worker, 'DELETE', '/connectors/srcs')
      sourceAvroRowsPerSec = await drain('srca', 'sourceAvro')
      await request(worker, 'DELETE', '/connectors/srca')
      recordBytes = {
        json: await bytesPerRecord(worker, 'src.public.stream_rows'),
        jsonSchemas: await bytesPerRecord(worker, 'srcs.public.stream_rows'),
        avro: await bytesPerRecord(worker, 'srca.public.stream_rows'),
      }
      // Debezium from past its marker: the same backlog.
      if (withDebezium)
        debeziumSource = await debeziumDrain(
          dbz('dbz', 'stream_rows', 'no_data', { ...backlogStorage(dbzDir), ...DEBEZIUM_SETTINGS.throughput, 'slot.drop.on.stop': 'true' }),
          dbzFile('source'),
          rows,
        )
    }

    // 2. Commit-to-log latency at a steady 5,000 rows/s (50-row transactions every 10 ms), after a
    // warm-up round, in rounds taken in turns with Debezium's (a table and a connector each).
    if (runs('latency')) {
      const writer = new pg.Client({ connectionString: server.url })
      await writer.connect()
      const seconds = Math.max(2, Math.min(10, rows / 100_000))
      const writeTo = (table: string) => (from: number, count: number) => writer.query(fill(table, from, count))
      const rounds = await latencyInTurns(
        latencyRounds,
        async (round) => {
          const table = `latency_rows_${round}`
          await server.query(ddl(table))
          await cdc(`lat${round}`, table, `lat_slot_${round}`, 'no_data')
          await until(async () => (await request(worker, 'GET', `/connectors/lat${round}/status`)).tasks[0]?.state === 'RUNNING')
          const measured = await measureCommitToLog(worker, `lat${round}.public.${table}`, seconds, writeTo(table))
          peakRssByPhase.latency = Math.max(peakRssByPhase.latency ?? 0, peakRssMB(worker.child.pid))
          // Its reader stopped, so that Debezium's round has the machine to itself as Tributary's had.
          await request(worker, 'DELETE', `/connectors/lat${round}`)
          return measured
        },
        // Debezium on the same table, emptied, with the same rows at the same rate.
        withDebezium
          ? async (round) => {
              const table = `latency_rows_${round}`
              await server.query(`TRUNCATE ${table}`)
              return debeziumCommitToRecord(
                dbz(`dbzlat${round}`, table, 'no_data', { ...DEBEZIUM_SETTINGS.latency, 'slot.drop.on.stop': 'true' }),
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
      await server.query(fill('snap_rows', 1, rows))
      started = performance.now()
      const cpuDone = cpuOver('snapshot')
      await cdc('snap', 'snap_rows', 'snap_slot', 'initial')
      await untilTopicHolds(worker, 'snap.public.snap_rows', rows)
      snapshotRowsPerSec = perSecond(rows, performance.now() - started)
      cpuDone()
      peakRssByPhase.snapshot = peakRssMB(worker.child.pid)
      await request(worker, 'DELETE', '/connectors/snap')
      started = performance.now()
      const schemasCpuDone = cpuOver('snapshotSchemas')
      await cdc('snaps', 'snap_rows', 'snaps_slot', 'initial', withSchemas)
      await untilTopicHolds(worker, 'snaps.public.snap_rows', rows)
      snapshotSchemasRowsPerSec = perSecond(rows, performance.now() - started)
      schemasCpuDone()
      await request(worker, 'DELETE', '/connectors/snaps')
      if (withDebezium)
        debeziumSnapshot = await debeziumDrain(
          dbz('dbzsnap', 'snap_rows', 'initial', { ...DEBEZIUM_SETTINGS.throughput, 'slot.drop.on.stop': 'true' }),
          dbzFile('snapshot'),
          rows,
        )
    }

    // 4. COPY against postgres-sink, writing the rows captured in phase 1.
    if (runs('sink')) {
      const csv = path.join(dir, 'rows.csv')
      fs.writeFileSync(
        csv,
        `${Array.from({ length: rows }, (_, i) => `${i + 1},item ${i + 1},${(i + 1) % 100},${((i + 1) / 100).toFixed(2)},2024-01-01T00:00:00Z`).join('\n')}\n`,
      )
      fs.chmodSync(dir, 0o755)
      fs.chmodSync(csv, 0o644)
      await server.query(ddl('copy_target'))
      // Read once the backends of connections just closed have been reaped, whose CPU then counts in the postmaster's.
      const serverCpuSettled = async () => {
        await new Promise((resolve) => setTimeout(resolve, 200))
        return serverCpuMs(server.port)
      }
      const serverCpuPerRow = (fromMs: number, toMs: number) => round(((toMs - fromMs) * 1000) / rows, 1)
      const beforeCopy = await serverCpuSettled()
      started = performance.now()
      await server.query(`COPY copy_target FROM '${csv}' WITH (FORMAT csv)`)
      copyRowsPerSec = perSecond(rows, performance.now() - started)
      const beforeSink = await serverCpuSettled()
      started = performance.now()
      const cpuDone = cpuOver('sink')
      await request(worker, 'POST', '/connectors', {
        name: 'sink',
        config: { 'connector.class': 'postgres-sink', url: target, topics: 'src.public.stream_rows', 'auto.create': 'true' },
      })
      await untilSunk(target, 'sink', 'stream_rows')
      sinkRowsPerSec = perSecond(rows, performance.now() - started)
      peakRssByPhase.sink = peakRssMB(worker.child.pid)
      cpuDone()
      serverCpuUsPerRow = { copy: serverCpuPerRow(beforeCopy, beforeSink), sink: serverCpuPerRow(beforeSink, await serverCpuSettled()) }
      await request(worker, 'DELETE', '/connectors/sink')
      // The same rows again from the topic captured in Avro, read by the Avro converter, into a table of their own.
      started = performance.now()
      const avroCpuDone = cpuOver('sinkAvro')
      await request(worker, 'POST', '/connectors', {
        name: 'sink-avro',
        config: {
          'connector.class': 'postgres-sink',
          url: target,
          topics: 'srca.public.stream_rows',
          'auto.create': 'true',
          'table.name.format': 'stream_rows_avro',
          ...withAvro,
        },
      })
      await untilSunk(target, 'sink-avro', 'stream_rows_avro')
      sinkAvroRowsPerSec = perSecond(rows, performance.now() - started)
      avroCpuDone()
      await request(worker, 'DELETE', '/connectors/sink-avro')
    }

    // 5. End to end while the rows are being written.
    if (runs('e2e')) {
      await server.query(ddl('e2e_rows'))
      await request(worker, 'POST', '/connectors', {
        name: 'e2e',
        config: {
          'connector.class': 'postgres-cdc',
          url: server.url,
          'topic.prefix': 'e2e',
          tables: 'public.e2e_rows',
          slot: 'e2e_slot',
          publication: 'pub_e2e',
          'snapshot.mode': 'no_data',
        },
      })
      await request(worker, 'POST', '/connectors', {
        name: 'e2e-sink',
        config: { 'connector.class': 'postgres-sink', url: target, topics: 'e2e.public.e2e_rows', 'auto.create': 'true' },
      })
      await until(async () => (await request(worker, 'GET', '/connectors/e2e/status')).tasks[0]?.state === 'RUNNING')
      started = performance.now()
      await insertInTransactions(server, 'e2e_rows', rows)
      await untilSunk(target, 'e2e-sink', 'e2e_rows')
      endToEndRowsPerSec = perSecond(rows, performance.now() - started)
      peakRssByPhase.endToEnd = peakRssMB(worker.child.pid)
    }

    const result = {
      rows,
      pgRecvlogicalRowsPerSec,
      sourceRowsPerSec,
      sourceRatio: ratio(sourceRowsPerSec, pgRecvlogicalRowsPerSec),
      sourceSchemasRowsPerSec,
      schemasCostRatio: ratio(sourceSchemasRowsPerSec, sourceRowsPerSec),
      sourceAvroRowsPerSec,
      avroCostRatio: ratio(sourceAvroRowsPerSec, sourceRowsPerSec),
      bytesPerRecord: recordBytes,
      commitToLogP50Ms: latency?.p50 ?? null,
      commitToLogP99Ms: latency?.p99 ?? null,
      commitToLogP99MsRounds: latencyP99Rounds.ours,
      debeziumCommitToRecordP99MsRounds: latencyP99Rounds.debezium,
      snapshotRowsPerSec,
      snapshotSchemasRowsPerSec,
      copyRowsPerSec,
      sinkRowsPerSec,
      sinkRatio: ratio(sinkRowsPerSec, copyRowsPerSec),
      sinkAvroRowsPerSec,
      sinkAvroRatio: ratio(sinkAvroRowsPerSec, copyRowsPerSec),
      workerCpuUsPerRow,
      serverCpuUsPerRow,
      endToEndRowsPerSec,
      workerPeakRssMB: peakRssMB(worker.child.pid),
      peakRssByPhase,
      ...debeziumReport(
        values.peer,
        'io.debezium.connector.postgresql.PostgresConnector',
        { snapshot: debeziumSnapshot, source: debeziumSource, latency: debeziumLatency },
        { snapshotRowsPerSec, sourceRowsPerSec, commitToLogP99Ms: latency?.p99 ?? null, workerPeakRssMB: peakRssMB(worker.child.pid) },
      ),
      exactlyOnce: exactlyOnce === 'off' ? 'off' : 'on',
      sourceExactlyOnce,
      durability: 'topics fsync before acknowledging; the sink commits one transaction per batch with its offsets',
    }
    reportResult(result)
  } finally {
    for (const twin of twins) await stopWorker(twin.worker)
    worker.child.kill('SIGTERM')
    await worker.exited
    await server.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

await main()
