/**
 * Apache Kafka's Java client (kafka-clients 4.3.1, the reference client) as a test peer: the program
 * in test/support/kafka-java-client, run as a child JVM per role (a producer, a consumer, a group
 * member, an admin session) that prints what it sees as JSON lines. scripts/build-kafka-java-client.mjs
 * builds it (npm's pretest does, or the first test that needs it). Every failure names what was
 * awaited and ends with the tail of the client's log (its stderr).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { EventEmitter } from 'node:events'
import path from 'node:path'
import { startEmbeddedKafka, type EmbeddedKafka } from './embedded-kafka.ts'
import { javaBuild } from './java-build.ts'

const repoRoot = path.resolve(import.meta.dirname, '../..')
const jar = path.join(repoRoot, 'test', 'support', 'kafka-java-client', 'target', 'kafka-java-client.jar')
/** C1 only and the serial collector start a short-lived JVM sooner on a small machine; the client logs warnings only. */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn']
const LOG_TAIL = 8_000
const DEFAULT_WAIT_MS = 60_000

export const ensureKafkaJavaClient = javaBuild('build-kafka-java-client.mjs', 'building the Java Kafka client')

/** An embedded log and listener for the Java client to meet; `bootstrap` is its host:port. */
export type KafkaForJavaClient = EmbeddedKafka & { readonly bootstrap: string }

/** Starts the listener once the client is built, so no test's timeout pays for the build. */
export async function startKafkaForJavaClient(): Promise<KafkaForJavaClient> {
  await ensureKafkaJavaClient()
  const kafka = await startEmbeddedKafka()
  return Object.assign(kafka, { bootstrap: `127.0.0.1:${kafka.port}` })
}

export interface JavaRecord {
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers: ReadonlyArray<readonly [string, Buffer | null]>
}

export interface JavaRecordRead extends JavaRecord {
  readonly partition: number
  readonly offset: number
  readonly timestamp: number
}

/** What the client threw: the exception's simple class name and its message. */
export interface JavaError {
  readonly error: string
  readonly message: string
}

type Line = Record<string, unknown>

/** One running client JVM: its JSON lines as they come, and its log's tail for errors. */
export class JavaProcess {
  readonly lines: Line[] = []
  private readonly child: ChildProcessWithoutNullStreams
  private readonly changed = new EventEmitter()
  private log = ''
  private exitCode: number | string | null | undefined

