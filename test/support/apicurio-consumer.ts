/**
 * A real JVM Kafka consumer with Apicurio's AvroKafkaDeserializer, for tests that prove what Tributary
 * writes in Confluent's Avro wire format is read on the JVM through Tributary's own registry. The Java
 * side is test/support/apicurio; scripts/build-apicurio-consumer.mjs builds it (npm's pretest does, or
 * the first test that needs it, which fails with the command to run when Java or Maven is missing).
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { javaBuild } from './java-build.ts'

const repoRoot = path.resolve(import.meta.dirname, '../..')
/** Apicurio Registry's serdes 2.6.13.Final and Kafka 4.3.0's client (see its pom.xml). */
const jar = path.join(repoRoot, 'test', 'support', 'apicurio', 'target', 'apicurio-consumer.jar')
/** A short-lived JVM: C1 only and the serial collector start it sooner on a small machine; the client logs warnings only. */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn']
const OUTPUT_TAIL = 16_000

/** Builds the consumer if it is not yet (once per checkout; a lock keeps parallel workers to one build). */
export const ensureApicurioConsumer = javaBuild('build-apicurio-consumer.mjs', 'building the Apicurio consumer')

export interface ApicurioConsumerOptions {
  /** host:port of a Kafka listener. */
  readonly bootstrap: string
  /** The registry's base URL; the consumer calls Apicurio's API under `/apis/registry/v2` there. */
  readonly registryUrl: string
  readonly topic: string
  readonly count: number
  readonly timeoutMs?: number
  /** Sent as the password of HTTP Basic. */
  readonly token?: string
}

/**
 * Reads `count` records from the start of the topic and returns one JSON text per record, as the JVM
 * printed it: {"topic","partition","offset","key","value"}, longs and decimals with all their digits.
 */
export async function consumeWithApicurio(options: ApicurioConsumerOptions): Promise<string[]> {
  await ensureApicurioConsumer()
  const timeoutMs = options.timeoutMs ?? 60_000
  const args = [
    ...JVM_FLAGS,
    '-jar',
    jar,
    options.bootstrap,
    options.registryUrl,
    options.topic,
    String(options.count),
    String(timeoutMs),
    ...(options.token === undefined ? [] : [options.token]),
  ]
  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let log = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text))
  child.stderr.setEncoding('utf8').on('data', (text: string) => (log = (log + text).slice(-OUTPUT_TAIL)))
  const code = await new Promise<number | string | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (exit, signal) => resolve(exit ?? signal))
  })
  const lines = stdout.split('\n').slice(0, -1)
  if (code !== 0 || lines.length !== options.count)
    throw new Error(`the Apicurio consumer read ${lines.length} of ${options.count} records (exit ${code}); its log ends:\n${log}`)
  return lines
}
