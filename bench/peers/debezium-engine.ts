/**
 * Debezium's embedded engine as the peer of bench:postgres and bench:mysql, on the same tables and
 * the same change workload as Tributary, after it: test/support/debezium's DebeziumBenchPeer in a JVM
 * of its own, one per phase. What it runs with, written down (DEBEZIUM_SETTINGS and the report's
 * `debeziumEngine` hold the same):
 * - Debezium 3.6.1.Final's PostgreSQL connector; for MariaDB, the 3.5.0.Final MariaDB connector
 *   (3.6.1's MySQL connector refuses MariaDB 10.11 and no 3.6 MariaDB connector is published: see
 *   test/support/debezium/pom.xml)
 * - the `java` on PATH (17 or later; Java 17 is what Debezium 3 is built for) with its default
 *   settings: no JVM flags, so G1 and a heap of up to a quarter of the machine's memory
 * - the asynchronous embedded engine (what DebeziumEngine.create gives in Debezium 3) with Debezium's
 *   JSON format, Kafka Connect's JsonConverter with converter.schemas.enable=false: JSON without
 *   schemas, what Tributary's topics hold by default
 * - for throughput (the backlog and the snapshot), the batch and queue sizes Debezium's connector docs
 *   describe (they give no numbers), four times their defaults: max.batch.size 8192 (2048),
 *   max.queue.size 32768 (8192; the docs ask for it above the batch); poll.interval.ms stays at 500,
 *   which a backlog waits out only for its last, partial batch; offsets flush every 60 s, the
 *   engine's default
 * - for latency (the steady 5,000 rows/s), poll.interval.ms 1 (default 500): the connector's queue
 *   hands a batch over when it is full or when that interval ends, and PostgreSQL's streaming loop
 *   sleeps that long when the server has nothing new, so the default would add up to half a second
 * - the sink: every event as a line of its JSON key and value in a file, each batch written at once and
 *   synced (fdatasync) before the engine may commit its offsets, as Tributary's topics sync a batch
 *   before acknowledging it: both sides pay for serializing and writing every record durably
 * A phase's rate runs from the engine's start (the JVM's own start-up left out; the connector's start,
 * class loading and JIT warm-up in, as a Tributary phase includes its task's start) to the batch holding
 * the last row arriving here, which must bring the count to exactly the rows written: a phase fails
 * if Debezium captured fewer or more. CPU time is the JVM's over the same span; peak RSS is its VmHWM
 * at the phase's end.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import { ensureDebeziumOracle, oracleJar, propertiesText } from '../../test/support/debezium.ts'
import { measureCommitLatency, medianRound, type LatencySummary } from '../lib/commit-latency.ts'
import { processCpuMs } from '../lib/cpu-time.ts'
import { peakRssMB } from '../lib/peak-rss.ts'
import { perSecond, ratio, round } from '../lib/stats.ts'

const MAIN_CLASS = 'tributary.oracle.DebeziumBenchPeer'
const STDERR_TAIL = 16_000
const PHASE_TIMEOUT_MS = 600_000
const STOP_TIMEOUT_MS = 30_000
const MIN_JAVA = 17

/** Engine and connector settings over the connector's own defaults, by what a phase measures. */
export const DEBEZIUM_SETTINGS = {
  json: { 'converter.schemas.enable': 'false' },
  throughput: { 'max.batch.size': '8192', 'max.queue.size': '32768', 'offset.flush.interval.ms': '60000' },
  latency: { 'max.batch.size': '8192', 'max.queue.size': '32768', 'offset.flush.interval.ms': '60000', 'poll.interval.ms': '1' },
} as const

/**
 * Offsets and schema history in files of `dir`, flushed after every batch: a run stopped after the
 * marker row leaves them for the next run, which then streams the backlog written in between.
 */
export function backlogStorage(dir: string): Record<string, string> {
  return {
    'offset.storage': 'org.apache.kafka.connect.storage.FileOffsetBackingStore',
    'offset.storage.file.filename': path.join(dir, 'offsets.dat'),
    'offset.flush.interval.ms': '0',
    'schema.history.internal': 'io.debezium.storage.file.history.FileSchemaHistory',
    'schema.history.internal.file.filename': path.join(dir, 'schema-history.dat'),
  }
}

