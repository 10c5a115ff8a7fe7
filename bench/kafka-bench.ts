/**
 * `npm run bench:kafka`: Kafka clients against Tributary's listener and, in the same run, against
 * one real Apache Kafka broker (the peer), beside Tributary's in-process engine.
 *
 * N records of 100 bytes (`--records N`, default 1,000,000) each way, through these legs:
 *   kafkajs.produce   kafkajs producer, sends of 5,000 records (one batch each, under the 1 MB
 *                     max.message.bytes), 4 sends in flight, acks=all; not idempotent (kafkajs'
 *                     default)
 *   kafkajs.produceTxn  kafkajs transactional producer (idempotent, as transactions require), the
 *                     same sends, each in a transaction of its own committed before the next (one
 *                     in flight: kafkajs allows no more with transactions)
 *   kafkajs.consume   kafkajs consumer group reading the topic from the start (eachBatch)
 *   platformatic.produce  @platformatic/kafka producer (flexible protocol versions), same sends
 *   kcat.produce      kcat -P of a file of N lines (librdkafka batching, linger 20 ms, acks=all)
 *   kcat.consume      kcat -C from the beginning to the N-th record
 *   java.produce      the release's ProducerPerformance (acks=all, record size 100, no throttle,
 *                     the Java producer's defaults otherwise: batch.size 16 KB, linger 5 ms, and
 *                     idempotent, as the Java producer is by default since Kafka 3.0)
 *   java.produceTxn   the same with a transactional id of its own (`--transactional-id`), which
 *                     commits a transaction every 100 ms (`--transaction-duration-ms`)
 *   java.consume      the release's ConsumerPerformance, a new group from the earliest offset
 *   inProcess         the embedded log in this process: append in batches of 10,000, read it back
 * The sides: `tributary`, the listener in a worker process of its own, compiled, as the container
 * image runs it; `kafka`, Apache Kafka 4.3.1 as one KRaft node (bench/peers/kafka-broker.ts: the
 * start script's 1 GB heap and G1, the broker's defaults, replication factor 1). Each leg runs on
 * one side then the other (which goes first alternates from leg to leg and run to run), with `sync`
 * before each, on topics of 1 partition made for it on each side with the same durability. Untimed
 * rounds come first on each side, to warm up the servers (a JVM's JIT above all) and this process's
 * Node clients: kcat produces the N records and consumes 100,000 of them, kafkajs and
 * @platformatic/kafka produce 100,000, kafkajs consumes 100,000. The durability modes:
 *   fsync   Tributary's default (`durability: fsync`, an acknowledged batch is on disk) against
 *           Kafka's `flush.messages=1` (it fsyncs before it acknowledges)
 *   async   Tributary's `durability: async` (fsync at least every second) against Kafka's default
 *           (no flush of its own: the OS writes the pages back when it will)
 * Flags: `--durability fsync|async|both` (default both), `--peer kafka|none` (default kafka; none is
 * the listener alone), `--only kafkajs,platformatic,kcat,java,inProcess` (legs to run: a client's name
runs all its legs, a leg's name, e.g. `java.produceTxn`, that leg alone),
 * `--repeat N` (each leg N times on each side, each produce on a topic of its own, the side going
 * first alternating; the report gives the run of median msgs/s, the highest peak RSS of all and
 * `msgsPerSecRuns`, every run's rate, to show the spread; default 1),
 * `--skip-consume`, `--send-size N` and `--in-flight N` (the Node producers' sends, default 5,000
 * records, 4 at a time), `--cpu-prof-dir DIR` (V8 CPU profiles of the listener's process, one per
 * thread; the worker thread's is the larger), `--tls` (the listener serves TLS, with a throwaway CA
 * made by openssl, and every client connects with TLS: the listener alone, as the peer serves
 * plaintext, so `--tls` means `--peer none`).
 *
 * The report, one JSON object: `records`, `valueBytes`, `tls`, `peer`, `repeat`; `<mode>.inProcess`
 * (produce and consume msgs/s); then per mode and leg, `<mode>.<leg>` (e.g. `fsync.kcat.produce`) holds for
 * each side `msgsPerSec`, `mbPerSec` (record values, 10^6 bytes), `p99Ms` (produce latency, where
 * the client gives one: ProducerPerformance's own over records; the Node producers' over sends),
 * `serverCpuUsPerMsg` (the listener's or the broker's process), `clientCpuUsPerMsg` (the client
 * process's, JVM start-up included for the Java tools), `clientCores` (client CPU over the leg's
 * wall time; `clientBound` marks a Node client at ≥ 0.9 cores, which then sets the pace) and
 * `peakRssMB` (the server process's VmHWM during that leg); the tributary side adds `ofInProcess`
 * (its rate over the in-process rate of that mode); a transactional leg's sides add `ofPlain`, their
 * rate over the same side's plain produce of that client and mode (e.g.
 * `fsync.java.produceTxn.kafka.ofPlain`; kafkajs' plain producer differs in more than transactions:
 * it is not idempotent and has 4 sends in flight). `tributaryToKafka` holds the ratios of
 * throughput and of peak RSS. Last, `workerPeakRssMB` and `kafkaPeakRssMB` over the whole run and
 * their ratio `peakRssRatio`. (Before the peer, the listener's numbers sat in flat keys:
 * `kafkajs.produce` is now `fsync.kafkajs.produce.tributary.msgsPerSec`, its `.mbPerSec`,
 * `.listenerCpuUsPerMsg`, `.clientCpuUsPerMsg` and `.ratio` are the side's `mbPerSec`,
 * `serverCpuUsPerMsg`, `clientCpuUsPerMsg` and `ofInProcess`.)
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { toConfigEntries } from '../core/kafka/kafka-log/kafka-topic-config.ts'
import { EmbeddedLog } from '../core/log/embedded-log.ts'
import { freePort } from '../test/support/free-port.ts'
import { makeTlsMaterial } from '../test/support/tls-certs.ts'
import { spawnWorker } from '../test/support/worker-process.ts'
import { compiledCli } from './lib/compiled-cli.ts'
import { endedChildrenCpuMs, processCpuMs } from './lib/cpu-time.ts'
import * as clients from './lib/kafka-clients.ts'
import { peakRssMB, resetPeakRss } from './lib/peak-rss.ts'
import { reportResult } from './lib/report.ts'
import { runTool } from './lib/run-tool.ts'
import { ratio, round } from './lib/stats.ts'
import { stopWorker } from './lib/worker-api.ts'
import { startKafkaPeer, type KafkaPeer } from './peers/kafka-broker.ts'
import { runConsumerPerformance, runProducerPerformance } from './peers/kafka-perf-tools.ts'

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    only: { type: 'string' },
    'skip-consume': { type: 'boolean', default: false },
    'send-size': { type: 'string', default: '5000' },
    'in-flight': { type: 'string', default: '4' },
    'cpu-prof-dir': { type: 'string' },
    tls: { type: 'boolean', default: false },
    peer: { type: 'string' },
    durability: { type: 'string', default: 'both' },
    repeat: { type: 'string', default: '1' },
  },
})
const records = Number(values.records)
const only = values.only?.split(',').map((phase) => phase.trim())
const runs = (phase: string) => only === undefined || only.includes(phase)
const peer = values.peer ?? (values.tls ? 'none' : 'kafka')
if (peer !== 'kafka' && peer !== 'none') throw new Error(`--peer ${peer}: kafka or none`)
if (peer === 'kafka' && values.tls)
  throw new Error('--tls measures the listener alone (the Kafka peer serves plaintext): leave out --peer kafka')
type Durability = 'fsync' | 'async'
const modes: Durability[] = values.durability === 'both' ? ['fsync', 'async'] : [values.durability as Durability]
if (!modes.every((mode) => mode === 'fsync' || mode === 'async')) throw new Error(`--durability ${values.durability}: fsync, async or both`)
const repeat = Number(values.repeat)
if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat ${values.repeat}: a whole number of runs, 1 or more`)
const VALUE_BYTES = 100
const BATCH = 10_000
/** A Node client that keeps this much of a core busy sets the pace itself. */
const CLIENT_BOUND_CORES = 0.9
const WARM_UP_RECORDS = 100_000
/** How long ProducerPerformance's transactional producer keeps a transaction open before it commits. */
const TRANSACTION_MS = 100

