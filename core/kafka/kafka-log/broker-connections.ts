/**
 * kafkajs broker clients for reads and group calls, pooled by address. A Kafka broker answers one connection's requests in
 * order, so a read that waits at the end of the log would hold up everything behind it: each read
 * takes a client of its own (idle ones are reused), and a client whose read was abandoned is
 * disconnected rather than reused, since its connection still owes the abandoned answer.
 */
import type { KafkaConfig, Logger } from 'kafkajs'
import { createKafkajsBroker, type BrokerAddress, type KafkajsBroker } from './kafkajs-broker.ts'

/** Idle clients kept per broker; more concurrent reads open more, and the extra close on release. */
const MAX_IDLE_PER_BROKER = 4

export class BrokerConnections {
  private readonly config: KafkaConfig
  private readonly logger: Logger
  private readonly idle = new Map<string, KafkajsBroker[]>()
  private readonly busy = new Set<KafkajsBroker>()
  private closed = false

  constructor(config: KafkaConfig, logger: Logger) {
    this.config = config
    this.logger = logger
  }

  /** Runs `use` with a client of its own connected to `address`. */
  async with<T>(address: BrokerAddress, use: (broker: KafkajsBroker) => Promise<T>): Promise<T> {
    const key = `${address.host}:${address.port}`
    const broker = this.idle.get(key)?.pop() ?? createKafkajsBroker(address, this.config, this.logger)
    this.busy.add(broker)
    let reusable = false
    try {
      await broker.connect()
      const result = await use(broker)
      reusable = true
      return result
    } catch (error) {
      // The broker answered with an error code (a rebalance, say): the connection owes nothing.
      reusable = (error as Error | undefined)?.name === 'KafkaJSProtocolError'
      throw error
    } finally {
      this.busy.delete(broker)
      const idle = this.idle.get(key) ?? []
      if (reusable && !this.closed && idle.length < MAX_IDLE_PER_BROKER) this.idle.set(key, [...idle, broker])
      else void broker.disconnect().catch(() => undefined) // dropped from the pool: a failed disconnect leaves nothing to use
    }
  }

  /** Disconnects a client in use, which fails the request it is waiting on. */
  abandon(broker: KafkajsBroker): void {
    void broker.disconnect().catch(() => undefined) // the request it fails reports the error
  }

  async close(): Promise<void> {
    this.closed = true
    const all = [...this.busy, ...[...this.idle.values()].flat()]
    this.idle.clear()
    await Promise.allSettled(all.map((broker) => broker.disconnect()))
  }
}