/**
 * Checks for a Java of 17 or later on PATH and builds the engine if it is not yet: before the bench
 * starts, so that a machine without them fails at once, saying what to install or to pass --peer none.
 */
export async function requireDebezium(): Promise<void> {
  const install =
    'install a JDK and Maven (as root): apt-get install -y --no-install-recommends default-jdk-headless maven; or leave Debezium out with --peer none'
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' })
  if (probe.error !== undefined) throw new Error(`--peer debezium runs Debezium's embedded engine, which needs java on PATH: ${install}`)
  const major = Number(/version "(?:1\.)?(\d+)/.exec(probe.stderr)?.[1] ?? 0)
  if (major < MIN_JAVA)
    throw new Error(
      `--peer debezium runs Debezium 3, which needs Java ${MIN_JAVA} or later; \`java -version\` says:\n${probe.stderr}\n${install}`,
    )
  try {
    await ensureDebeziumOracle()
  } catch (error) {
    throw new Error(`${(error as Error).message}\n(--peer none leaves Debezium out)`)
  }
}

/** The JVM a run had: its Java version and the heap its defaults gave it. */
export interface Jvm {
  readonly java: string
  readonly maxHeapMB: number
}

/** What the report says Debezium ran as, for a connector class. */
function debeziumEngineInfo(connectorClass: string, jvm: Jvm | null): Record<string, unknown> {
  const lib = path.join(path.dirname(oracleJar(connectorClass)), 'lib')
  const embedded = fs.readdirSync(lib).find((name) => name.startsWith('debezium-embedded-'))
  return {
    version: embedded?.replace(/^debezium-embedded-|\.jar$/g, '') ?? null,
    connector: connectorClass,
    java: jvm?.java ?? null,
    jvmFlags: 'none (the JVM defaults)',
    maxHeapMB: jvm?.maxHeapMB ?? null,
    format: 'Json (JsonConverter, converter.schemas.enable=false)',
    sink: 'a file: key and value JSON per line, each batch written and fdatasync-ed before its offsets commit',
    settings: DEBEZIUM_SETTINGS,
  }
}

/** A line DebeziumBenchPeer prints on stdout. */
interface PeerEvent {
  readonly event: 'started' | 'streaming' | 'batch'
  readonly java?: string
  readonly maxHeapMB?: number
  /** Events captured so far, after a batch. */
  readonly records?: number
  /** Each event's key in the batch, with bench.keys=true. */
  readonly keys?: unknown[]
}

interface EngineRun {
  readonly pid: number
  /** When the engine started (performance.now() here), the JVM's CPU time then, and the JVM. */
  started(): Promise<{ at: number; cpuMs: number; jvm: Jvm }>
  streaming(): Promise<void>
  /**
   * Resolves with when the batch that brought the count of events to `count` arrived; `onBatch` gets
   * each batch's keys (with bench.keys=true) as it comes. Rejects if that batch took the count past
   * `count`, on timeout, or if the JVM exits first.
   */
  records(count: number, onBatch?: (keys: readonly unknown[], at: number) => void): Promise<number>
  stop(): Promise<void>
}

async function startEngine(properties: Readonly<Record<string, string>>, sinkFile: string): Promise<EngineRun> {
  const propertiesFile = `${sinkFile}.properties`
  fs.writeFileSync(propertiesFile, propertiesText(properties))
  const child = spawn('java', ['-cp', oracleJar(properties['connector.class']), MAIN_CLASS, propertiesFile, sinkFile], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const pid = child.pid
  if (pid === undefined) throw new Error('java did not start')
  child.stdin.on('error', () => {}) // the JVM may be gone already when stop() closes it
  let log = ''
  child.stderr.setEncoding('utf8').on('data', (text: string) => (log = (log + text).slice(-STDERR_TAIL)))
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`exited (${code ?? signal})`)))
  const failure = (what: string) =>
    exited.then((how) => Promise.reject(new Error(`Debezium's engine ${how} before ${what}; its log ends:\n${log}`)))
  const within = <T>(what: string, waiting: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>(
      (_, reject) =>
        (timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${what} from Debezium's engine; its log ends:\n${log}`)),
          PHASE_TIMEOUT_MS,
        )),
    )
    return Promise.race([waiting, failure(what), timeout]).finally(() => clearTimeout(timer))
  }

  let records = 0
  let lastBatchAt = 0
  const listeners = new Set<(event: PeerEvent, at: number) => void>()
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const at = performance.now()
    const event = JSON.parse(line) as PeerEvent
    if (event.event === 'batch') {
      records = event.records ?? records
      lastBatchAt = at
    }
    for (const listener of listeners) listener(event, at)
  })
  const next = (name: PeerEvent['event']) =>
    new Promise<{ at: number; event: PeerEvent }>((resolve) => {
      const listener = (event: PeerEvent, at: number) => {
        if (event.event !== name) return
        listeners.delete(listener)
        resolve({ at, event })
      }
      listeners.add(listener)
    })
  const started = within(
    'its start',
    next('started').then(({ at, event }) => ({
      at,
      cpuMs: processCpuMs(pid),
      jvm: { java: event.java ?? 'unknown', maxHeapMB: event.maxHeapMB ?? Number.NaN },
    })),
  )
  const streaming = within(
    'the connector to stream',
    next('streaming').then(() => undefined),
  )
  started.catch(() => {})
  streaming.catch(() => {})
  const tooMany = (count: number) => new Error(`Debezium's engine captured ${records} events where ${count} rows were written`)

  return {
    pid,
    started: () => started,
    streaming: () => streaming,
    records(count, onBatch) {
      if (records === count) return Promise.resolve(lastBatchAt)
      if (records > count) return Promise.reject(tooMany(count))
      return within(
        `${count} events (${records} so far)`,
        new Promise<number>((resolve, reject) => {
          const listener = (event: PeerEvent, at: number) => {
            if (event.event !== 'batch') return
            onBatch?.(event.keys ?? [], at)
            if (records < count) return
            listeners.delete(listener)
            if (records === count) resolve(at)
            else reject(tooMany(count))
          }
          listeners.add(listener)
        }),
      )
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM') // the JVM's shutdown hook closes the engine, which commits its offsets
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
      await exited
      clearTimeout(killer)
    },
  }
}

