/**
 * KafkaLog's transactional producer: kafkajs's, one per transactional id, with its records placed as
 * KafkaLog.append places them. Opening it sends InitProducerId (kafkajs does that when its first
 * transaction starts, so the first one is started here and handed out by the first `begin`): the
 * coordinator bumps the id's epoch, which fences every earlier producer of the id and aborts what it
 * left open. kafkajs drops, without a word, messages for a partition its metadata does not know yet;
 * inside a transaction they cannot be sent again on their own, so such a send fails retriably and the
 * caller aborts and starts over.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Kafka, Message, Producer, RecordMetadata, Transaction } from 'kafkajs'
import { TributaryError } from '../../errors.ts'
import type { AppendResult, LogRecord, LogTransaction, TopicPartitionOffset, TransactionalProducerOptions } from '../../log/log.ts'
import { fromKafkaError } from './kafka-error.ts'

const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000
/** About 30 s of asking a coordinator that is not available yet. */
const OFFSET_ATTEMPTS = 18

/** An append's messages by partition, and how the batches' base offsets answer it (KafkaLog places them). */
export interface Placed {
  readonly byPartition: ReadonlyMap<number, readonly Message[]>
  results(bases: ReadonlyMap<number, number>): AppendResult[]
}

export class KafkaTransactionalProducer {
  private readonly producer: Producer
  private readonly transactionalId: string
  private readonly place: (topic: string, records: readonly LogRecord[]) => Promise<Placed>
  private first: Transaction | undefined

  private constructor(producer: Producer, transactionalId: string, place: (topic: string, records: readonly LogRecord[]) => Promise<Placed>) {
    this.producer = producer
    this.transactionalId = transactionalId
    this.place = place
  }

  static async connect(kafka: Kafka, transactionalId: string, options: TransactionalProducerOptions, place: (topic: string, records: readonly LogRecord[]) => Promise<Placed>): Promise<KafkaTransactionalProducer> {
    const producer = kafka.producer({
      transactionalId, idempotent: true, maxInFlightRequests: 1,
      transactionTimeout: options.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS,
    })
    try {
      await producer.connect()
      const opened = new KafkaTransactionalProducer(producer, transactionalId, place)
      opened.first = await producer.transaction()
      return opened
    } catch (error) {
      await producer.disconnect().catch(() => undefined) // the connect error is the one to report
      throw fromKafkaError(error, `opening transactional producer ${transactionalId}`, { transactionalId })
    }
  }

  async begin(): Promise<LogTransaction> {
    let transaction = this.first
    this.first = undefined
    try {
      transaction ??= await this.producer.transaction()
    } catch (error) {
      throw fromKafkaError(error, `beginning a transaction of ${this.transactionalId}`, { transactionalId: this.transactionalId })
    }
    return this.wrap(transaction)
  }

  async close(): Promise<void> {
    await this.producer.disconnect()
  }

  private wrap(transaction: Transaction): LogTransaction {
    const transactionalId = this.transactionalId
    const failed = (error: unknown, what: string) => fromKafkaError(error, `${what} in a transaction of ${transactionalId}`, { transactionalId })
    return {
      append: async (topic: string, records: readonly LogRecord[]): Promise<AppendResult[]> => {
        if (records.length === 0) return []
        const placed = await this.place(topic, records)
        const messages = [...placed.byPartition].flatMap(([partition, list]) => list.map((message) => ({ ...message, partition })))
        let answered: RecordMetadata[]
        try {
          answered = await transaction.send({ topic, messages, acks: -1 })
        } catch (error) {
          throw failed(error, `appending to ${topic}`)
        }
        const bases = new Map(answered.map((answer) => [answer.partition, Number(answer.baseOffset)]))
        const missing = [...placed.byPartition.keys()].filter((partition) => !bases.has(partition))
        if (missing.length > 0) {
          throw new TributaryError('TRB_LOG_UNAVAILABLE', `appending to ${topic} in a transaction of ${transactionalId}: the client did not know partitions ${missing.join(', ')} yet; abort the transaction and try again`,
            { details: { topic, partitions: missing, transactionalId } })
        }
        return placed.results(bases)
      },
      commitGroupOffsets: async (groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> => {
        const byTopic = new Map<string, Array<{ partition: number; offset: string }>>()
        for (const { topic, partition, offset } of offsets) {
          const list = byTopic.get(topic) ?? byTopic.set(topic, []).get(topic)!
          list.push({ partition, offset: String(offset) })
        }
        const topics = [...byTopic].map(([topic, partitions]) => ({ topic, partitions }))
        // kafkajs does not retry TxnOffsetCommit: a group coordinator still loading (a cluster's
        // first group makes __consumer_offsets) is asked again. Sending the offsets again is harmless.
        for (let attempt = 1; ; attempt++) {
          try {
            return await transaction.sendOffsets({ consumerGroupId: groupId, topics })
          } catch (error) {
            const reported = failed(error, `committing offsets of group ${groupId}`)
            if (!reported.retriable || attempt === OFFSET_ATTEMPTS) throw reported
            await sleep(Math.min(100 * 2 ** attempt, 2_000))
          }
        }
      },
      commit: async () => {
        try {
          await transaction.commit()
        } catch (error) {
          throw failed(error, 'committing')
        }
      },
      abort: async () => {
        try {
          await transaction.abort()
        } catch (error) {
          throw failed(error, 'aborting')
        }
      },
    }
  }
}