const root = path.resolve(import.meta.dirname, '..')
const dir = path.join(root, '.bench-data', 'kafka')
fs.rmSync(dir, { recursive: true, force: true })
fs.mkdirSync(path.join(dir, 'config'), { recursive: true })
fs.mkdirSync(path.join(dir, 'tls'))
const tls = values.tls ? makeTlsMaterial(path.join(dir, 'tls')) : undefined
const options: clients.ClientOptions = {
  records,
  valueBytes: VALUE_BYTES,
  sendSize: Number(values['send-size']),
  inFlight: Number(values['in-flight']),
  ...(tls && { caCerts: [fs.readFileSync(tls.caCert)] }),
}
const kcatTls = tls === undefined ? [] : ['-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${tls.caCert}`]
const javaTls = tls === undefined ? [] : ['security.protocol=SSL', 'ssl.truststore.type=PEM', `ssl.truststore.location=${tls.caCert}`]
const kcatInput = path.join(dir, 'kcat-input.txt')

function rate(ms: number): { msgsPerSec: number; mbPerSec: number } {
  return { msgsPerSec: Math.round((records * 1000) / ms), mbPerSec: round((records * VALUE_BYTES) / 1e6 / (ms / 1000), 1) }
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = performance.now()
  await work()
  return performance.now() - start
}

async function inProcess(durability: Durability): Promise<{ produce: number; consume: number }> {
  const log = await EmbeddedLog.open({ dataDir: path.join(dir, `in-process-${durability}`), maintenanceIntervalMs: 0 })
  await log.createTopic('in-process', { durability })
  const produce = await timed(async () => {
    for (let start = 0; start < records; start += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, records - start) }, (_, i) => ({
        key: null,
        value: clients.benchValue(start + i, VALUE_BYTES),
        partition: 0,
      }))
      await log.append('in-process', batch)
    }
  })
  const consume = await timed(async () => {
    let offset = 0
    while (offset < records) offset = (await log.read('in-process', 0, offset, { maxBytes: 1024 * 1024 })).nextOffset
  })
  await log.close()
  return { produce, consume }
}

