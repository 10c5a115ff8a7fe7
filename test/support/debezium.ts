/**
 * Debezium's embedded engine and Kafka Connect's JsonConverter as oracles for conformance tests: the
 * real connector runs against the test's throwaway database in a JVM of its own, and each change event
 * it makes comes back with its key and value exactly as JsonConverter (schemas.enable=true) writes them.
 * The Java side is test/support/debezium; scripts/build-debezium-oracle.mjs builds it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { javaBuild } from './java-build.ts'

const repoRoot = path.resolve(import.meta.dirname, '../..')
const oracleDir = path.join(repoRoot, 'test', 'support', 'debezium')
/** Debezium 3.6.1.Final and Kafka 4.3.0's JsonConverter; the MariaDB connector's own build (see its pom.xml). */
const jar = path.join(oracleDir, 'postgres-mysql', 'target', 'debezium-oracle.jar')
const mariaDbJar = path.join(oracleDir, 'mariadb', 'target', 'debezium-oracle.jar')
/** A short-lived JVM: C1 only and the serial collector start it sooner on a small machine. */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC']
const STDERR_TAIL = 16_000

/** A Kafka Connect schema as JsonConverter writes it. */
export interface ConnectSchema {
  type: string
  optional: boolean
  name?: string
  version?: number
  doc?: string
  parameters?: Record<string, string>
  default?: unknown
  field?: string
  fields?: ConnectSchema[]
  items?: ConnectSchema
  keys?: ConnectSchema
  values?: ConnectSchema
}

export interface ConnectEnvelope {
  schema: ConnectSchema | null
  payload: unknown
}

/** One change event; `keyJson`/`valueJson` are JsonConverter's bytes verbatim, for byte-for-byte checks. */
export interface DebeziumRecord {
  topic: string
  key: ConnectEnvelope | null
  value: ConnectEnvelope | null
  keyJson: string | null
  valueJson: string | null
  /** The whole line as the oracle wrote it, without its newline. */
  line: string
}

export interface DebeziumRun {
  readonly outFile: string
  /** The events written so far. */
  records(): Promise<DebeziumRecord[]>
  /** All events so far once there are at least `count`; rejects on timeout or if the JVM ends first. */
  waitForRecords(count: number, timeoutMs?: number): Promise<DebeziumRecord[]>
  /** Resolves once the connector streams (its snapshot, if any, over). */
  waitForStreaming(timeoutMs?: number): Promise<void>
  /** Stops the engine and awaits the JVM's exit. */
  stop(): Promise<void>
}

/** The build (jar) that runs a connector class: the MariaDB connector's own, or the 3.6.1 one. */
export function oracleJar(connectorClass: string | undefined): string {
  return connectorClass?.startsWith('io.debezium.connector.mariadb.') === true ? mariaDbJar : jar
}

/** Builds the oracle if it is not yet (once per checkout; a lock keeps parallel workers to one build). */
export const ensureDebeziumOracle = javaBuild('build-debezium-oracle.mjs', 'building the Debezium oracle')

