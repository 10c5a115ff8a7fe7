/**
 * The release's own perf tools as Java clients of bench:kafka, run against either side:
 * `ProducerPerformance` (kafka-producer-perf-test: acks=all, fixed-size records, no throttle, its
 * other producer settings at their defaults) and `ConsumerPerformance` (kafka-consumer-perf-test,
 * a new group from the earliest offset). Each runs in a JVM of its own with the flags their scripts
 * use (-Xmx512M and kafka-run-class.sh's G1 options), from the classpath the real Kafka support
 * resolves. The rates are the tools' own, which leave JVM start-up out: the producer's from its
 * first send, the consumer's fetch rate, group join left out.
 */
import { realKafkaClasspath, STOCK_JVM_FLAGS } from '../../test/support/real-kafka.ts'
import { runTool } from '../lib/run-tool.ts'

const TOOL_JVM_FLAGS = ['-Xmx512M', ...STOCK_JVM_FLAGS]
const CONSUMER_TIMEOUT_MS = 60_000

export interface PerfToolResult {
  readonly ms: number
  /** The producer's own p99 over every record's send-to-acknowledgement latency. */
  readonly p99Ms?: number
}

/** Runs a tool to its end and returns what it printed on stdout. */
async function runPerfTool(tool: string, args: readonly string[]): Promise<string> {
  return runTool('java', [...TOOL_JVM_FLAGS, '-cp', await realKafkaClasspath(), `org.apache.kafka.tools.${tool}`, ...args], {
    keepStdout: true,
  })
}

/** The summary line: `N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, a ms 50th, b ms 95th, c ms 99th, d ms 99.9th.` */
const PRODUCER_SUMMARY = /(\d+) records sent, ([\d.]+) records\/sec .* (\d+(?:\.\d+)?) ms 99th,/

/**
 * `properties`: more client settings as `name=value` (TLS ones, say). `transaction`: a
 * transactional producer with this id, committing a transaction every `durationMs` (the tool's own
 * `--transactional-id` and `--transaction-duration-ms`); without it the producer is the plain
 * idempotent one (the Java producer's default with acks=all).
 */
export async function runProducerPerformance(
  bootstrap: string,
  topic: string,
  records: number,
  recordBytes: number,
  properties: readonly string[] = [],
  transaction?: { readonly id: string; readonly durationMs: number },
): Promise<PerfToolResult> {
  const txnArgs =
    transaction === undefined ? [] : ['--transactional-id', transaction.id, '--transaction-duration-ms', String(transaction.durationMs)]
  const out = await runPerfTool('ProducerPerformance', [
    '--bootstrap-server',
    bootstrap,
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--record-size',
    String(recordBytes),
    '--throughput',
    '-1',
    ...txnArgs,
    '--command-property',
    'acks=all',
    ...properties,
  ])
  const summary = out
    .split('\n')
    .map((line) => PRODUCER_SUMMARY.exec(line))
    .filter((match) => match !== null)
    .pop()
  if (summary === undefined || Number(summary[1]) !== records)
    throw new Error(`ProducerPerformance printed no summary of ${records} records:\n${out.slice(-2_000)}`)
  return { ms: (records * 1000) / Number(summary[2]), p99Ms: Number(summary[3]) }
}

/** Its report: a header line of comma-separated names, then a line of values. */
export async function runConsumerPerformance(
  bootstrap: string,
  topic: string,
  records: number,
  properties: readonly string[] = [],
): Promise<PerfToolResult> {
  const out = await runPerfTool('ConsumerPerformance', [
    '--bootstrap-server',
    bootstrap,
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--group',
    `bench-java-${Date.now()}`,
    '--timeout',
    String(CONSUMER_TIMEOUT_MS),
    ...properties.flatMap((property) => ['--command-property', property]),
  ])
  const lines = out.trim().split('\n')
  const header = lines.findIndex((line) => line.startsWith('start.time'))
  const names = lines[header]?.split(',').map((name) => name.trim()) ?? []
  const values = lines[header + 1]?.split(',').map((value) => value.trim()) ?? []
  const field = (name: string) => Number(values[names.indexOf(name)])
  if (header < 0 || field('data.consumed.in.nMsg') < records)
    throw new Error(`ConsumerPerformance read less than ${records} records:\n${out.slice(-2_000)}`)
  return { ms: field('fetch.time.ms') }
}
