/**
 * The idempotent kafkajs producer behind append, made safe for appends in flight together: acks from
 * every in-sync replica, records in call order.
 *
 * kafkajs numbers an idempotent producer's batches per partition as it sends them and takes a failed
 * request's numbers back, so two sends failing over to a new leader together can be renumbered: the
 * new leader then stores them swapped, refuses one as OUT_OF_ORDER_SEQUENCE_NUMBER, or takes one for a
 * duplicate of the other and drops it. So appends here take a place in one queue when they are called
 * (`reserve`, before the caller's first await), and one send at a time carries the appends ready at the
 * head of the queue, each partition's records in queue order as one batch. kafkajs retries a send that
 * meets a leader change itself, with its sequence numbers unchanged, so a batch the old leader stored
 * is recognised by the new one rather than written twice. When a send of several appends fails for
 * good, each goes again on its own, so that the error reaches only the append it belongs to (a topic
 * whose max.message.bytes the combined batch passes takes them one by one); that append fails with
 * every ready append behind it to the same partitions (none may land before it), and a fresh producer
 * takes over. Appends to other partitions, and an append still finding its partitions, keep their places.
 *
 * kafkajs drops, without a word, messages for a partition its cached metadata does not know yet (a
 * topic grown since it last looked), so a send that comes back without an answer for a partition
 * swaps in a fresh producer (which reads the metadata anew) and sends that partition's records again;
 * they never reached a broker.
 */
import kafkajs, { type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs'
import { TributaryError } from '../../errors.ts'
import { fromKafkaError } from './kafka-error.ts'

const { Partitioners } = kafkajs

/** What one send carries at most, unless a single append is larger: well inside Kafka's 1 MiB max.message.bytes per batch. */
const MAX_SEND_BYTES = 512 * 1024
/** Kafka's per-record overhead (length, attributes, deltas, counts) at its largest, for the estimate above. */
const RECORD_OVERHEAD_BYTES = 24

/** An append's place in the queue; filled in by `send`, or withdrawn by `cancel`. */
export interface AppendSlot {
  /** Sends each partition's messages as one batch after every earlier slot; resolves each partition's base offset. */
  send(topic: string, byPartition: ReadonlyMap<number, readonly Message[]>): Promise<Map<number, number>>
  /** Gives the place up (the append failed before it had records to send). */
  cancel(): void
}

interface Slot {
  state: 'waiting' | 'ready' | 'cancelled'
  topic: string
  byPartition: ReadonlyMap<number, readonly Message[]>
  bytes: number
  resolve(bases: Map<number, number>): void
  reject(error: unknown): void
}

const messageBytes = (message: Message): number => {
  // A header value is a list when its key repeats (kafkajs keeps headers as an object).
  const size = (value: unknown): number =>
    value === null || value === undefined
      ? 0
      : Array.isArray(value)
        ? value.reduce((sum: number, item: unknown) => sum + size(item), 0)
        : Buffer.byteLength(value as Buffer | string)
  const headers = Object.entries(message.headers ?? {}).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + size(value), 0)
  return size(message.key) + size(message.value) + headers + RECORD_OVERHEAD_BYTES
}

