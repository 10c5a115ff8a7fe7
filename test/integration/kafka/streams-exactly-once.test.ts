/**
 * Kafka Streams 4.3.1's WordCountDemo with `processing.guarantee=exactly_once_v2` against the Kafka
 * listener of a `tributary run` in a process of its own, so that both sides can be killed: the
 * Streams JVM is SIGKILLed while a transaction of its has written counts to the output (again, up
 * to three times, when that transaction committed between the look and the kill), and so is
 * the worker, which then starts again on the same data directory and port while the application
 * keeps running. The restarted application rebuilds its counts from the changelog (read_committed).
 * What read_committed sees on the output must be what one uninterrupted run would have written:
 * the demo keeps no record cache, so every occurrence of a word emits its next count, and the
 * committed counts of each word must read 1, 2, 3 … up to its number of occurrences, no count
 * repeated (an input record processed twice) or missing. The aborted transactions are on the log
 * too: read_uncommitted sees more records than read_committed.
 */
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KafkaLog } from '../../../core/kafka/kafka-log.ts'
import type { IsolationLevel } from '../../../core/log/log.ts'
import { freePort } from '../../support/free-port.ts'
import { startJvm, untilJvm, writeProperties, type Jvm } from '../../support/kafka-connect-streams.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { spawnWorker, type WorkerProcess } from '../../support/worker-process.ts'

const APPLICATION_ID = 'word-count-eos-test'
const INPUT = 'streams-plaintext-input'
const OUTPUT = 'streams-wordcount-output'
const PARTITIONS = 2
const WAIT_MS = 60_000
/** Input lines fed at a time while looking for an open transaction, and how long each is looked for at (every LOOK_MS). */
const CHUNK_LINES = 300
const CHUNK_MS = 1000
const LOOK_MS = 50
const VOCABULARY = Array.from({ length: 40 }, (_, i) => `w${i.toString(36)}`)

let dir: Awaited<ReturnType<typeof makeTempDir>>
let kafkaPort: number
let worker: WorkerProcess | undefined
let log: KafkaLog | undefined
let streams: Jvm | undefined
let streamsRuns = 0

beforeAll(async () => {
  dir = await makeTempDir('tributary-streams-eos-')
  fs.mkdirSync(path.join(dir.path, 'config'))
  kafkaPort = await freePort()
  await startWorker()
  await log!.createTopic(INPUT, { partitions: PARTITIONS })
  await log!.createTopic(OUTPUT, { partitions: PARTITIONS })
})

afterAll(async () => {
  await streams?.kill()
  await log?.close()
  worker?.child.kill('SIGKILL')
  await worker?.exited
  await dir?.remove()
})

/** The worker on the test's data directory and listener port (the same ones after a kill), and a client of it. */
async function startWorker(): Promise<void> {
  worker = await spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, 'data'), { TRIBUTARY_KAFKA_PORT: String(kafkaPort) })
  log = await KafkaLog.connect({ brokers: [`127.0.0.1:${kafkaPort}`], clientId: 'streams-eos-test' })
}

/** SIGKILL: the worker has no chance to flush, end a transaction or say goodbye to a client. */
async function killWorker(): Promise<void> {
  await log!.close()
  worker!.child.kill('SIGKILL')
  expect(await worker!.exited).toBe('SIGKILL')
}

/**
 * The demo on one state directory throughout, as a restarted instance on the same host has: its
 * process id, and so its transactional id, is the one the killed instance had, which fences that
 * instance and aborts its open transaction at once instead of after transaction.timeout.ms.
 */
async function startWordCount(): Promise<Jvm> {
  const run = ++streamsRuns
  const properties = path.join(dir.path, `streams-${run}.properties`)
  writeProperties(properties, {
    'application.id': APPLICATION_ID,
    'bootstrap.servers': `127.0.0.1:${kafkaPort}`,
    'state.dir': path.join(dir.path, 'state'),
    'processing.guarantee': 'exactly_once_v2',
    // Many small transactions, so a kill finds one open.
    'commit.interval.ms': 100,
    'producer.transaction.timeout.ms': 10_000,
    'session.timeout.ms': 6000,
    'heartbeat.interval.ms': 1000,
  })
  return startJvm('org.apache.kafka.streams.examples.wordcount.WordCountDemo', [properties], path.join(dir.path, `streams-${run}.log`))
}

/** Lines of five words of the vocabulary, different for every round. */
function lines(round: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    Array.from({ length: 5 }, (_, j) => VOCABULARY[(round * 7 + i * 3 + j * j * 11) % VOCABULARY.length]).join(' '),
  )
}

async function produce(input: readonly string[]): Promise<void> {
  await log!.append(
    INPUT,
    input.map((line, i) => ({ key: null, value: Buffer.from(line), partition: i % PARTITIONS })),
  )
}

function countWords(input: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const word of input.flatMap((line) => line.split(' '))) counts[word] = (counts[word] ?? 0) + 1
  return counts
}

