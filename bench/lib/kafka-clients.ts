/**
 * The Node and kcat clients bench:kafka runs against either side (Tributary's listener or the Kafka
 * peer), each to its end and timed: the kafkajs and @platformatic/kafka producers (sends of
 * `sendSize` records, `inFlight` at a time, acks=all; every record's latency is its send's, so the
 * p99 is over sends; kafkajs' plain producer is not idempotent, its default), kafkajs' transactional
 * producer (a transaction per send, one at a time), the kafkajs consumer group from the start (timed from its join), and
 * kcat both ways (librdkafka batching, linger 20 ms; kcat reports no latency).
 */
import fs from 'node:fs'
import { Kafka, logLevel } from 'kafkajs'
import { Producer as PlatformaticProducer } from '@platformatic/kafka'
import { runTool } from './run-tool.ts'
import { latencySummary } from './stats.ts'

export interface ClientOptions {
  readonly records: number
  readonly valueBytes: number
  readonly sendSize: number
  readonly inFlight: number
  /** The CA that signed the listener's certificate when it serves TLS. */
  readonly caCerts?: Buffer[]
}

export interface LegTiming {
  readonly ms: number
  readonly p99Ms?: number
}

export function benchValue(i: number, valueBytes: number): Buffer {
  return Buffer.from(`record ${i} `.padEnd(valueBytes, 'x'))
}

export function kafkajsClient(bootstrap: string, caCerts: Buffer[] | undefined): Kafka {
  return new Kafka({ clientId: 'bench', brokers: [bootstrap], logLevel: logLevel.NOTHING, ...(caCerts && { ssl: { ca: caCerts } }) })
}

/** `inFlight` loops each sending the next `sendSize` records until all are sent. */
async function sendAll(o: ClientOptions, send: (start: number, count: number) => Promise<unknown>): Promise<LegTiming> {
  const latencies: number[] = []
  let next = 0
  const started = performance.now()
  const sender = async (): Promise<void> => {
    while (next < o.records) {
      const start = next
      next += o.sendSize
      const sentAt = performance.now()
      await send(start, Math.min(o.sendSize, o.records - start))
      latencies.push(performance.now() - sentAt)
    }
  }
  await Promise.all(Array.from({ length: o.inFlight }, sender))
  return { ms: performance.now() - started, p99Ms: latencySummary(latencies).p99 }
}

export async function kafkajsProduce(bootstrap: string, topic: string, o: ClientOptions): Promise<LegTiming> {
  const producer = kafkajsClient(bootstrap, o.caCerts).producer({ allowAutoTopicCreation: false })
  await producer.connect()
  try {
    return await sendAll(o, (start, count) =>
      producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: count }, (_, i) => ({ value: benchValue(start + i, o.valueBytes) })),
      }),
    )
  } finally {
    await producer.disconnect()
  }
}

/**
 * kafkajs' transactional producer (idempotent, one request in flight, as kafkajs requires): each
 * send of `sendSize` records in a transaction of its own, committed before the next begins.
 */
export async function kafkajsProduceTxn(bootstrap: string, topic: string, o: ClientOptions): Promise<LegTiming> {
  const producer = kafkajsClient(bootstrap, o.caCerts).producer({
    allowAutoTopicCreation: false,
    transactionalId: `bench-${topic}-${Date.now()}`,
    idempotent: true,
    maxInFlightRequests: 1,
  })
  await producer.connect()
  try {
    return await sendAll({ ...o, inFlight: 1 }, async (start, count) => {
      const transaction = await producer.transaction()
      try {
        await transaction.send({
          topic,
          acks: -1,
          messages: Array.from({ length: count }, (_, i) => ({ value: benchValue(start + i, o.valueBytes) })),
        })
      } catch (error) {
        await transaction.abort()
        throw error
      }
      await transaction.commit()
    })
  } finally {
    await producer.disconnect()
  }
}

export async function platformaticProduce(bootstrap: string, topic: string, o: ClientOptions): Promise<LegTiming> {
  const producer = new PlatformaticProducer({
    clientId: 'bench',
    bootstrapBrokers: [bootstrap],
    acks: -1,
    autocreateTopics: false,
    ...(o.caCerts && { tls: { ca: o.caCerts } }),
  })
  try {
    return await sendAll(o, (start, count) =>
      producer.send({ messages: Array.from({ length: count }, (_, i) => ({ topic, value: benchValue(start + i, o.valueBytes) })) }),
    )
  } finally {
    await producer.close()
  }
}

export async function kafkajsConsume(bootstrap: string, topic: string, o: ClientOptions): Promise<LegTiming> {
  const consumer = kafkajsClient(bootstrap, o.caCerts).consumer({
    groupId: `bench-${Date.now()}`,
    maxBytes: 10 * 1024 * 1024,
    maxBytesPerPartition: 10 * 1024 * 1024,
  })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  let seen = 0
  let start = 0
  // From the group's join on, so that the first fetch counts and the join does not.
  consumer.on(consumer.events.GROUP_JOIN, () => (start = performance.now()))
  try {
    const ms = await new Promise<number>((resolve, reject) => {
      consumer
        .run({
          eachBatchAutoResolve: true,
          eachBatch: async ({ batch }) => {
            seen += batch.messages.length
            if (seen >= o.records) resolve(performance.now() - start)
          },
        })
        .catch(reject)
    })
    return { ms }
  } finally {
    await consumer.disconnect()
  }
}

/** kcat -P reads records as lines: each value less its last byte, which the newline takes. */
export async function writeKcatInput(file: string, o: ClientOptions): Promise<void> {
  const out = fs.createWriteStream(file)
  for (let i = 0; i < o.records; i++)
    out.write(
      `${benchValue(i, o.valueBytes)
        .subarray(0, o.valueBytes - 1)
        .toString()}\n`,
    )
  await new Promise<void>((resolve) => out.end(resolve))
}

async function timedTool(args: readonly string[]): Promise<LegTiming> {
  const started = performance.now()
  await runTool('kcat', args)
  return { ms: performance.now() - started }
}

export function kcatProduce(bootstrap: string, topic: string, inputFile: string, tlsArgs: readonly string[]): Promise<LegTiming> {
  return timedTool([
    '-b',
    bootstrap,
    '-P',
    '-t',
    topic,
    '-l',
    inputFile,
    ...tlsArgs,
    '-X',
    'linger.ms=20',
    '-X',
    'batch.num.messages=10000',
    '-X',
    'queue.buffering.max.messages=2000000',
    '-X',
    'acks=all',
  ])
}

export function kcatConsume(bootstrap: string, topic: string, o: ClientOptions, tlsArgs: readonly string[]): Promise<LegTiming> {
  return timedTool([
    '-b',
    bootstrap,
    '-C',
    '-t',
    topic,
    '-o',
    'beginning',
    '-c',
    String(o.records),
    '-q',
    '-f',
    '',
    ...tlsArgs,
    '-X',
    'fetch.max.bytes=52428800',
    '-X',
    'max.partition.fetch.bytes=10485760',
  ])
}
