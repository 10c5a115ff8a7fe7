/**
 * A real Apache Kafka cluster for the tests that must meet one: three KRaft nodes, each a broker
 * and a controller, in JVMs of their own on free loopback ports, with a production cluster's
 * replication defaults (test/support/real-kafka-properties.ts). Kafka's jars come from Maven Central
 * (test/support/real-kafka, built by scripts/build-real-kafka.mjs on first use). Each node logs to
 * a file in the cluster's temp dir; a failure to start quotes the end of it. `kill(i)` is a SIGKILL,
 * a crash with no goodbye; `restart(i)` brings that node back on its own storage.
 * Options: `brokers` (3 by default; fewer nodes get fewer replicas), `profile` (`test`: small heaps
 * and cut-down broker settings for a machine shared with a test run; `stock`: the JVM flags of
 * Kafka's own start script and the broker's default settings, for measuring Kafka), `properties`
 * (server.properties of every node, over the profile's) and `parentDir` (where the cluster's temp
 * dir goes; the OS temp dir by default).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import kafkajs from 'kafkajs'
import { freePort } from './free-port.ts'
import { serverProperties, type RealKafkaNode, type RealKafkaProfile } from './real-kafka-properties.ts'
import { makeTempDir } from './temp-dir.ts'
import { javaBuild } from './java-build.ts'

const { Kafka, logLevel } = kafkajs

const repoRoot = path.resolve(import.meta.dirname, '../..')
const classpathFile = path.join(repoRoot, 'test', 'support', 'real-kafka', 'target', 'classpath.txt')
/** Small heaps and a quick start: two cores are shared with the rest of the test run. */
const JVM_FLAGS = [
  '-Xms64m',
  '-Xmx256m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-XX:+ExitOnOutOfMemoryError',
  '-Djava.awt.headless=true',
]
/** kafka-run-class.sh's KAFKA_JVM_PERFORMANCE_OPTS, which every tool of the release runs with. */
export const STOCK_JVM_FLAGS = [
  '-server',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-Djava.awt.headless=true',
]
/** What kafka-server-start.sh runs a broker with unless KAFKA_HEAP_OPTS says otherwise. */
const STOCK_BROKER_FLAGS = ['-Xmx1G', '-Xms1G', ...STOCK_JVM_FLAGS]
const LOG_TAIL = 6_000
const START_TIMEOUT_MS = 90_000

export interface RealKafka {
  /** host:port of each node's broker listener, by node index. */
  readonly brokers: string[]
  /** The process id of a node's JVM while it runs, by node index. */
  pid(index: number): number | undefined
  /** The node id leading a partition, as the cluster's metadata says now. */
  leaderOf(topic: string, partition: number): Promise<number>
  /** Kafka's node.id of the node at an index (the index plus one). */
  nodeId(index: number): number
  /** SIGKILLs the node and waits for its JVM to be gone. */
  kill(index: number): Promise<void>
  /** Starts a killed node again on its storage; resolves once it serves again. */
  restart(index: number): Promise<void>
  /** Kills every node and removes the cluster's files. */
  stop(): Promise<void>
}

/** Resolves Kafka's classpath if it is not yet (once per checkout; a lock keeps parallel workers to one build). */
export const ensureRealKafka = javaBuild('build-real-kafka.mjs', 'resolving the real Kafka broker')

/** Kafka's classpath (broker and the release's tools), resolved first if need be. */
export async function realKafkaClasspath(): Promise<string> {
  await ensureRealKafka()
  return fs.readFileSync(classpathFile, 'utf8').trim()
}

/** A cluster id as Kafka's Uuid prints one; never starting with '-', which the tool would read as a flag. */
function clusterId(): string {
  const id = randomBytes(16).toString('base64url')
  return id.startsWith('-') ? clusterId() : id
}

/** SIGKILLs a JVM and resolves once it is gone. */
function killNow(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

const tail = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').slice(-LOG_TAIL) : '(no log)')

/** Runs a JVM to its end; rejects with the end of its output when it fails. */
function runJava(args: readonly string[], logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'a')
    const child = spawn('java', [...JVM_FLAGS, ...args], { stdio: ['ignore', out, out] })
    fs.closeSync(out)
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`java ${args.slice(2).join(' ')} exited ${code}; its output ends:\n${tail(logFile)}`)),
    )
  })
}

/**
 * True once this broker answers and lists itself among the cluster's live brokers. Asking the
 * broker itself, not the cluster, matters after a restart: the others still list a killed node
 * until it is fenced.
 */