interface Side {
  readonly name: 'tributary' | 'kafka'
  readonly bootstrap: string
  readonly pid: number
  /** The topic configs that give a topic this durability on this side. */
  configEntries(topic: string, durability: Durability): Array<{ name: string; value: string }>
  /** The server's largest peak RSS seen over the legs so far. */
  peakRssMB: number
}

interface Leg {
  readonly name: string
  /** What `--only` calls it, and whose topic it writes or reads. */
  readonly client: string
  readonly isConsume: boolean
  /** A transactional produce leg names the client's plain one, whose rate it is reported against. */
  readonly plain?: string
  run(bootstrap: string, topic: string): Promise<clients.LegTiming>
}

const legs: Leg[] = [
  { name: 'kafkajs.produce', client: 'kafkajs', isConsume: false, run: (b, t) => clients.kafkajsProduce(b, t, options) },
  {
    name: 'kafkajs.produceTxn',
    client: 'kafkajs',
    isConsume: false,
    plain: 'kafkajs.produce',
    run: (b, t) => clients.kafkajsProduceTxn(b, t, options),
  },
  { name: 'kafkajs.consume', client: 'kafkajs', isConsume: true, run: (b, t) => clients.kafkajsConsume(b, t, options) },
  { name: 'platformatic.produce', client: 'platformatic', isConsume: false, run: (b, t) => clients.platformaticProduce(b, t, options) },
  { name: 'kcat.produce', client: 'kcat', isConsume: false, run: (b, t) => clients.kcatProduce(b, t, kcatInput, kcatTls) },
  { name: 'kcat.consume', client: 'kcat', isConsume: true, run: (b, t) => clients.kcatConsume(b, t, options, kcatTls) },
  { name: 'java.produce', client: 'java', isConsume: false, run: (b, t) => runProducerPerformance(b, t, records, VALUE_BYTES, javaTls) },
  {
    name: 'java.produceTxn',
    client: 'java',
    isConsume: false,
    plain: 'java.produce',
    run: (b, t) =>
      runProducerPerformance(b, t, records, VALUE_BYTES, javaTls, { id: `bench-${t}-${Date.now()}`, durationMs: TRANSACTION_MS }),
  },
  { name: 'java.consume', client: 'java', isConsume: true, run: (b, t) => runConsumerPerformance(b, t, records, javaTls) },
]

