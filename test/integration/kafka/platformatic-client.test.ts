/**
 * @platformatic/kafka, a client that speaks only flexible protocol versions, against the listener:
 * its Producer writes keyed records with headers to a two-partition topic, its Consumer reads them
 * all in a group and commits (kafkajs' admin sees the commits), a second consumer of the group
 * resumes after the commit, and kcat reads the platformatic-produced records identically. Any request the listener cannot serve shows
 * up as its warning, and the test fails on it.
 */
import { Writable } from 'node:stream'
import { Consumer, Producer, stringDeserializers, stringSerializers, type Message } from '@platformatic/kafka'
import { Kafka, logLevel } from 'kafkajs'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { byPosition, kcatConsume, type ClientRecord } from '../../support/kafka-clients.ts'
import { startEmbeddedKafka, type EmbeddedKafka } from '../../support/embedded-kafka.ts'

type StringMessage = Message<string, string, string, string>

const warnings: Array<Record<string, unknown>> = []
const warningSink = new Writable({
  write(chunk, _encoding, done) {
    warnings.push(JSON.parse(String(chunk)) as Record<string, unknown>)
    done()
  },
})

let kafka: EmbeddedKafka
let bootstrap: string

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ logger: pino({ level: 'warn' }, warningSink) })
  bootstrap = `127.0.0.1:${kafka.port}`
})

afterAll(async () => {
  await kafka?.stop()
})

function producer(): Producer<string, string, string, string> {
  return new Producer({
    clientId: 'platformatic-producer',
    bootstrapBrokers: [bootstrap],
    serializers: stringSerializers,
    autocreateTopics: false,
  })
}

function consumer(groupId: string): Consumer<string, string, string, string> {
  return new Consumer({
    clientId: `platformatic-${groupId}`,
    groupId,
    bootstrapBrokers: [bootstrap],
    deserializers: stringDeserializers,
    maxWaitTime: 200,
    sessionTimeout: 10_000,
    heartbeatInterval: 500,
  })
}

/** Reads `count` messages from the stream (failing after `timeoutMs`) and commits the last of each partition. */
async function take(stream: AsyncIterable<StringMessage>, count: number, timeoutMs = 15_000): Promise<StringMessage[]> {
  const taken: StringMessage[] = []
  const deadline = setTimeout(() => {
    ;(stream as unknown as { destroy(e: Error): void }).destroy(new Error(`only ${taken.length} of ${count} messages in ${timeoutMs} ms`))
  }, timeoutMs)
  try {
    for await (const message of stream) {
      taken.push(message)
      if (taken.length === count) break
    }
  } finally {
    clearTimeout(deadline)
  }
  return taken
}

function asClientRecord(m: StringMessage): ClientRecord {
  return { partition: m.partition, offset: Number(m.offset), key: m.key, value: m.value, headers: Object.fromEntries(m.headers) }
}

describe('@platformatic/kafka against the listener', () => {
  it('produces, consumes in a group, commits, resumes after the commit, and kcat reads the same records', async () => {
    await kafka.log.createTopic('events', { partitions: 2 })
    const sent = Array.from({ length: 12 }, (_, i) => ({
      topic: 'events',
      key: `key-${i % 5}`,
      value: `event ${i} ✓`,
      headers: { source: 'platformatic', seq: String(i) },
    }))
    const p = producer()
    try {
      await p.send({ messages: sent })

      const first = consumer('platformatic-group')
      const stream = await first.consume({ topics: ['events'], mode: 'earliest', autocommit: false })
      const read = await take(stream, sent.length)
      for (const message of read) await message.commit()
      await stream.close()
      await first.close()

      // Keyed records land on both partitions, and each partition's records arrive in order.
      const records = byPosition(read.map(asClientRecord))
      expect(new Set(records.map((r) => r.partition))).toEqual(new Set([0, 1]))
      expect(records.map((r) => r.value).sort()).toEqual(sent.map((s) => s.value).sort())
      for (const r of records) expect(r.headers).toEqual(sent.find((s) => s.value === r.value)!.headers)

      // The commits are the group's, as kafkajs' admin (OffsetFetch) reads them. @platformatic/kafka 1.22
      // commits the offset of the last record it consumed (and resumes one past it), not Kafka's
      // next-offset-to-read, so the listener holds the last record's offset of each partition.
      const admin = new Kafka({ clientId: 'platformatic-check', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin()
      await admin.connect()
      try {
        const [committed] = await admin.fetchOffsets({ groupId: 'platformatic-group', topics: ['events'] })
        const lasts = [0, 1].map((partition) => Math.max(...records.filter((r) => r.partition === partition).map((r) => r.offset)))
        expect(committed!.partitions.map((p) => [p.partition, Number(p.offset)]).sort()).toEqual([
          [0, lasts[0]],
          [1, lasts[1]],
        ])
      } finally {
        await admin.disconnect()
      }

      // A second member of the group resumes after the commit: nothing old, only what is new. Without a
      // committed offset it fails rather than fall back to the log end.
      const second = consumer('platformatic-group')
      const resumed = await second.consume({ topics: ['events'], mode: 'committed', fallbackMode: 'fail', autocommit: false })
      await p.send({
        messages: [{ topic: 'events', key: 'late', value: 'after the commit', headers: { source: 'platformatic', seq: 'late' } }],
      })
      const next = await take(resumed, 1)
      expect(next.map((m) => [m.key, m.value, Object.fromEntries(m.headers)])).toEqual([
        ['late', 'after the commit', { source: 'platformatic', seq: 'late' }],
      ])
      await resumed.close()
      await second.close()

      // kcat (librdkafka) reads what platformatic wrote identically.
      const all = byPosition([...records, ...next.map(asClientRecord)])
      expect(byPosition(await kcatConsume(bootstrap, 'events', all.length))).toEqual(all)
    } finally {
      await p.close()
    }
    expect(warnings.map((w) => w.msg)).toEqual([])
  }, 60_000)
})
