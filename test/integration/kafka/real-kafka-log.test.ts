/**
 * KafkaLog on a real Apache Kafka cluster (three KRaft nodes, replication factor 3, two replicas in
 * sync to acknowledge), not Tributary's listener standing in for one: the Log suite and the group
 * member suite and the transaction suite, then a broker failover, where the partition's leader is SIGKILLed while appends
 * stream in. Every append that was acknowledged must survive the election, and appends go on
 * through the same KafkaLog. One cluster serves the whole file (it takes about 15 s to start); the
 * failover test runs last and brings its broker back.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isTributaryError } from '../../../core/errors.ts'
import type { Log } from '../../../core/log/log.ts'
import { runGroupConsumerSuite } from '../../support/group-consumer-suite.ts'
import { freshKafkaLog, kafkaLogUnderTest } from '../../support/kafka-log-under-test.ts'
import { runLogSuite } from '../../support/log-suite.ts'
import { startRealKafka, type RealKafka } from '../../support/real-kafka.ts'
import { runTransactionSuite } from '../../support/transaction-suite.ts'

let cluster: RealKafka

beforeAll(async () => {
  const started = Date.now()
  cluster = await startRealKafka({ brokers: 3 })
  process.stderr.write(`real Kafka cluster of 3 nodes up in ${Date.now() - started} ms\n`)
}, 300_000) // the first run resolves Kafka from Maven Central
afterAll(async () => {
  await cluster?.stop()
})

const freshLog = () => freshKafkaLog(cluster.brokers)

runLogSuite('KafkaLog on real Kafka', () => kafkaLogUnderTest(cluster.brokers))
runTransactionSuite('KafkaLog on real Kafka', () => kafkaLogUnderTest(cluster.brokers))

// Kafka's group.min.session.timeout.ms is 6 s by default: the session can be no shorter.
const groupTimings = { heartbeatIntervalMs: 100, sessionTimeoutMs: 6_000, rebalanceTimeoutMs: 10_000 }
runGroupConsumerSuite(
  'KafkaLog on real Kafka',
  async () => ({ ...(await kafkaLogUnderTest(cluster.brokers)), heartbeat: () => sleep(groupTimings.heartbeatIntervalMs * 4) }),
  groupTimings,
)

/** Every record of the partition, read from the start to its high watermark (retrying while a leader moves). */
async function readAll(log: Log, topic: string, partition: number): Promise<Map<number, string>> {
  const seen = new Map<number, string>()
  let offset = 0
  const deadline = Date.now() + 30_000
  for (;;) {
    try {
      const read = await log.read(topic, partition, offset)
      for (const record of read.records) seen.set(record.offset, record.value!.toString())
      offset = read.nextOffset
      if (offset >= read.highWatermark) return seen
    } catch (error) {
      if (!isTributaryError(error) || !error.retriable || Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}

describe('KafkaLog on real Kafka: broker failover', () => {
  it('keeps every acknowledged append when the leader is SIGKILLed mid-stream, and appends go on', async () => {
    const log = await freshLog()
    let killed: number | undefined
    try {
      const topic = 'failover'
      await log.createTopic(topic, { partitions: 1 })
      const leader = await cluster.leaderOf(topic, 0)
      const acked: Array<{ offset: number; value: string }> = []
      const failures: string[] = []
      let killing: Promise<void> | undefined
      let afterKill = 0
      let slowestMs = 0
      const deadline = Date.now() + 60_000
      for (let i = 0; afterKill < 100 && Date.now() < deadline; i++) {
        // Not awaited: the leader dies while the next appends are in flight.
        if (acked.length >= 100 && killing === undefined) {
          killed = leader - 1
          killing = cluster.kill(killed)
        }
        const values = [0, 1, 2].map((k) => `r${i}.${k}`)
        const started = Date.now()
        try {
          const results = await log.append(
            topic,
            values.map((value) => ({ key: null, value: Buffer.from(value), partition: 0 })),
          )
          results.forEach((result, k) => {
            acked.push({ offset: result.offset, value: values[k]! })
          })
          if (killing !== undefined) afterKill++
        } catch (error) {
          // What a caller would see while the election runs; the runtime retries what is retriable.
          if (!isTributaryError(error) || !error.retriable) throw error
          failures.push(`${error.code}: ${error.message}`)
        }
        slowestMs = Math.max(slowestMs, Date.now() - started)
      }
      await killing
      process.stderr.write(
        `failover: ${acked.length} records acknowledged, ${failures.length} appends failed while the leader moved${failures.length > 0 ? ` (first: ${failures[0]})` : ''}, slowest append ${slowestMs} ms\n`,
      )
      expect(afterKill).toBe(100)
      expect(await cluster.leaderOf(topic, 0)).not.toBe(leader)
      const stored = await readAll(log, topic, 0)
      for (const { offset, value } of acked) expect(stored.get(offset), `acknowledged ${value} at offset ${offset}`).toBe(value)
      // Acknowledged order is log order: each append got a higher offset than the one before.
      expect(acked.every((a, i) => i === 0 || a.offset > acked[i - 1]!.offset)).toBe(true)
    } finally {
      await log.close()
      if (killed !== undefined) await cluster.restart(killed)
    }
  }, 120_000)
})
