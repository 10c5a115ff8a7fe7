/**
 * NATS JetStream as a peer: a file-storage stream, publishes with many acknowledgements awaited at
 * once, then an ordered consumer reading the stream from the start. JetStream fsyncs on a timer
 * (every 2 minutes by default), not per message.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { megabytesPerSecond, perSecond } from '../lib/stats.ts'
import type { PeerResult } from './redis-streams.ts'

const PUBLISHES_IN_FLIGHT = 1000

export async function benchJetStream(records: number, value: Buffer): Promise<PeerResult | null> {
  let nc: Awaited<ReturnType<typeof connect>>
  try {
    nc = await connect({ servers: '127.0.0.1:4222', timeout: 2000, reconnect: false })
  } catch {
    return null
  }
  const stream = `TRIBUTARY_BENCH_${process.pid}_${Date.now()}`
  const subject = `tributary.bench.${process.pid}.${Date.now()}`
  const jsm = await jetstreamManager(nc)
  try {
    await jsm.streams.add({ name: stream, subjects: [subject], storage: 'file' as never })
    const js = jetstream(nc)
    let issued = 0
    const started = performance.now()
    const worker = async (): Promise<void> => {
      while (issued < records) {
        issued++
        await js.publish(subject, value)
      }
    }
    await Promise.all(Array.from({ length: PUBLISHES_IN_FLIGHT }, worker))
    const produceMs = performance.now() - started

    const consumer = await js.consumers.get(stream)
    const consumeStarted = performance.now()
    let read = 0
    const messages = await consumer.consume({ max_messages: 10_000 })
    for await (const message of messages) {
      void message
      if (++read === records) break
    }
    const consumeMs = performance.now() - consumeStarted
    const bytes = records * value.length
    return {
      produce: perSecond(records, produceMs),
      consume: perSecond(read, consumeMs),
      produceMBs: megabytesPerSecond(bytes, produceMs),
      consumeMBs: megabytesPerSecond(bytes, consumeMs),
    }
  } finally {
    await jsm.streams.delete(stream).catch(() => undefined)
    await nc.close()
  }
}
