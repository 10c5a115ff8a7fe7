/**
 * KafkaLog's transactional producer: kafkajs's, one per transactional id, with its records placed as
 * KafkaLog.append places them. Opening it sends InitProducerId (kafkajs does that when its first
 * transaction starts, so the first one is started here and handed out by the first `begin`): the
 * coordinator bumps the id's epoch, which fences every earlier producer of the id and aborts what it
 * left open. kafkajs drops, without a word, messages for a partition its metadata does not know yet;
 * inside a transaction they cannot be sent again on their own, so such a send fails retriably and the
 * caller aborts and starts over. Kafka answers EndTxn once the decision is durable and writes the
 * markers after; commit() resolves only once every partition written has its marker (its last stable
 * offset past the records), so a read_committed reader sees the transaction when commit() has
 * resolved, as on the embedded log: a webhook answered 200 can be read back at once.
 * Appends a caller starts side by side are sent one after another: kafkajs's transaction manager
 * keeps its set of added partitions and each partition's sequence without guarding them against
 * concurrent sends, and with one request in flight concurrent sends would gain little anyway.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Kafka, Message, Producer, RecordMetadata, Transaction } from 'kafkajs'
import { TributaryError } from '../../errors.ts'
import type { AppendResult, LogRecord, LogTransaction, TopicPartitionOffset, TransactionalProducerOptions } from '../../log/log.ts'
import { fromKafkaError } from './kafka-error.ts'

const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000
/** About 30 s of asking a coordinator that is not available yet. */
const OFFSET_ATTEMPTS = 18
/** How long commit() waits for the markers; the outcome is decided, so past it commit() resolves anyway. */
const MARKERS_WAIT_MS = 10_000

/** Resolves once the partition's last stable offset is past `offset` (KafkaLog reads it), or after `timeoutMs`. */
export type UntilStable = (topic: string, partition: number, offset: number, timeoutMs: number) => Promise<void>

/** An append's messages by partition, and how the batches' base offsets answer it (KafkaLog places them). */
export interface Placed {
  readonly byPartition: ReadonlyMap<number, readonly Message[]>
  results(bases: ReadonlyMap<number, number>): AppendResult[]
}

export class KafkaTransactionalProducer {
  private readonly producer: Producer
  private readonly transactionalId: string
  private readonly place: (topic: string, records: readonly LogRecord[]) => Promise<Placed>
  private readonly untilStable: UntilStable
  private first: Transaction | undefined

  private constructor(
    producer: Producer,
    transactionalId: string,
    place: (topic: string, records: readonly LogRecord[]) => Promise<Placed>,
    untilStable: UntilStable,
  ) {
    this.producer = producer
    this.transactionalId = transactionalId
    this.place = place
    this.untilStable = untilStable
  }

  static async connect(
    kafka: Kafka,
    transactionalId: string,
    options: TransactionalProducerOptions,
    place: (topic: string, records: readonly LogRecord[]) => Promise<Placed>,
    untilStable: UntilStable,
  ): Promise<KafkaTransactionalProducer> {
    const producer = kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: options.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS,
    })
    try {
      await producer.connect()
      const opened = new KafkaTransactionalProducer(producer, transactionalId, place, untilStable)
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
    const failed = (error: unknown, what: string) =>
      fromKafkaError(error, `${what} in a transaction of ${transactionalId}`, { transactionalId })
    // The last offset written to each partition (topic NUL partition), for commit() to wait on.
    const written = new Map<string, { topic: string; partition: number; offset: number }>()
    // The last send queued: the next one starts once it has settled.
    let sending: Promise<unknown> = Promise.resolve()
    return {
      append: async (topic: string, records: readonly LogRecord[]): Promise<AppendResult[]> => {
        if (records.length === 0) return []
        const placed = await this.place(topic, records)
        const messages = [...placed.byPartition].flatMap(([partition, list]) => list.map((message) => ({ ...message, partition })))
        let answered: RecordMetadata[]
        const send = sending.then(() => transaction.send({ topic, messages, acks: -1 }))
        sending = send.catch(() => undefined)
        try {
          answered = await send
        } catch (error) {
          throw failed(error, `appending to ${topic}`)
        }
        const bases = new Map(answered.map((answer) => [answer.partition, Number(answer.baseOffset)]))
        const missing = [...placed.byPartition.keys()].filter((partition) => !bases.has(partition))
        if (missing.length > 0) {
          throw new TributaryError(
            'TRB_LOG_UNAVAILABLE',
            `appending to ${topic} in a transaction of ${transactionalId}: the client did not know partitions ${missing.join(', ')} yet; abort the transaction and try again`,
            { details: { topic, partitions: missing, transactionalId } },
          )
        }
        const results = placed.results(bases)
        for (const { partition, offset } of results) {
          const key = `${topic}\0${partition}`
          if ((written.get(key)?.offset ?? -1) < offset) written.set(key, { topic, partition, offset })
        }
        return results
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
        await Promise.all(
          [...written.values()].map(({ topic, partition, offset }) => this.untilStable(topic, partition, offset, MARKERS_WAIT_MS)),
        )
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
