/**
 * The idempotent kafkajs producer behind append: acks from every in-sync replica, one batch per
 * partition per send, each partition named by the caller. kafkajs drops, without a word, messages
 * for a partition its cached metadata does not know yet (a topic grown since it last looked), so a
 * send that comes back without an answer for a partition swaps in a fresh producer (which reads the
 * metadata anew) and sends that partition's records again; they never reached a broker.
 */
import type { Kafka, Message, Producer } from 'kafkajs'
import { TributaryError } from '../../errors.ts'
import { fromKafkaError } from './kafka-error.ts'

interface Current {
  readonly producer: Promise<Producer>
  inFlight: number
  retired: boolean
}

export class AppendProducer {
  private readonly kafka: Kafka
  private current: Current

  constructor(kafka: Kafka) {
    this.kafka = kafka
    this.current = this.open()
  }

  /** Connects now, so a cluster that cannot be reached fails connect() rather than the first append. */
  async ready(): Promise<void> {
    await this.current.producer
  }

  /** Sends each partition's messages as one batch; resolves each partition's base offset. */
  async send(topic: string, byPartition: ReadonlyMap<number, readonly Message[]>): Promise<Map<number, number>> {
    const bases = await this.sendOnce(topic, byPartition)
    const missing = [...byPartition.keys()].filter((partition) => !bases.has(partition))
    if (missing.length === 0) return bases
    this.renew()
    const again = await this.sendOnce(topic, new Map(missing.map((partition) => [partition, byPartition.get(partition)!])))
    for (const partition of missing) {
      const base = again.get(partition)
      if (base === undefined) throw new TributaryError('TRB_TOPIC_NOT_FOUND', `topic ${topic} has no partition ${partition}`, { details: { topic, partition } })
      bases.set(partition, base)
    }
    return bases
  }

  private async sendOnce(topic: string, byPartition: ReadonlyMap<number, readonly Message[]>): Promise<Map<number, number>> {
    const current = this.current
    current.inFlight++
    try {
      const producer = await current.producer
      const messages = [...byPartition].flatMap(([partition, list]) => list.map((message) => ({ ...message, partition })))
      const answers = await producer.send({ topic, acks: -1, messages })
      return new Map(answers.map((answer) => [answer.partition, Number(answer.baseOffset)]))
    } catch (error) {
      throw fromKafkaError(error, `appending to ${topic}`, { topic })
    } finally {
      current.inFlight--
      if (current.retired && current.inFlight === 0) void this.disconnect(current)
    }
  }

  private open(): Current {
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false })
    const connecting = producer.connect().then(() => producer, (error: unknown) => {
      throw fromKafkaError(error, 'connecting the producer')
    })
    connecting.catch(() => undefined)
    return { producer: connecting, inFlight: 0, retired: false }
  }

  private renew(): void {
    const old = this.current
    this.current = this.open()
    old.retired = true
    if (old.inFlight === 0) void this.disconnect(old)
  }

  private async disconnect(current: Current): Promise<void> {
    try {
      await (await current.producer).disconnect()
    } catch {
      // A producer that never connected has nothing to close.
    }
  }

  async close(): Promise<void> {
    this.current.retired = true
    await this.disconnect(this.current)
  }
}