/** Java properties file text: keys and values escaped as Properties.load reads them. */
export function propertiesText(properties: Readonly<Record<string, string>>): string {
  const escapeProperty = (text: string) =>
    text.replace(/[\\=:#!\s]/g, (c) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t', '\f': '\\f' })[c] ?? `\\${c}`)
  return Object.entries(properties)
    .map(([key, value]) => `${escapeProperty(key)}=${escapeProperty(value)}\n`)
    .join('')
}

/** Where the JSON value (null, a string, an object or an array) that starts at `from` ends. */
function jsonEnd(text: string, from: number): number {
  if (text.startsWith('null', from)) return from + 4
  let depth = 0
  for (let i = from; i < text.length; i++) {
    const c = text[i]
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++
      if (depth === 0) return i + 1
    } else if (c === '{' || c === '[') depth++
    else if ((c === '}' || c === ']') && --depth === 0) return i + 1
  }
  return -1
}

const TOPIC = '{"topic":'
const KEY = ',"key":'
const VALUE = ',"value":'

/** Splits `{"topic":T,"key":K,"value":V}` keeping K and V as the exact text JsonConverter wrote. */
export function parseOracleLine(line: string): DebeziumRecord {
  const topicEnd = line.startsWith(TOPIC) ? jsonEnd(line, TOPIC.length) : -1
  const keyStart = topicEnd + KEY.length
  const keyEnd = topicEnd > 0 && line.startsWith(KEY, topicEnd) ? jsonEnd(line, keyStart) : -1
  const valueStart = keyEnd + VALUE.length
  const valueEnd = keyEnd > 0 && line.startsWith(VALUE, keyEnd) ? jsonEnd(line, valueStart) : -1
  if (valueEnd < 0 || line.slice(valueEnd) !== '}') throw new Error(`not an oracle line: ${line}`)
  const keyJson = line.slice(keyStart, keyEnd)
  const valueJson = line.slice(valueStart, valueEnd)
  return {
    topic: JSON.parse(line.slice(TOPIC.length, topicEnd)) as string,
    key: JSON.parse(keyJson) as ConnectEnvelope | null,
    value: JSON.parse(valueJson) as ConnectEnvelope | null,
    keyJson: keyJson === 'null' ? null : keyJson,
    valueJson: valueJson === 'null' ? null : valueJson,
    line,
  }
}

function readRecords(outFile: string): DebeziumRecord[] {
  const text = fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8') : ''
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((line) => line !== '')
    .map(parseOracleLine)
}

/** Waits for `done()`, polling every 20 ms; fails at the deadline or when the JVM has exited. */
async function until(done: () => boolean, timeoutMs: number, child: ChildProcess, what: () => string, stderr: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the Debezium oracle exited (${child.exitCode ?? child.signalCode}) before ${what()}; its log ends:\n${stderr()}`)
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}; the oracle's log ends:\n${stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Starts Debezium's engine with these properties (the whole engine config), writing events to `outFile`. */
export async function runDebezium(options: { properties: Readonly<Record<string, string>>; outFile: string }): Promise<DebeziumRun> {
  const { properties, outFile } = options
  await ensureDebeziumOracle()
  const propertiesFile = `${outFile}.properties`
  fs.writeFileSync(propertiesFile, propertiesText(properties))
  fs.writeFileSync(outFile, '')
  const child = spawn('java', [...JVM_FLAGS, '-jar', oracleJar(properties['connector.class']), propertiesFile, outFile], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let log = ''
  let events = '' // a few short lines: the JVM's stdout carries only the oracle's own events
  child.stderr.setEncoding('utf8').on('data', (text: string) => (log = (log + text).slice(-STDERR_TAIL)))
  child.stdout.setEncoding('utf8').on('data', (text: string) => (events += text))
  const streaming = () => events.includes('{"event":"streaming"}\n')
  child.stdin.on('error', () => {}) // the JVM may be gone already when stop() closes it
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const spawnFailed = new Promise<never>((_, reject) => child.once('error', reject))
  spawnFailed.catch(() => {})
  let lines = 0
  let size = -1
  const countLines = () => {
    const now = fs.statSync(outFile).size
    if (now !== size) {
      size = now
      lines = fs.readFileSync(outFile, 'utf8').split('\n').length - 1
    }
    return lines
  }
  return {
    outFile,
    async records() {
      return readRecords(outFile)
    },
    async waitForRecords(count, timeoutMs = 60_000) {
      await Promise.race([
        spawnFailed,
        until(
          () => countLines() >= count,
          timeoutMs,
          child,
          () => `${count} events (${lines} so far in ${outFile})`,
          () => log,
        ),
      ])
      return readRecords(outFile)
    },
    async waitForStreaming(timeoutMs = 60_000) {
      await Promise.race([
        spawnFailed,
        until(
          streaming,
          timeoutMs,
          child,
          () => 'the connector to stream',
          () => log,
        ),
      ])
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM') // the JVM's shutdown hook closes the engine
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000)
      await exited
      clearTimeout(killer)
    },
  }
}

/**
 * A Java of version 19 or later when one is installed (TRIBUTARY_ORACLE_JAVA, or a JDK under
 * /usr/lib/jvm), else `java`. From Java 19 on, Double.toString and Float.toString print the shortest
 * digits that read back as the same number, as Tributary does; Java 17 prints more digits for some
 * numbers, so the converter round trips run on the newer Java.
 */
export function modernJava(): string {
  const chosen = process.env.TRIBUTARY_ORACLE_JAVA
  if (chosen !== undefined && chosen !== '') return chosen
  const root = '/usr/lib/jvm'
  const candidates = fs.existsSync(root) ? fs.readdirSync(root) : []
  const version = (name: string) => Number(/(?:^|-)(\d+)(?:[.-]|$)/.exec(name.replace(/^java-1\./, 'java-'))?.[1] ?? 0)
  const newest = candidates
    .filter((name) => version(name) >= 19 && fs.existsSync(path.join(root, name, 'bin', 'java')))
    .sort((a, b) => version(b) - version(a))[0]
  return newest === undefined ? 'java' : path.join(root, newest, 'bin', 'java')
}

/**
 * JsonConverter's own bytes for each line (an envelope's JSON text, or the {"bytes":…} form that
 * test/support/debezium's ConverterOracle describes): toConnectData then fromConnectData, in one JVM.
 * An answer is the bytes as text, 'null', or {"error":"…"}.
 */
export async function jsonConverterRoundTrip(lines: readonly string[]): Promise<string[]> {
  if (lines.some((line) => /[\r\n]/.test(line))) throw new Error('jsonConverterRoundTrip takes one-line JSON texts')
  await ensureDebeziumOracle()
  const child = spawn(modernJava(), [...JVM_FLAGS, '-jar', jar, 'convert'], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let log = ''
  // Decoded as a stream, so a character split between two chunks stays whole.
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text))
  child.stderr.setEncoding('utf8').on('data', (text: string) => (log = (log + text).slice(-STDERR_TAIL)))
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', resolve)
    child.stdin.end(lines.map((line) => `${line}\n`).join(''))
  })
  const answers = stdout.split('\n').slice(0, -1)
  if (code !== 0 || answers.length !== lines.length)
    throw new Error(`the JsonConverter oracle answered ${answers.length} of ${lines.length} lines (exit ${code}); its log ends:\n${log}`)
  return answers
}