  constructor(command: string, args: readonly string[]) {
    this.child = spawn('java', [...JVM_FLAGS, '-jar', jar, command, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    let partial = ''
    this.child.stdout.setEncoding('utf8').on('data', (text: string) => {
      const parts = (partial + text).split('\n')
      partial = parts.pop() ?? ''
      for (const part of parts) {
        // Only the program prints on stdout; anything else there is kept with its log.
        if (part.startsWith('{')) this.lines.push(JSON.parse(part) as Line)
        else this.log = `${this.log}${part}\n`.slice(-LOG_TAIL)
      }
      this.changed.emit('change')
    })
    this.child.stderr.setEncoding('utf8').on('data', (text: string) => (this.log = (this.log + text).slice(-LOG_TAIL)))
    this.child.once('close', (code, signal) => {
      this.exitCode = code ?? signal
      this.changed.emit('change')
    })
    // No JVM at all (java not on PATH): an exit whose log says why.
    this.child.once('error', (error) => {
      this.log += `could not run java: ${error.message}\n`
      this.exitCode ??= 'spawn failure'
      this.changed.emit('change')
    })
    this.child.stdin.on('error', () => {}) // a JVM that has exited no longer reads: its exit says why
  }

  get hasExited(): boolean {
    return this.exitCode !== undefined
  }

  /** Writes lines to the program's stdin; `end` closes it after them. */
  write(lines: readonly string[], end = false): void {
    const text = lines.map((line) => `${line}\n`).join('')
    if (end) this.child.stdin.end(text)
    else this.child.stdin.write(text)
  }

  /** Resolves once `condition` holds (checked on every line printed); rejects on a timeout, or when the JVM exits first. */
  async until<T>(condition: () => T | undefined | false, what: string, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
    return untilAll([this], condition, what, timeoutMs)
  }

  /** Resolves with the exit code once the JVM has exited. */
  async exited(timeoutMs = DEFAULT_WAIT_MS): Promise<number | string | null> {
    await this.until(() => this.hasExited, 'the client to exit', timeoutMs).catch((error: unknown) => {
      if (!this.hasExited) throw error
    })
    return this.exitCode ?? null
  }

  kill(): void {
    if (!this.hasExited) this.child.kill('SIGKILL')
  }

  describe(what: string): Error {
    const recent = this.lines
      .slice(-5)
      .map((line) => JSON.stringify(line))
      .join('\n')
    return new Error(
      `the Java client did not ${what} (exit ${String(this.exitCode ?? 'pending')}); its last lines:\n${recent}\nits log ends:\n${this.log}`,
    )
  }

  /** @internal one change event of this process, for untilAll. */
  onChange(listener: () => void): () => void {
    this.changed.on('change', listener)
    return () => this.changed.off('change', listener)
  }
}

/** Resolves once `condition` holds, checked whenever any of `processes` prints or exits. */
export async function untilAll<T>(
  processes: readonly JavaProcess[],
  condition: () => T | undefined | false,
  what: string,
  timeoutMs = DEFAULT_WAIT_MS,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stops: Array<() => void> = []
    const finish = (settle: () => void): void => {
      clearTimeout(timer)
      for (const stop of stops) stop()
      settle()
    }
    const check = (): void => {
      const value = condition()
      if (value !== undefined && value !== false) {
        finish(() => resolve(value))
        return
      }
      const exited = processes.find((p) => p.hasExited)
      if (exited) finish(() => reject(exited.describe(what)))
    }
    const timer = setTimeout(() => finish(() => reject(processes[0]!.describe(`${what} within ${timeoutMs} ms`))), timeoutMs)
    for (const p of processes) stops.push(p.onChange(check))
    check()
  })
}

const base64 = (bytes: Buffer | null): string => (bytes === null ? '-' : bytes.toString('base64'))
const bytes = (text: unknown): Buffer | null => (typeof text === 'string' ? Buffer.from(text, 'base64') : null)

/** A record line printed by `consume` or `member`, with its bytes decoded. */
export function recordOf(line: Line): JavaRecordRead {
  return {
    partition: line.partition as number,
    offset: line.offset as number,
    timestamp: line.timestamp as number,
    key: bytes(line.key),
    value: bytes(line.value),
    headers: (line.headers as Array<[string, string | null]>).map(([key, value]) => [key, bytes(value)] as const),
  }
}

function errorOf(process: JavaProcess, what: string): Error {
  const failure = process.lines.find((line) => 'error' in line)
  return failure ? new Error(`${what}: the Java client threw ${String(failure.error)}: ${String(failure.message)}`) : process.describe(what)
}

/**
 * Sends `records` with an idempotent producer (enable.idempotence=true, acks=all) and `compression`,
 * and returns where each landed, in the order sent.
 */
export async function javaProduce(
  bootstrap: string,
  topic: string,
  compression: string,
  records: readonly JavaRecord[],
): Promise<Array<{ partition: number; offset: number }>> {
  await ensureKafkaJavaClient()
  const producer = new JavaProcess('produce', [bootstrap, topic, compression])
  producer.write(
    records.map((r) => [base64(r.key), base64(r.value), ...r.headers.flatMap(([k, v]) => [base64(Buffer.from(k)), base64(v)])].join('\t')),
    true,
  )
  if ((await producer.exited(120_000)) !== 0) throw errorOf(producer, `produce ${records.length} records to ${topic}`)
  return producer.lines.map((line) => ({ partition: line.partition as number, offset: line.offset as number }))
}