const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`
const partitionKeys = (slot: Slot): string[] => [...slot.byPartition.keys()].map((partition) => partitionKey(slot.topic, partition))

export class AppendProducer {
  private readonly kafka: Kafka
  private producer: Promise<Producer>
  private readonly queue: Slot[] = []
  private sending = false
  /** How many of the next sends carry one append: a send of several failed, and which one it was is not known. */
  private aloneSends = 0
  private closed = false

  constructor(kafka: Kafka) {
    this.kafka = kafka
    this.producer = this.open()
  }

  /** Connects now, so a cluster that cannot be reached fails connect() rather than the first append. */
  async ready(): Promise<void> {
    await this.producer
  }

  /** Takes the next place in the queue: what is sent through it lands after every earlier place's records. */
  reserve(): AppendSlot {
    let settle: Pick<Slot, 'resolve' | 'reject'> = { resolve: () => undefined, reject: () => undefined }
    const done = new Promise<Map<number, number>>((resolve, reject) => (settle = { resolve, reject }))
    const slot: Slot = { state: 'waiting', topic: '', byPartition: new Map(), bytes: 0, ...settle }
    this.queue.push(slot)
    return {
      send: (topic, byPartition) => {
        if (slot.state !== 'waiting') throw new TributaryError('TRB_INTERNAL', 'an append slot is used once')
        let bytes: number
        try {
          bytes = [...byPartition.values()].flat().reduce((sum, m) => sum + messageBytes(m), 0)
        } catch (error) {
          // A slot left waiting would hold up every append behind it for good.
          slot.state = 'cancelled'
          this.pump()
          throw error
        }
        Object.assign(slot, { state: 'ready', topic, byPartition, bytes })
        this.pump()
        return done
      },
      cancel: () => {
        if (slot.state !== 'waiting') return
        slot.state = 'cancelled'
        this.pump()
      },
    }
  }

  /** Sends from the head of the queue, one send at a time, until the head waits for its records. */
  private pump(): void {
    if (this.sending) return
    while (this.queue[0]?.state === 'cancelled') this.queue.shift()
    const group: Slot[] = []
    let bytes = 0
    for (const slot of this.queue) {
      if (slot.state === 'cancelled') continue
      if (slot.state === 'waiting' || (group.length > 0 && (this.aloneSends > 0 || bytes + slot.bytes > MAX_SEND_BYTES))) break
      group.push(slot)
      bytes += slot.bytes
    }
    if (group.length === 0) return
    if (this.aloneSends > 0) this.aloneSends--
    this.sending = true
    void this.sendGroup(group)
      .catch((error: unknown) => {
        // A fault in the bookkeeping itself: the group fails rather than being sent again for ever.
        for (const slot of group) slot.reject(error)
        this.queue.splice(0, this.queue.length, ...this.queue.filter((slot) => !group.includes(slot)))
      })
      .finally(() => {
        this.sending = false
        this.pump()
      })
  }

  private async sendGroup(group: readonly Slot[]): Promise<void> {
    try {
      const bases = await this.sendAll(group)
      for (const slot of group) slot.resolve(this.take(slot, bases))
      this.queue.splice(0, this.queue.indexOf(group.at(-1)!) + 1)
    } catch (error) {
      // Which append of several the error belongs to (a topic's max.message.bytes below what they
      // make together, a partition or topic refused) is not known: each goes again on its own, in
      // order, through the same producer, whose sequence numbers let a broker recognise a batch it
      // did store.
      if (group.length > 1) {
        this.aloneSends = group.length
        return
      }
      this.failFrom(group[0]!, error)
      this.renew()
    }
  }

  /**
   * Fails an append that failed for good, and every ready append behind it to one of its partitions
   * (none may land before it), and behind those to theirs; appends to other partitions keep their places.
   */
  private failFrom(failed: Slot, error: unknown): void {
    const blocked = new Set(partitionKeys(failed))
    const kept: Slot[] = []
    for (const slot of this.queue) {
      if (slot.state === 'cancelled') continue
      const keys = slot.state === 'ready' ? partitionKeys(slot) : []
      if (slot === failed || keys.some((key) => blocked.has(key))) {
        for (const key of keys) blocked.add(key)
        slot.reject(error)
      } else kept.push(slot)
    }
    this.queue.splice(0, this.queue.length, ...kept)
  }

  /** Each slot's base offsets: its partitions' bases within the combined batches, advanced past the slots before it. */
  private take(slot: Slot, bases: Map<string, number>): Map<number, number> {
    const mine = new Map<number, number>()
    for (const [partition, messages] of slot.byPartition) {
      const key = partitionKey(slot.topic, partition)
      const base = bases.get(key)!
      mine.set(partition, base)
      bases.set(key, base + messages.length)
    }
    return mine
  }

  /** One send of the group's records, and one more for partitions kafkajs left unanswered; bases by topic and partition. */
  private async sendAll(group: readonly Slot[]): Promise<Map<string, number>> {
    const records = new Map<string, Map<number, Message[]>>()
    for (const slot of group) {
      const topic = records.get(slot.topic) ?? records.set(slot.topic, new Map()).get(slot.topic)!
      for (const [partition, messages] of slot.byPartition) topic.set(partition, [...(topic.get(partition) ?? []), ...messages])
    }
    const bases = await this.sendOnce(records)
    const missing = new Map<string, Map<number, Message[]>>()
    for (const [topic, partitions] of records) {
      for (const [partition, messages] of partitions) {
        if (!bases.has(partitionKey(topic, partition)))
          (missing.get(topic) ?? missing.set(topic, new Map()).get(topic)!).set(partition, messages)
      }
    }
    if (missing.size === 0) return bases
    this.renew()
    const again = await this.sendOnce(missing)
    for (const [topic, partitions] of missing) {
      for (const partition of partitions.keys()) {
        const base = again.get(partitionKey(topic, partition))
        if (base === undefined)
          throw new TributaryError('TRB_TOPIC_NOT_FOUND', `topic ${topic} has no partition ${partition}`, { details: { topic, partition } })
        bases.set(partitionKey(topic, partition), base)
      }
    }
    return bases
  }

  private async sendOnce(records: ReadonlyMap<string, ReadonlyMap<number, readonly Message[]>>): Promise<Map<string, number>> {
    const topics = [...records.keys()]
    try {
      const producer = await this.producer
      const topicMessages: TopicMessages[] = [...records].map(([topic, partitions]) => ({
        topic,
        messages: [...partitions].flatMap(([partition, list]) => list.map((message) => ({ ...message, partition }))),
      }))
      const answers = await producer.sendBatch({ acks: -1, topicMessages })
      return new Map(answers.map((answer) => [partitionKey(answer.topicName, answer.partition), Number(answer.baseOffset)]))
    } catch (error) {
      throw fromKafkaError(error, `appending to ${topics.join(', ')}`, topics.length === 1 ? { topic: topics[0] } : { topics })
    }
  }

  private open(): Promise<Producer> {
    // Every message names its partition; the partitioner is set only so kafkajs does not warn about its default.
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    })
    const connecting = producer.connect().then(
      () => producer,
      (error: unknown) => {
        throw fromKafkaError(error, 'connecting the producer')
      },
    )
    connecting.catch(() => undefined) // not unhandled while nobody waits yet: every append awaits `connecting` and gets its failure
    return connecting
  }

  /** A fresh producer for the sends to come; the old one is idle (one send at a time) and is let go. */
  private renew(): void {
    if (this.closed) return
    const old = this.producer
    this.producer = this.open()
    void this.disconnect(old)
  }

  private async disconnect(producer: Promise<Producer>): Promise<void> {
    try {
      await (await producer).disconnect()
    } catch {
      // A producer that never connected has nothing to close.
    }
  }

  async close(): Promise<void> {
    this.closed = true
    await this.disconnect(this.producer)
  }
}