async function isServing(broker: string, nodeId: number): Promise<boolean> {
  const admin = new Kafka({
    brokers: [broker],
    clientId: 'real-kafka-probe',
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 0 },
  }).admin()
  try {
    await admin.connect()
    return (await admin.describeCluster()).brokers.some((listed) => listed.nodeId === nodeId)
  } catch {
    return false
  } finally {
    await admin.disconnect().catch(() => undefined)
  }
}

export interface RealKafkaOptions {
  readonly brokers?: number
  readonly profile?: RealKafkaProfile
  readonly properties?: Readonly<Record<string, string | number>>
  readonly parentDir?: string
}

export async function startRealKafka(options: RealKafkaOptions = {}): Promise<RealKafka> {
  const count = options.brokers ?? 3
  const profile = options.profile ?? 'test'
  const classpath = await realKafkaClasspath()
  const dir = await makeTempDir('tributary-real-kafka-', options.parentDir)
  const nodes: RealKafkaNode[] = []
  for (let i = 0; i < count; i++) {
    nodes.push({
      nodeId: i + 1,
      brokerPort: await freePort(),
      controllerPort: await freePort(),
      dataDir: path.join(dir.path, `node-${i + 1}`, 'data'),
    })
  }
  const brokers = nodes.map((node) => `127.0.0.1:${node.brokerPort}`)
  const configFile = (i: number) => path.join(dir.path, `node-${i + 1}`, 'server.properties')
  const logFile = (i: number) => path.join(dir.path, `node-${i + 1}`, 'kafka.log')
  const children: Array<ChildProcess | undefined> = []
  const killAll = () =>
    children.forEach((child) => {
      child?.kill('SIGKILL')
    })
  process.once('exit', killAll) // a test worker that dies takes its brokers with it

  const spawnNode = (i: number) => {
    const out = fs.openSync(logFile(i), 'a')
    const child = spawn(
      'java',
      [...(profile === 'stock' ? STOCK_BROKER_FLAGS : JVM_FLAGS), '-cp', classpath, 'kafka.Kafka', configFile(i)],
      { stdio: ['ignore', out, out] },
    )
    fs.closeSync(out)
    child.on('error', () => undefined) // seen as an exit below
    children[i] = child
  }
  const isDown = (i: number) => children[i] === undefined || children[i]!.exitCode !== null || children[i]!.signalCode !== null
  /** Waits until every wanted node serves; fails at once when one of them exits. */
  const waitServing = async (wanted: readonly number[]) => {
    const deadline = Date.now() + START_TIMEOUT_MS
    let waiting = [...wanted]
    for (;;) {
      const exited = waiting.find((i) => isDown(i))
      if (exited !== undefined) throw new Error(`Kafka node ${exited + 1} exited while starting; its log ends:\n${tail(logFile(exited))}`)
      const serving = await Promise.all(waiting.map((i) => isServing(brokers[i]!, nodes[i]!.nodeId)))
      waiting = waiting.filter((_, k) => !serving[k])
      if (waiting.length === 0) return
      if (Date.now() > deadline)
        throw new Error(
          `Kafka nodes ${waiting.map((i) => i + 1).join(',')} did not serve within ${START_TIMEOUT_MS} ms; node ${waiting[0]! + 1}'s log ends:\n${tail(logFile(waiting[0]!))}`,
        )
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }

  const stop = async () => {
    await Promise.all(children.map((child, i) => (isDown(i) ? undefined : killNow(child!))))
    process.removeListener('exit', killAll)
    await dir.remove()
  }

  try {
    const id = clusterId()
    await Promise.all(
      nodes.map(async (node, i) => {
        fs.mkdirSync(path.dirname(configFile(i)), { recursive: true })
        fs.writeFileSync(configFile(i), serverProperties(node, nodes, profile, options.properties))
        await runJava(['-cp', classpath, 'kafka.tools.StorageTool', 'format', '--cluster-id', id, '--config', configFile(i)], logFile(i))
      }),
    )
    nodes.forEach((_, i) => {
      spawnNode(i)
    })
    await waitServing(nodes.map((_, i) => i))
  } catch (error) {
    await stop()
    throw error
  }

  return {
    brokers,
    pid: (index) => (isDown(index) ? undefined : children[index]!.pid),
    async leaderOf(topic, partition) {
      const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin()
      await admin.connect()
      try {
        const [found] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics
        return found!.partitions.find((p) => p.partitionId === partition)!.leader
      } finally {
        await admin.disconnect()
      }
    },
    nodeId: (index) => nodes[index]!.nodeId,
    async kill(index) {
      if (!isDown(index)) await killNow(children[index]!)
    },
    async restart(index) {
      if (!isDown(index)) throw new Error(`Kafka node ${index + 1} is running; kill it first`)
      spawnNode(index)
      await waitServing([index])
    },
    stop,
  }
}
