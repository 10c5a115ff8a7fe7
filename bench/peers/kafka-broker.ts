/**
 * Apache Kafka as bench:kafka's peer: one KRaft node (broker and controller) of the release the
 * tests run (test/support/real-kafka.ts), started as the release's own start script starts it
 * (-Xmx1G -Xms1G, G1) with the broker's default settings, replication factor 1 and min ISR 1 for
 * its default and internal topics. Its storage sits in `parentDir`, beside the listener's data on
 * the same disk. The one setting changed from the broker's defaults besides those: no initial
 * rebalance delay, so a group's first join does not sit out 3 s (no consume timing includes the
 * join either way).
 */
import { startRealKafka } from '../../test/support/real-kafka.ts'

export interface KafkaPeer {
  /** host:port of the broker's listener. */
  readonly bootstrap: string
  /** The broker's JVM, for its CPU time and resident memory. */
  readonly pid: number
  stop(): Promise<void>
}

export async function startKafkaPeer(parentDir: string): Promise<KafkaPeer> {
  const cluster = await startRealKafka({ brokers: 1, profile: 'stock', parentDir, properties: { 'group.initial.rebalance.delay.ms': 0 } })
  const pid = cluster.pid(0)
  if (pid === undefined) {
    await cluster.stop()
    throw new Error('the Kafka peer exited as it started')
  }
  return { bootstrap: cluster.brokers[0]!, pid, stop: () => cluster.stop() }
}