/** Every count on the output in offset order, per word (each word has one partition), as `isolation` sees them. */
async function outputCounts(isolation: IsolationLevel): Promise<Record<string, number[]>> {
  const counts: Record<string, number[]> = {}
  for (let partition = 0; partition < PARTITIONS; partition++) {
    for (let offset = 0; ; ) {
      const read = await log!.read(OUTPUT, partition, offset, { maxWaitMs: 0, isolation })
      for (const record of read.records) {
        const key = record.key!.toString('utf8')
        counts[key] ??= []
        counts[key].push(Number(record.value!.readBigInt64BE()))
      }
      const end = isolation === 'read_committed' ? read.lastStableOffset : read.highWatermark
      if (read.nextOffset >= end || read.nextOffset === offset) break
      offset = read.nextOffset
    }
  }
  return counts
}

const latest = (counts: Record<string, number[]>): Record<string, number> =>
  Object.fromEntries(Object.entries(counts).map(([word, seen]) => [word, seen.at(-1)!]))
const sorted = (counts: Record<string, number>): string => JSON.stringify(Object.entries(counts).sort())
const total = (counts: Record<string, number[]>): number => Object.values(counts).reduce((sum, seen) => sum + seen.length, 0)

/** Waits until the committed output's latest counts are `expected`. */
async function untilCounts(jvm: Jvm, what: string, expected: Record<string, number>): Promise<void> {
  await untilJvm(
    jvm,
    what,
    async () => sorted(latest(await outputCounts('read_committed'))),
    (seen) => seen === sorted(expected),
    WAIT_MS,
  )
}

/** True while a transaction of the application has written to the output and is still open (the LSO is behind the high watermark). */
async function openTransactionOnOutput(): Promise<boolean> {
  for (let partition = 0; partition < PARTITIONS; partition++) {
    const end = await log!.listOffset(OUTPUT, partition, 'latest')
    const read = await log!.read(OUTPUT, partition, end, { maxWaitMs: 0 })
    if (read.lastStableOffset < read.highWatermark) return true
  }
  return false
}

/**
 * Feeds the application input, a chunk at a time, until a transaction of its is seen open on the
 * output: a burst it has finished before a look would leave nothing to kill it in the middle of.
 */
async function feedUntilOpenTransaction(jvm: Jvm, feed: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + WAIT_MS
  while (Date.now() < deadline) {
    await feed()
    const chunkDeadline = Date.now() + CHUNK_MS
    while (Date.now() < chunkDeadline) {
      if (await openTransactionOnOutput()) return
      if (!jvm.isRunning())
        throw new Error(`the JVM exited (${await jvm.exited}) before a transaction was seen open; its log ends:\n${jvm.logTail()}`)
      await delay(LOOK_MS)
    }
  }
  throw new Error(`no transaction seen open on the output in ${WAIT_MS} ms; the JVM's log ends:\n${jvm.logTail()}`)
}

describe("Kafka Streams 4.3.1 WordCountDemo, exactly_once_v2, on a worker's listener", () => {
  it('counts every word exactly once across a kill -9 of the application and one of the worker', async () => {
    const produced: string[] = []
    let rounds = 0
    const round = async (count: number) => {
      const input = lines(++rounds, count)
      await produce(input)
      produced.push(...input)
    }

    await round(100)
    streams = await startWordCount()
    await untilCounts(streams, 'the counts of the first round', countWords(produced))

    // kill -9 of the application inside a transaction; more input arrives while it is down. The
    // transaction seen open may have committed between the look and the kill: then kill it again.
    for (let attempt = 1; ; attempt++) {
      await feedUntilOpenTransaction(streams, () => round(CHUNK_LINES))
      await streams.kill()
      const killedInside = await openTransactionOnOutput()
      await round(100)
      streams = await startWordCount()
      await untilCounts(streams, "the counts after the application's kill", countWords(produced))
      if (killedInside || attempt === 3) break
    }
    // Under EOS a store left without a checkpoint is wiped and rebuilt from the changelog's committed records.
    expect(streams.log()).toMatch(/wipe out the local state of task/)
    expect(streams.log()).toMatch(/Finished restoring changelog \S+ to store \S+ with a total number of [1-9]\d* records/)

    // kill -9 of the worker inside a transaction; the application rides it out and goes on.
    await feedUntilOpenTransaction(streams, () => round(CHUNK_LINES))
    await killWorker()
    await startWorker()
    await round(100)
    await untilCounts(streams, "the counts after the worker's kill", countWords(produced))
    expect(streams.isRunning()).toBe(true)

    // Each word's committed counts are 1 … n: no occurrence counted twice or skipped.
    const committed = await outputCounts('read_committed')
    const expected = countWords(produced)
    expect(Object.keys(committed).sort()).toEqual(Object.keys(expected).sort())
    for (const [word, seen] of Object.entries(committed))
      expect(seen, word).toEqual(Array.from({ length: expected[word]! }, (_, i) => i + 1))
    // The kills left aborted counts on the log, which read_committed skipped.
    expect(total(await outputCounts('read_uncommitted'))).toBeGreaterThan(total(committed))
  }, 150_000)
})
