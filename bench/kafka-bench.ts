/**
 * `npm run bench:kafka`: Kafka clients against Tributary's listener, beside the in-process engine.
 *
 * N records of 100 bytes (`--records N`, default 1,000,000) each way:
 *   kafkajs.produce   kafkajs producer, sends of 5,000 records (one batch each, under the 1 MB
 *                     max.message.bytes), 4 sends in flight, acks=all
 *   kafkajs.consume   kafkajs consumer group reading the topic from the start (eachBatch)
 *   platformatic.produce  @platformatic/kafka producer (flexible protocol versions), same sends
 *   kcat.produce      kcat -P of a file of N lines (librdkafka batching, linger 20 ms)
 *   kcat.consume      kcat -C from the beginning to the N-th record
 *   inProcess.*       the embedded log in this process: append in batches of 10,000, read it back
 * `--tls`: the worker serves its listener over TLS (a throwaway CA and certificate made by openssl), and
 * every client connects with TLS, to measure what encryption costs against a run without it.
 * `--send-size N` and `--in-flight N` change the Node producers' sends (default 5,000 records, 4 at
 * a time); `--cpu-prof-dir DIR` writes V8 CPU profiles of the listener's process there, one per thread
 * (the worker thread's is the larger).
 * Each as msgs/s and MB/s (record values), with its ratio to the in-process rate of the same run, and
 * the CPU the listener spent per message (plus, for the Node clients, the client's own).
 * The listener runs in its own worker process, compiled, as the container image runs it; each topic
 * has 1 partition and the default fsync durability, so an acknowledged batch is on disk.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { Kafka, logLevel } from 'kafkajs'
import { Producer as PlatformaticProducer } from '@platformatic/kafka'
import { EmbeddedLog } from '../core/log/embedded-log.ts'
import { freePort } from '../test/support/free-port.ts'
import { makeTlsMaterial } from '../test/support/tls-certs.ts'
import { spawnWorker } from '../test/support/worker-process.ts'
import { compiledCli } from './lib/compiled-cli.ts'
import { processCpuMs } from './lib/cpu-time.ts'
import { peakRssMB } from './lib/peak-rss.ts'
import { reportResult } from './lib/report.ts'
import { round } from './lib/stats.ts'
import { stopWorker } from './lib/worker-api.ts'

const { values } = parseArgs({ options: {
  records: { type: 'string', default: '1000000' }, only: { type: 'string' }, 'skip-consume': { type: 'boolean', default: false },
  'send-size': { type: 'string', default: '5000' }, 'in-flight': { type: 'string', default: '4' }, 'cpu-prof-dir': { type: 'string' },
  tls: { type: 'boolean', default: false },
} })
const records = Number(values.records)
const only = values.only?.split(',').map((phase) => phase.trim())
const runs = (phase: string) => only === undefined || only.includes(phase)
const VALUE_BYTES = 100
const BATCH = 10_000
/** kafkajs puts a send's records for one partition in one batch, which must stay under 1 MB. */
const KAFKAJS_SEND = Number(values['send-size'])
const IN_FLIGHT = Number(values['in-flight'])

const root = path.resolve(import.meta.dirname, '..')
const dir = path.join(root, '.bench-data', 'kafka')
fs.rmSync(dir, { recursive: true, force: true })
fs.mkdirSync(path.join(dir, 'config'), { recursive: true })
fs.mkdirSync(path.join(dir, 'tls'))
const tls = values.tls ? makeTlsMaterial(path.join(dir, 'tls')) : undefined
const caCerts = tls === undefined ? undefined : [fs.readFileSync(tls.caCert)]
const kcatTls = tls === undefined ? [] : ['-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${tls.caCert}`]

function value(i: number): Buffer {
  const text = `record ${i} `
  return Buffer.from(text.padEnd(VALUE_BYTES, 'x'))
}

function rate(count: number, ms: number): { msgsPerSec: number; mbPerSec: number } {
  return { msgsPerSec: Math.round((count * 1000) / ms), mbPerSec: round((count * VALUE_BYTES) / 1e6 / (ms / 1000), 1) }
}

function runCommand(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('error', reject)
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ended with ${code}: ${stderr}`))))
  })
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = performance.now()
  await work()
  return performance.now() - start
}

async function inProcess(): Promise<{ produce: number; consume: number }> {
  const log = await EmbeddedLog.open({ dataDir: path.join(dir, 'in-process'), maintenanceIntervalMs: 0 })
  await log.createTopic('in-process')
  const produce = await timed(async () => {
    for (let start = 0; start < records; start += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, records - start) }, (_, i) => ({ key: null, value: value(start + i), partition: 0 }))
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

async function kafkajsProduce(kafka: Kafka, topic: string): Promise<number> {
  const producer = kafka.producer({ allowAutoTopicCreation: false })
  await producer.connect()
  const ms = await timed(async () => {
    let next = 0
    const sender = async (): Promise<void> => {
      while (next < records) {
        const start = next
        next += KAFKAJS_SEND
        const messages = Array.from({ length: Math.min(KAFKAJS_SEND, records - start) }, (_, i) => ({ value: value(start + i) }))
        await producer.send({ topic, acks: -1, messages })
      }
    }
    await Promise.all(Array.from({ length: IN_FLIGHT }, sender))
  })
  await producer.disconnect()
  return ms
}

async function platformaticProduce(topic: string): Promise<number> {
  const producer = new PlatformaticProducer({ clientId: 'bench', bootstrapBrokers: [bootstrap], acks: -1, autocreateTopics: false, ...(caCerts && { tls: { ca: caCerts } }) })
  const ms = await timed(async () => {
    let next = 0
    const sender = async (): Promise<void> => {
      while (next < records) {
        const start = next
        next += KAFKAJS_SEND
        const messages = Array.from({ length: Math.min(KAFKAJS_SEND, records - start) }, (_, i) => ({ topic, value: value(start + i) }))
        await producer.send({ messages })
      }
    }
    await Promise.all(Array.from({ length: IN_FLIGHT }, sender))
  })
  await producer.close()
  return ms
}

async function kafkajsConsume(kafka: Kafka, topic: string): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-${Date.now()}`, maxBytes: 10 * 1024 * 1024, maxBytesPerPartition: 10 * 1024 * 1024 })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  let seen = 0
  let start = 0
  const ms = await new Promise<number>((resolve, reject) => {
    consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        if (start === 0) start = performance.now()
        seen += batch.messages.length
        if (seen >= records) resolve(performance.now() - start)
      },
    }).catch(reject)
  })
  await consumer.disconnect()
  return ms
}