/** One leg on one side, as the report gives it (the header comment says what each field is). */
interface SideResult {
  readonly msgsPerSec: number
  readonly mbPerSec: number
  readonly p99Ms?: number
  readonly serverCpuUsPerMsg: number
  readonly clientCpuUsPerMsg: number
  readonly clientCores: number
  readonly clientBound?: true
  readonly peakRssMB: number
  readonly ofInProcess?: number
  readonly ofPlain?: number | null
  readonly msgsPerSecRuns?: number[]
}

/** The run of median throughput, with the highest peak RSS of all runs and, past one run, every run's rate. */
function medianRun(results: readonly SideResult[]): SideResult {
  const sorted = [...results].sort((a, b) => a.msgsPerSec - b.msgsPerSec)
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!
  return {
    ...median,
    peakRssMB: Math.max(...results.map((r) => r.peakRssMB)),
    ...(results.length > 1 && { msgsPerSecRuns: results.map((r) => r.msgsPerSec) }),
  }
}

/** Through the Kafka admin API, the same on both sides and with or without TLS. */
async function createTopic(side: Side, topic: string, durability: Durability): Promise<void> {
  const admin = clients.kafkajsClient(side.bootstrap, options.caCerts).admin()
  await admin.connect()
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: side.configEntries(topic, durability) }] })
  } finally {
    await admin.disconnect()
  }
}

/** One leg on one side: its rate, and what the server and the client spent on it. */
async function measure(side: Side, leg: Leg, topic: string, inProcessMs: number | undefined): Promise<SideResult> {
  await runTool('sync', [])
  resetPeakRss(side.pid)
  const serverBefore = processCpuMs(side.pid)
  const clientBefore = process.cpuUsage()
  const toolsBefore = endedChildrenCpuMs()
  const started = performance.now()
  const timing = await leg.run(side.bootstrap, topic)
  const wallMs = performance.now() - started
  const client = process.cpuUsage(clientBefore)
  const clientCpuMs = (client.user + client.system) / 1000 + endedChildrenCpuMs() - toolsBefore
  const peak = peakRssMB(side.pid)
  side.peakRssMB = Math.max(side.peakRssMB, peak)
  const clientCores = round(clientCpuMs / wallMs, 2)
  return {
    ...rate(timing.ms),
    ...(timing.p99Ms !== undefined && { p99Ms: round(timing.p99Ms, 1) }),
    serverCpuUsPerMsg: round(((processCpuMs(side.pid) - serverBefore) * 1000) / records, 2),
    clientCpuUsPerMsg: round((clientCpuMs * 1000) / records, 2),
    clientCores,
    ...(['kafkajs', 'platformatic'].includes(leg.client) && clientCores >= CLIENT_BOUND_CORES && { clientBound: true as const }),
    peakRssMB: peak,
    ...(side.name === 'tributary' && inProcessMs !== undefined && { ofInProcess: round(inProcessMs / timing.ms, 2) }),
  }
}

