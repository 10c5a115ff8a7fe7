/**
 * Unmodified Kafka clients against the listener: kafkajs, kcat (librdkafka) and kafka-python each
 * produce keyed records with headers, and each of the three reads what the others wrote, identically.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Kafka, logLevel, type Producer } from 'kafkajs'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { KafkaListener } from '../../../core/kafka/server/listener.ts'
import {
  byPosition,
  kcatConsume,
  kcatProduce,
  pythonConsume,
  pythonProduce,
  type ClientRecord,
  type RecordToSend,
} from '../../support/kafka-clients.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

let dir: Awaited<ReturnType<typeof makeTempDir>>
let log: EmbeddedLog
let listener: KafkaListener
let bootstrap: string
let kafka: Kafka

beforeAll(async () => {
  dir = await makeTempDir()
  log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
  listener = await KafkaListener.start({ log, port: 0 })
  bootstrap = `127.0.0.1:${listener.port}`
  kafka = new Kafka({ clientId: 'clients-test', brokers: [bootstrap], logLevel: logLevel.NOTHING })
})

afterAll(async () => {
  await listener?.close()
  await log?.close()
  await dir?.remove()
})

function records(prefix: string, count: number, headers: Record<string, string> = { source: prefix }): RecordToSend[] {
  return Array.from({ length: count }, (_, i) => ({ key: `${prefix}-key-${i % 7}`, value: `${prefix} value ${i} ✓`, headers }))
}

async function kafkajsConsume(topic: string, count: number): Promise<ClientRecord[]> {
  // kafkajs consumes only in groups; a fresh group reads from the beginning.
  const consumer = kafka.consumer({ groupId: `read-${topic}-${Date.now()}` })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  const seen: ClientRecord[] = []
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ partition, message }) => {
          const headers: Record<string, string> = {}
          for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v)
          seen.push({
            partition,
            offset: Number(message.offset),
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? null,
            headers,
          })
          if (seen.length >= count) resolve()
        },
      })
      .catch(reject)
  })
  await consumer.disconnect()
  return seen
}

describe('Kafka clients against the listener', () => {
  let producer: Producer

  beforeAll(async () => {
    producer = kafka.producer({ allowAutoTopicCreation: true })
    await producer.connect()
  })

  afterAll(async () => {
    await producer?.disconnect()
  })

  it('kafkajs produces keyed records with headers that kcat and kafka-python read identically', async () => {
    await log.createTopic('from-kafkajs', { partitions: 3 })
    const sent = records('kafkajs', 60)
    const acks = await producer.send({
      topic: 'from-kafkajs',
      messages: sent.map((r) => ({ key: r.key, value: r.value, headers: { ...r.headers } })),
    })
    expect(acks.every((a) => a.errorCode === 0)).toBe(true)

    const viaKcat = byPosition(await kcatConsume(bootstrap, 'from-kafkajs', sent.length))
    const viaPython = byPosition(await pythonConsume(bootstrap, 'from-kafkajs', sent.length))
    expect(viaKcat).toHaveLength(sent.length)
    expect(viaPython).toEqual(viaKcat)
    expect(new Set(viaKcat.map((r) => r.partition)).size).toBe(3)
    expect(viaKcat.map((r) => r.value).sort()).toEqual(sent.map((r) => r.value).sort())
    expect(viaKcat.every((r) => r.headers.source === 'kafkajs')).toBe(true)
    // The same key always lands on the same partition.
    const partitionOfKey = new Map<string, number>()
    for (const r of viaKcat) {
      expect(partitionOfKey.get(r.key!) ?? r.partition).toBe(r.partition)
      partitionOfKey.set(r.key!, r.partition)
    }
  })

  it('kcat produces records that kafkajs and kafka-python read identically', async () => {
    await log.createTopic('from-kcat', { partitions: 2 })
    const sent = records('kcat', 40)
    await kcatProduce(bootstrap, 'from-kcat', sent)
    const viaPython = byPosition(await pythonConsume(bootstrap, 'from-kcat', sent.length))
    const viaKafkajs = byPosition(await kafkajsConsume('from-kcat', sent.length))
    expect(viaPython).toHaveLength(sent.length)
    expect(viaKafkajs).toEqual(viaPython)
    expect(viaPython.map((r) => r.value).sort()).toEqual(sent.map((r) => r.value).sort())
    expect(viaPython.every((r) => r.headers.source === 'kcat')).toBe(true)
  })

  it('kafka-python produces records that kcat and kafkajs read identically', async () => {
    const sent = records('python', 30)
    await pythonProduce(bootstrap, 'from-python', sent)
    const viaKcat = byPosition(await kcatConsume(bootstrap, 'from-python', sent.length))
    const viaKafkajs = byPosition(await kafkajsConsume('from-python', sent.length))
    expect(viaKcat).toHaveLength(sent.length)
    expect(viaKafkajs).toEqual(viaKcat)
    expect(viaKcat.map((r) => r.value)).toEqual(sent.map((r) => r.value))
    expect(viaKcat.every((r) => r.headers.source === 'python')).toBe(true)
  })

  it('what a Kafka client produced, the in-process log reads as the same records', async () => {
    await producer.send({ topic: 'cross-check', messages: [{ key: 'k', value: 'v', headers: { h: 'x' }, timestamp: '1700000000000' }] })
    const read = await log.read('cross-check', 0, 0)
    expect(read.records).toHaveLength(1)
    expect(read.records[0]).toMatchObject({ offset: 0, timestamp: 1700000000000 })
    expect(read.records[0]!.key?.toString()).toBe('k')
    expect(read.records[0]!.headers[0]).toMatchObject({ key: 'h' })
  })
})