const tlsEnv: Record<string, string> = tls === undefined ? {} : { TRIBUTARY_TLS_CERT: tls.serverCert, TRIBUTARY_TLS_KEY: tls.serverKey }
const worker = await spawnWorker(path.join(dir, 'config'), path.join(dir, 'data'), { TRIBUTARY_LOG_LEVEL: 'error', TRIBUTARY_KAFKA_PORT: String(await freePort()), ...tlsEnv }, values['cpu-prof-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof-dir']}`] : [], compiledCli())
const bootstrap = worker.kafkaAddress!
const kafka = new Kafka({ clientId: 'bench', brokers: [bootstrap], logLevel: logLevel.NOTHING, ...(caCerts && { ssl: { ca: caCerts } }) })
const result: Record<string, unknown> = { records, valueBytes: VALUE_BYTES, tls: tls !== undefined }
/** Through the Kafka admin API, which works the same with and without TLS. */
async function createTopic(topic: string): Promise<void> {
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] })
  await admin.disconnect()
}
try {
  const base = runs('inProcess') || runs('ratios') ? await inProcess() : undefined
  if (base) {
    result['inProcess.produce'] = rate(records, base.produce).msgsPerSec
    result['inProcess.consume'] = rate(records, base.consume).msgsPerSec
  }
  // The listener's CPU per message tells whether it or the client sets the pace.
  const phase = async (name: string, work: () => Promise<number>, baseMs: number | undefined): Promise<void> => {
    const cpuBefore = processCpuMs(worker.child.pid)
    const clientBefore = process.cpuUsage()
    const ms = await work()
    const client = process.cpuUsage(clientBefore)
    const { msgsPerSec, mbPerSec } = rate(records, ms)
    result[name] = msgsPerSec
    result[`${name}.mbPerSec`] = mbPerSec
    if (baseMs !== undefined) result[`${name}.ratio`] = round(baseMs / ms, 2)
    result[`${name}.listenerCpuUsPerMsg`] = round(((processCpuMs(worker.child.pid) - cpuBefore) * 1000) / records, 2)
    if (!name.startsWith('kcat')) result[`${name}.clientCpuUsPerMsg`] = round((client.user + client.system) / records, 2)
  }
  if (runs('kafkajs')) {
    await createTopic('bench-kafkajs')
    await phase('kafkajs.produce', () => kafkajsProduce(kafka, 'bench-kafkajs'), base?.produce)
    if (!values['skip-consume']) await phase('kafkajs.consume', () => kafkajsConsume(kafka, 'bench-kafkajs'), base?.consume)
  }
  if (runs('platformatic')) {
    await createTopic('bench-platformatic')
    await phase('platformatic.produce', () => platformaticProduce('bench-platformatic'), base?.produce)
  }
  if (runs('kcat')) {
    await createTopic('bench-kcat')
    const file = path.join(dir, 'kcat-input.txt')
    const out = fs.createWriteStream(file)
    for (let i = 0; i < records; i++) out.write(`${value(i).subarray(0, VALUE_BYTES - 1).toString()}\n`)
    await new Promise<void>((resolve) => out.end(resolve))
    await phase('kcat.produce', () => timed(() => runCommand('kcat', ['-b', bootstrap, '-P', '-t', 'bench-kcat', '-l', file, ...kcatTls,
      '-X', 'linger.ms=20', '-X', 'batch.num.messages=10000', '-X', 'queue.buffering.max.messages=2000000', '-X', 'acks=all'])), base?.produce)
    await phase('kcat.consume', () => timed(() => runCommand('kcat', ['-b', bootstrap, '-C', '-t', 'bench-kcat', '-o', 'beginning', '-c', String(records), '-q', '-f', '', ...kcatTls,
      '-X', 'fetch.max.bytes=52428800', '-X', 'max.partition.fetch.bytes=10485760'])), base?.consume)
  }
  result.workerPeakRssMB = peakRssMB(worker.child.pid)
} finally {
  await stopWorker(worker)
}
reportResult(result)
