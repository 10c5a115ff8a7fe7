/**
 * Kafka Streams 4.3.1's WordCountDemo (kafka-streams-examples, unchanged: it reads a properties file
 * named by its one argument) with Tributary's listener as its Kafka: the Streams assignor in a
 * classic consumer group, the repartition and changelog topics it creates through the Admin client,
 * the purge of consumed repartition records (DeleteRecords), and at-least-once processing. The latest count per word on streams-wordcount-output must equal the
 * counts computed here, before and after a restart that rebuilds the counts from the changelog.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmbeddedKafka, type EmbeddedKafka } from '../../support/embedded-kafka.ts'
import { startJvm, untilJvm, writeProperties, type Jvm } from '../../support/kafka-connect-streams.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

const APPLICATION_ID = 'word-count-test'
const INPUT = 'streams-plaintext-input'
const OUTPUT = 'streams-wordcount-output'
const PARTITIONS = 2
// The names Streams gives the internal topics of the demo's count(): the application id, the
// operator's generated name, and what each is for.
const REPARTITION = `${APPLICATION_ID}-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition`
const CHANGELOG = `${APPLICATION_ID}-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog`
const COUNT_TIMEOUT_MS = 60_000

let kafka: EmbeddedKafka
let dir: Awaited<ReturnType<typeof makeTempDir>>
let streams: Jvm | undefined

beforeAll(async () => {
  kafka = await startEmbeddedKafka()
  dir = await makeTempDir('tributary-streams-')
  await kafka.log.createTopic(INPUT, { partitions: PARTITIONS })
  await kafka.log.createTopic(OUTPUT, { partitions: PARTITIONS })
})

afterAll(async () => {
  await streams?.stop()
  await kafka?.stop()
  await dir?.remove()
})

/** Starts the demo with a state directory of its own, so a second run restores its counts from the changelog. */
async function startWordCount(run: number): Promise<Jvm> {
  const properties = path.join(dir.path, `streams-${run}.properties`)
  writeProperties(properties, {
    'application.id': APPLICATION_ID,
    'bootstrap.servers': `127.0.0.1:${kafka.port}`,
    'state.dir': path.join(dir.path, `state-${run}`),
    'processing.guarantee': 'at_least_once',
    'commit.interval.ms': 100,
    // Purge the repartition topic after each commit (Admin deleteRecords), as a long-running app does every 30 s.
    'repartition.purge.interval.ms': 100,
    // Streams leaves its group without a LeaveGroup on close, so the restarted app's rebalance waits
    // for the stopped member's session to time out: Kafka's smallest allowed timeout keeps that short.
    'session.timeout.ms': 6000,
    'heartbeat.interval.ms': 1000,
  })
  return startJvm('org.apache.kafka.streams.examples.wordcount.WordCountDemo', [properties], path.join(dir.path, `streams-${run}.log`))
}

async function produce(lines: readonly string[]): Promise<void> {
  // Keyless lines, as a console producer sends them, dealt over the input's partitions.
  await kafka.log.append(
    INPUT,
    lines.map((line, i) => ({ key: null, value: Buffer.from(line), partition: i % PARTITIONS })),
  )
}

/** The demo's own split: lower case, then runs of non-word characters separate words (Java's split drops trailing empty strings). */
function countWords(lines: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  const words = (line: string) => {
    const parts = line.toLowerCase().split(/\W+/)
    while (parts.at(-1) === '') parts.pop()
    return parts
  }
  for (const word of lines.flatMap(words)) counts[word] = (counts[word] ?? 0) + 1
  return counts
}

/** The latest count of every word on the output topic: String keys, Long (8-byte big-endian) values. */
async function latestCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (let partition = 0; partition < PARTITIONS; partition++) {
    const end = await kafka.log.listOffset(OUTPUT, partition, 'latest')
    for (let offset = 0; offset < end; ) {
      const { records, nextOffset } = await kafka.log.read(OUTPUT, partition, offset, { maxWaitMs: 0 })
      for (const record of records) counts[record.key!.toString('utf8')] = Number(record.value!.readBigInt64BE())
      offset = nextOffset
    }
  }
  return counts
}

/** True once the application's group has committed every input record. */
async function committedAllInput(): Promise<boolean> {
  const { offsets } = await kafka.log.describeGroup(APPLICATION_ID)
  const input = offsets.filter((o) => o.topic === INPUT)
  return input.length === PARTITIONS && input.every((o) => o.lag === 0)
}

const sameCounts = (expected: Record<string, number>) => (actual: Record<string, number>) =>
  JSON.stringify(Object.entries(actual).sort()) === JSON.stringify(Object.entries(expected).sort())

describe('Kafka Streams 4.3.1 WordCountDemo on the listener', () => {
  it('counts words through its repartition and changelog topics, and carries the counts over a restart', async () => {
    const first = ['All streams lead to Kafka', 'hello Kafka Streams', 'join Kafka summit', 'streams, tables and topics: streams!']
    await produce(first)
    streams = await startWordCount(1)
    await untilJvm(streams, 'the counts of the first lines', latestCounts, sameCounts(countWords(first)), COUNT_TIMEOUT_MS)
    await untilJvm(streams, 'every input record committed', committedAllInput, (done) => done, COUNT_TIMEOUT_MS)

    // Streams made its internal topics through the Admin client with the configs it needs.
    expect((await kafka.log.describeTopic(REPARTITION)).config).toMatchObject({
      'cleanup.policy': 'delete',
      'retention.ms': -1,
      'message.timestamp.type': 'CreateTime',
    })
    expect((await kafka.log.describeTopic(CHANGELOG)).config).toMatchObject({
      'cleanup.policy': 'compact',
      'message.timestamp.type': 'CreateTime',
    })
    expect((await kafka.log.describeTopic(REPARTITION)).partitions).toHaveLength(PARTITIONS)
    // Streams purges the repartition records it has consumed (Admin deleteRecords after a commit).
    const purged = await untilJvm(
      streams,
      'the repartition records purged',
      async () => (await kafka.log.describeTopic(REPARTITION)).partitions,
      (partitions) => partitions.some((p) => p.highWatermark > 0) && partitions.every((p) => p.logStartOffset === p.highWatermark),
      COUNT_TIMEOUT_MS,
    )
    expect(purged.reduce((sum, p) => sum + p.logStartOffset, 0)).toBeGreaterThan(0)
    const group = await kafka.listener.broker.groups().then((coordinator) => coordinator.describeGroup(APPLICATION_ID))
    expect(group).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocolName: 'stream' })
    expect(await streams.stop()).toBe(143) // SIGTERM's exit, once the demo's shutdown hook has closed Streams

    const second = ['Kafka streams restore their state', 'from the changelog topic']
    await produce(second)
    streams = await startWordCount(2)
    await untilJvm(streams, 'the counts of all lines', latestCounts, sameCounts(countWords([...first, ...second])), COUNT_TIMEOUT_MS)
    await untilJvm(streams, 'every input record committed', committedAllInput, (done) => done, COUNT_TIMEOUT_MS)
    expect(streams.isRunning()).toBe(true)
  }, 150_000)
})
