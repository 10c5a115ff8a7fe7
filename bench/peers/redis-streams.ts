/**
 * Redis Streams as a peer: XADD pipelined (many commands per round trip, several round trips in
 * flight), then XRANGE in pages of 10,000 from the start. This machine's Redis keeps nothing on disk.
 */
import { Redis } from 'ioredis'
import { megabytesPerSecond, perSecond } from '../lib/stats.ts'

export interface PeerResult {
  readonly produce: number
  readonly consume: number
  readonly produceMBs: number
  readonly consumeMBs: number
}

const PIPELINE_COMMANDS = 1000
const PIPELINES_IN_FLIGHT = 8

export async function benchRedisStreams(records: number, value: Buffer): Promise<PeerResult | null> {
  const redis = new Redis({
    host: '127.0.0.1',
    port: 6379,
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  })
  redis.on('error', () => undefined)
  try {
    await redis.connect()
  } catch {
    redis.disconnect()
    return null
  }
  const key = `tributary-bench-${process.pid}-${Date.now()}`
  try {
    let issued = 0
    const started = performance.now()
    const worker = async (): Promise<void> => {
      while (issued < records) {
        const count = Math.min(PIPELINE_COMMANDS, records - issued)
        issued += count
        const pipeline = redis.pipeline()
        for (let i = 0; i < count; i++) pipeline.xadd(key, '*', 'v', value)
        await pipeline.exec()
      }
    }
    await Promise.all(Array.from({ length: PIPELINES_IN_FLIGHT }, worker))
    const produceMs = performance.now() - started

    const consumeStarted = performance.now()
    let read = 0
    let start = '-'
    while (read < records) {
      const page = await redis.xrangeBuffer(key, start, '+', 'COUNT', 10_000)
      if (page.length === 0) break
      read += page.length
      start = `(${page[page.length - 1]![0].toString()}`
    }
    const consumeMs = performance.now() - consumeStarted
    if (read !== records) throw new Error(`redis returned ${read} of ${records} entries`)
    const bytes = records * value.length
    return {
      produce: perSecond(records, produceMs),
      consume: perSecond(read, consumeMs),
      produceMBs: megabytesPerSecond(bytes, produceMs),
      consumeMBs: megabytesPerSecond(bytes, consumeMs),
    }
  } finally {
    await redis.del(key).catch(() => undefined)
    redis.disconnect()
  }
}