/**
 * Runs the engine, without a snapshot, until it has captured the one row `writeMarker` writes once it
 * streams, then stops it: the offsets it leaves (backlogStorage) point just past the marker.
 */
export async function debeziumPastMarker(
  properties: Readonly<Record<string, string>>,
  sinkFile: string,
  writeMarker: () => Promise<unknown>,
): Promise<void> {
  const run = await startEngine(properties, sinkFile)
  try {
    await run.streaming()
    await writeMarker()
    await run.records(1)
  } finally {
    await run.stop()
  }
}

export interface DebeziumDrain {
  readonly rowsPerSec: number
  /** From the engine's start to its first batch: the connector's start, within the rate. */
  readonly firstBatchMs: number
  readonly cpuUsPerRow: number
  readonly peakRssMB: number
  /** The key and value JSON of an event in the sink file, on average. */
  readonly bytesPerRecord: number
  readonly jvm: Jvm
}

/** Times the engine from its start to its capture of `rows` events: a snapshot, or a backlog past the marker. */
export async function debeziumDrain(properties: Readonly<Record<string, string>>, sinkFile: string, rows: number): Promise<DebeziumDrain> {
  const run = await startEngine(properties, sinkFile)
  try {
    const started = await run.started()
    let firstBatchAt: number | undefined
    const finished = await run.records(rows, (_, at) => (firstBatchAt ??= at))
    const cpuMs = processCpuMs(run.pid) - started.cpuMs
    const separators = 2 // the tab and the newline of each line
    return {
      rowsPerSec: perSecond(rows, finished - started.at),
      firstBatchMs: Math.round((firstBatchAt ?? finished) - started.at),
      cpuUsPerRow: round((cpuMs * 1000) / rows, 1),
      peakRssMB: peakRssMB(run.pid),
      bytesPerRecord: Math.round(fs.statSync(sinkFile).size / rows) - separators,
      jvm: started.jvm,
    }
  } finally {
    await run.stop()
  }
}