/** Reads the first `count` records of every partition of `topic`, without a group, at the isolation level given. */
export async function javaConsume(
  bootstrap: string,
  topic: string,
  count: number,
  timeoutMs = 60_000,
  isolation: 'read_uncommitted' | 'read_committed' = 'read_uncommitted',
): Promise<JavaRecordRead[]> {
  await ensureKafkaJavaClient()
  const consumer = new JavaProcess('consume', [bootstrap, topic, String(count), String(timeoutMs), isolation])
  if ((await consumer.exited(timeoutMs + 30_000)) !== 0) throw errorOf(consumer, `consume ${count} records of ${topic}`)
  return consumer.lines.map(recordOf)
}

/** A consumer-group member (Member.java); its events are its lines. */
export class JavaMember extends JavaProcess {
  /** The partitions it owns now, from its assigned, revoked and lost events. */
  owned(): number[] {
    const owned = new Set<number>()
    for (const line of this.lines) {
      const partitions = (line.partitions ?? []) as number[]
      if (line.event === 'assigned')
        partitions.forEach((p) => {
          owned.add(p)
        })
      if (line.event === 'revoked' || line.event === 'lost')
        partitions.forEach((p) => {
          owned.delete(p)
        })
    }
    return [...owned].sort((a, b) => a - b)
  }

  records(): JavaRecordRead[] {
    return this.lines.filter((line) => line.event === 'record').map(recordOf)
  }

  events(...kinds: string[]): Line[] {
    return this.lines.filter((line) => kinds.includes(line.event as string))
  }

  /** Commits what it read, leaves the group and exits. */
  async stop(): Promise<void> {
    this.write(['stop'], true)
    const code = await this.exited()
    if (code !== 0) throw errorOf(this, 'stop cleanly')
  }
}

/** A member of `group`; with `instanceId`, a static one (group.instance.id). */
export async function startJavaMember(
  bootstrap: string,
  group: string,
  topic: string,
  protocol: 'classic' | 'consumer',
  instanceId?: string,
): Promise<JavaMember> {
  await ensureKafkaJavaClient()
  return new JavaMember('member', [bootstrap, group, topic, protocol, ...(instanceId === undefined ? [] : [instanceId])])
}

/** A client session that answers each command line with one JSON line: the Admin client, a transactional producer. */
class JavaSession {
  protected readonly process: JavaProcess

  protected constructor(process: JavaProcess) {
    this.process = process
  }

  /** The operation's result, or what the client threw (as a value, so a test can assert it). */
  async call<T = unknown>(operation: string, ...args: ReadonlyArray<string | number>): Promise<{ ok: T } | JavaError> {
    const answered = this.process.lines.length
    this.process.write([[operation, ...args].join('\t')])
    return (await this.process.until(() => this.process.lines[answered], `answer ${operation} ${args.join(' ')}`)) as { ok: T } | JavaError
  }

  /** The operation's result; throws when the client threw. */
  async ok<T = unknown>(operation: string, ...args: ReadonlyArray<string | number>): Promise<T> {
    const answer = await this.call<T>(operation, ...args)
    if ('error' in answer) throw new Error(`${operation} ${args.join(' ')}: the Java client threw ${answer.error}: ${answer.message}`)
    return answer.ok
  }

  async close(): Promise<void> {
    this.process.write([], true)
    await this.process.exited()
  }
}

/** An Admin client session: one operation at a time, each answered by one line. */
export class JavaAdmin extends JavaSession {
  static async open(bootstrap: string): Promise<JavaAdmin> {
    await ensureKafkaJavaClient()
    return new JavaAdmin(new JavaProcess('admin', [bootstrap]))
  }
}

/**
 * A transactional producer (Transactional.java): `init`, `begin`, `commit`, `abort`,
 * `send topic key value` and `offsets group topic partition offset`, one at a time.
 */
export class JavaTransactionalProducer extends JavaSession {
  static async open(bootstrap: string, transactionalId: string, transactionTimeoutMs = 60_000): Promise<JavaTransactionalProducer> {
    await ensureKafkaJavaClient()
    return new JavaTransactionalProducer(new JavaProcess('transactional', [bootstrap, transactionalId, String(transactionTimeoutMs)]))
  }

  /** Kills the JVM at once: no commit, no abort, no goodbye. */
  kill(): void {
    this.process.kill()
  }
}
