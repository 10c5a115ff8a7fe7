/**
 * Apache Kafka Connect's distributed worker and the Kafka Streams WordCount example, unchanged, in
 * JVMs of their own with Tributary's listener as their Kafka: the check that the listener serves
 * what Kafka's own frameworks need (internal topics, the "connect" group protocol, the Streams
 * assignor, repartition and changelog topics). Their jars come from Maven Central
 * (test/support/kafka-connect-streams, built by scripts/build-kafka-connect-streams.mjs on first
 * use). Each JVM logs to a file; a JVM that exits while a test waits on it fails the wait at once
 * with the end of its log. startConnectWorker writes a distributed worker's properties (its group,
 * internal topics, JSON converters, REST port) and waits for its REST API.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { javaBuild } from './java-build.ts'
import type { RestJson } from './rest-json.ts'

const repoRoot = path.resolve(import.meta.dirname, '../..')
const classpathFile = path.join(repoRoot, 'test', 'support', 'kafka-connect-streams', 'target', 'classpath.txt')
/** Small heaps and a quick start: two cores are shared with the rest of the test run. */
const JVM_FLAGS = [
  '-Xms64m',
  '-Xmx384m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-Xshare:auto',
  '-XX:+ExitOnOutOfMemoryError',
  '-Djava.awt.headless=true',
]
const LOG_TAIL = 8_000
const POLL_MS = 200
const CONNECT_START_TIMEOUT_MS = 60_000

export const ensureKafkaConnectStreams = javaBuild('build-kafka-connect-streams.mjs', 'resolving Kafka Connect and Kafka Streams')

export interface Jvm {
  /** Resolves with the exit code (or the signal) once the JVM is gone. */
  readonly exited: Promise<number | string | null>
  isRunning(): boolean
  /** Everything the JVM has logged so far. */
  log(): string
  /** The end of the JVM's log, for failure messages. */
  logTail(): string
  /** SIGTERM, as a service manager stops it (the JVM's shutdown hooks run); resolves with its exit. */
  stop(): Promise<number | string | null>
  /** SIGKILL: no shutdown hooks, no goodbye; resolves once it is gone. */
  kill(): Promise<number | string | null>
}

/** Runs `mainClass` with Connect's and Streams' classpath; its stdout and stderr go to `logFile`. */
export async function startJvm(mainClass: string, args: readonly string[], logFile: string): Promise<Jvm> {
  await ensureKafkaConnectStreams()
  const classpath = fs.readFileSync(classpathFile, 'utf8').trim()
  const out = fs.openSync(logFile, 'a')
  const child: ChildProcess = spawn('java', [...JVM_FLAGS, '-cp', classpath, mainClass, ...args], { stdio: ['ignore', out, out] })
  fs.closeSync(out)
  const killNow = () => child.kill('SIGKILL')
  process.once('exit', killNow) // a test worker that dies takes its JVMs with it
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('error', () => resolve('spawn failed'))
    child.once('exit', (code, signal) => {
      process.removeListener('exit', killNow)
      resolve(code ?? signal)
    })
  })
  let running = true
  void exited.then(() => (running = false))
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '')
  const signal = (name: NodeJS.Signals) => {
    if (running) child.kill(name)
    return exited
  }
  return {
    exited,
    isRunning: () => running,
    log,
    logTail: () => log().slice(-LOG_TAIL) || '(no log)',
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  }
}

/**
 * Polls `probe` until `accept` takes its value; fails at once when the JVM exits and, past
 * `timeoutMs`, with the last value and the end of the JVM's log.
 */
export async function untilJvm<T>(
  jvm: Jvm,
  what: string,
  probe: () => Promise<T> | T,
  accept: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (accept(value)) return value
    if (!jvm.isRunning())
      throw new Error(
        `the JVM exited (${await jvm.exited}) while waiting for ${what}; last value ${JSON.stringify(value)}; its log ends:\n${jvm.logTail()}`,
      )
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last value ${JSON.stringify(value)}; the JVM's log ends:\n${jvm.logTail()}`,
      )
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/** Writes a Java properties file (keys and values need no escaping here: no '\', ':' in keys, no newlines). */
export function writeProperties(file: string, properties: Readonly<Record<string, string | number>>): void {
  fs.writeFileSync(
    file,
    Object.entries(properties)
      .map(([key, value]) => `${key}=${value}\n`)
      .join(''),
  )
}

export interface ConnectWorker {
  readonly jvm: Jvm
  /** Connect's REST API, e.g. http://127.0.0.1:20123 */
  readonly url: string
}

export interface ConnectWorkerOptions {
  readonly bootstrap: string
  readonly groupId: string
  readonly topicPrefix: string
  readonly restPort: number
  /** Where the worker's properties file and log go, named after the REST port. */
  readonly dir: string
  readonly extra?: Readonly<Record<string, string | number>>
}

/**
 * Starts Connect's distributed worker (ConnectDistributed) in group `groupId`, its internal topics
 * `<topicPrefix>-configs`, `-offsets` and `-status`, with JSON converters and REST on `restPort`;
 * resolves once its REST API answers. `extra` adds or overrides worker properties.
 */
export async function startConnectWorker(options: ConnectWorkerOptions): Promise<ConnectWorker> {
  const worker = await launchConnectWorker(options)
  await untilJvm(
    worker.jvm,
    "Connect's REST API",
    () =>
      connectRest(worker.url, 'GET', '/').then(
        (r) => r.status,
        () => 0,
      ),
    (status) => status === 200,
    CONNECT_START_TIMEOUT_MS,
  )
  return worker
}

/** The worker's JVM, started without waiting for anything: for a worker that is expected to fail. */
export async function launchConnectWorker(options: ConnectWorkerOptions): Promise<ConnectWorker> {
  const url = `http://127.0.0.1:${options.restPort}`
  const propertiesFile = path.join(options.dir, `worker-${options.restPort}.properties`)
  writeProperties(propertiesFile, {
    'bootstrap.servers': options.bootstrap,
    'group.id': options.groupId,
    'config.storage.topic': `${options.topicPrefix}-configs`,
    'offset.storage.topic': `${options.topicPrefix}-offsets`,
    'status.storage.topic': `${options.topicPrefix}-status`,
    'config.storage.replication.factor': 1,
    'offset.storage.replication.factor': -1,
    'status.storage.replication.factor': 1,
    'offset.storage.partitions': 5,
    'status.storage.partitions': 3,
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'offset.flush.interval.ms': 500,
    listeners: url,
    'rest.advertised.host.name': '127.0.0.1',
    'rest.advertised.port': options.restPort,
    // The FileStream connectors are on the classpath; no plugin.path to scan.
    'plugin.discovery': 'only_scan',
    ...options.extra,
  })
  const jvm = await startJvm(
    'org.apache.kafka.connect.cli.ConnectDistributed',
    [propertiesFile],
    path.join(options.dir, `worker-${options.restPort}.log`),
  )
  return { jvm, url }
}

/** One call to Connect's REST API; the body parsed as JSON (null when empty). */
export async function connectRest(
  url: string,
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<{ status: number; body: RestJson }> {
  const response = await fetch(`${url}${urlPath}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: text === '' ? null : JSON.parse(text) }
}