const worker = await spawnWorker(
  path.join(dir, 'config'),
  path.join(dir, 'data'),
  {
    TRIBUTARY_LOG_LEVEL: 'error',
    TRIBUTARY_KAFKA_PORT: String(await freePort()),
    ...(tls && { TRIBUTARY_TLS_CERT: tls.serverCert, TRIBUTARY_TLS_KEY: tls.serverKey }),
  },
  values['cpu-prof-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof-dir']}`] : [],
  compiledCli(),
)
let kafkaPeer: KafkaPeer | undefined
const result: Record<string, unknown> = { records, valueBytes: VALUE_BYTES, tls: tls !== undefined, peer, repeat }
try {
  const sides: Side[] = [
    {
      name: 'tributary',
      bootstrap: worker.kafkaAddress!,
      pid: worker.child.pid!,
      configEntries: (_, durability) => [{ name: 'durability', value: durability }],
      peakRssMB: peakRssMB(worker.child.pid),
    },
  ]
  if (peer === 'kafka') {
    kafkaPeer = await startKafkaPeer(dir)
    sides.push({
      name: 'kafka',
      bootstrap: kafkaPeer.bootstrap,
      pid: kafkaPeer.pid,
      configEntries: (topic, durability) => toConfigEntries(topic, { durability }).entries,
      peakRssMB: peakRssMB(kafkaPeer.pid),
    })
  }
  await clients.writeKcatInput(kcatInput, options)
  // Untimed rounds first, so that no leg pays for a cold server (a JVM's JIT above all) or a cold Node client.
  const warmUp = { ...options, records: Math.min(records, WARM_UP_RECORDS) }
  for (const side of sides) {
    await createTopic(side, 'bench-warmup', 'async')
    await clients.kcatProduce(side.bootstrap, 'bench-warmup', kcatInput, kcatTls)
    await clients.kcatConsume(side.bootstrap, 'bench-warmup', warmUp, kcatTls)
    await clients.kafkajsProduce(side.bootstrap, 'bench-warmup', warmUp)
    await clients.platformaticProduce(side.bootstrap, 'bench-warmup', warmUp)
    await clients.kafkajsConsume(side.bootstrap, 'bench-warmup', warmUp)
  }
  for (const [modeIndex, durability] of modes.entries()) {
    const base = runs('inProcess') || runs('ratios') ? await inProcess(durability) : undefined
    if (base) result[`${durability}.inProcess`] = { produce: rate(base.produce).msgsPerSec, consume: rate(base.consume).msgsPerSec }
    for (const [legIndex, leg] of legs
      .filter((l) => (runs(l.client) || runs(l.name)) && !(l.isConsume && values['skip-consume']))
      .entries()) {
      const measured = new Map<string, SideResult[]>(sides.map((side) => [side.name, []]))
      for (let round = 0; round < repeat; round++) {
        // A consume leg reads what its client's plain produce wrote; a transactional produce writes a topic of its own.
        const topic = `bench-${durability}-${leg.client}${leg.plain === undefined ? '' : '-txn'}-${round}`
        for (const side of (legIndex + modeIndex + round) % 2 === 0 ? sides : [...sides].reverse()) {
          if (!leg.isConsume) await createTopic(side, topic, durability)
          measured.get(side.name)!.push(await measure(side, leg, topic, leg.isConsume ? base?.consume : base?.produce))
        }
      }
      const plain = leg.plain === undefined ? undefined : (result[`${durability}.${leg.plain}`] as Record<string, SideResult> | undefined)
      const median = (side: string): SideResult => {
        const run = medianRun(measured.get(side)!)
        return plain?.[side] === undefined ? run : { ...run, ofPlain: ratio(run.msgsPerSec, plain[side].msgsPerSec) }
      }
      const [ours, theirs] = [median('tributary'), measured.has('kafka') ? median('kafka') : undefined]
      result[`${durability}.${leg.name}`] = {
        tributary: ours,
        ...(theirs && {
          kafka: theirs,
          tributaryToKafka: { throughput: ratio(ours.msgsPerSec, theirs.msgsPerSec), peakRss: ratio(ours.peakRssMB, theirs.peakRssMB) },
        }),
      }
    }
  }
  result.workerPeakRssMB = sides[0]!.peakRssMB
  if (sides[1]) {
    result.kafkaPeakRssMB = sides[1].peakRssMB
    result.peakRssRatio = ratio(sides[0]!.peakRssMB, sides[1].peakRssMB)
  }
} finally {
  await stopWorker(worker)
  await kafkaPeer?.stop()
}
reportResult(result)