/** measureCommitLatency with Debezium as the reader: the engine streams first, then the rows are written. */
export async function debeziumCommitToRecord(
  properties: Readonly<Record<string, string>>,
  sinkFile: string,
  seconds: number,
  write: (from: number, count: number) => Promise<unknown>,
): Promise<DebeziumLatency> {
  const run = await startEngine({ ...properties, 'bench.keys': 'true' }, sinkFile)
  try {
    await run.streaming()
    let read = 0
    const latency = await measureCommitLatency(seconds, write, async (expected, arrived) => {
      read += expected
      await run.records(read, (keys, at) =>
        arrived(
          keys.map((key) => (key as { id: number }).id),
          at,
        ),
      )
    })
    return { ...latency, peakRssMB: peakRssMB(run.pid), jvm: (await run.started()).jvm }
  } finally {
    await run.stop()
  }
}

export interface DebeziumLatency extends LatencySummary {
  readonly peakRssMB: number
  readonly jvm: Jvm
}

/**
 * What a report takes from the rounds of bench/lib/commit-latency.ts's latencyInTurns: each side's
 * median round (Debezium's with the highest peak RSS of its rounds; null without it), and every
 * round's p99.
 */
export function latencyFromTurns(rounds: { readonly ours: readonly LatencySummary[]; readonly peer: readonly DebeziumLatency[] }): {
  latency: LatencySummary
  debeziumLatency: DebeziumLatency | null
  p99Rounds: { ours: number[]; debezium: number[] }
} {
  const first = rounds.peer[0]
  return {
    latency: medianRound(rounds.ours),
    debeziumLatency:
      first === undefined
        ? null
        : { ...medianRound(rounds.peer), peakRssMB: Math.max(...rounds.peer.map((r) => r.peakRssMB)), jvm: first.jvm },
    p99Rounds: { ours: rounds.ours.map((r) => r.p99), debezium: rounds.peer.map((r) => r.p99) },
  }
}

export interface DebeziumPhases {
  readonly snapshot: DebeziumDrain | null
  readonly source: DebeziumDrain | null
  readonly latency: DebeziumLatency | null
}

/** Tributary's numbers that the ratios set against Debezium's. */
export interface TributarySide {
  readonly snapshotRowsPerSec: number | null
  readonly sourceRowsPerSec: number | null
  readonly commitToLogP99Ms: number | null
  readonly workerPeakRssMB: number
}

/** The report's Debezium keys (null for a phase not run, all of them with --peer none) and the ratios. */
export function debeziumReport(
  peer: string,
  connectorClass: string,
  phases: DebeziumPhases,
  tributary: TributarySide,
): Record<string, unknown> {
  const { snapshot, source, latency } = phases
  const peakRssByPhase = Object.fromEntries(
    Object.entries(phases)
      .filter(([, phase]) => phase !== null)
      .map(([name, phase]) => [name, phase.peakRssMB]),
  )
  const peaks = Object.values(peakRssByPhase)
  const debeziumPeakRssMB = peaks.length === 0 ? null : Math.max(...peaks)
  const jvm = snapshot?.jvm ?? source?.jvm ?? latency?.jvm ?? null
  return {
    peer,
    debeziumSnapshotRowsPerSec: snapshot?.rowsPerSec ?? null,
    debeziumSourceRowsPerSec: source?.rowsPerSec ?? null,
    debeziumCommitToRecordP50Ms: latency?.p50 ?? null,
    debeziumCommitToRecordP99Ms: latency?.p99 ?? null,
    debeziumPeakRssMB,
    debeziumPeakRssByPhase: peakRssByPhase,
    debeziumCpuUsPerRow: { snapshot: snapshot?.cpuUsPerRow ?? null, source: source?.cpuUsPerRow ?? null },
    debeziumFirstBatchMs: { snapshot: snapshot?.firstBatchMs ?? null, source: source?.firstBatchMs ?? null },
    debeziumBytesPerRecord: source?.bytesPerRecord ?? snapshot?.bytesPerRecord ?? null,
    snapshotVsDebezium: ratio(tributary.snapshotRowsPerSec, snapshot?.rowsPerSec ?? null),
    sourceVsDebezium: ratio(tributary.sourceRowsPerSec, source?.rowsPerSec ?? null),
    commitP99VsDebezium: ratio(tributary.commitToLogP99Ms, latency?.p99 ?? null),
    rssVsDebezium: ratio(tributary.workerPeakRssMB, debeziumPeakRssMB),
    debeziumEngine: peer === 'none' ? null : debeziumEngineInfo(connectorClass, jvm),
  }
}
