/**
 * Kafka's default partitioner: murmur2 of the key (Utils.murmur2, seed 0x9747b28c), made positive,
 * modulo the partition count, so a key lands where a Java client would put it. Keyless records use
 * the sticky partitioner: one partition per append, moving round-robin between appends.
 */
export function murmur2(data: Buffer): number {
  const length = data.length
  const seed = 0x9747b28c
  const m = 0x5bd1e995
  const r = 24
  let h = seed ^ length
  const length4 = length >>> 2
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4
    let k = (data[i4]! & 0xff) + ((data[i4 + 1]! & 0xff) << 8) + ((data[i4 + 2]! & 0xff) << 16) + ((data[i4 + 3]! & 0xff) << 24)
    k = Math.imul(k, m)
    k ^= k >>> r
    k = Math.imul(k, m)
    h = Math.imul(h, m)
    h ^= k
  }
  const tail = length4 * 4
  const rest = length % 4
  if (rest === 3) h ^= (data[tail + 2]! & 0xff) << 16
  if (rest >= 2) h ^= (data[tail + 1]! & 0xff) << 8
  if (rest >= 1) {
    h ^= data[tail]! & 0xff
    h = Math.imul(h, m)
  }
  h ^= h >>> 13
  h = Math.imul(h, m)
  h ^= h >>> 15
  return h | 0
}

export function toPositive(n: number): number {
  return n & 0x7fffffff
}

export function partitionForKey(key: Buffer, partitions: number): number {
  return toPositive(murmur2(key)) % partitions
}

/** Spreads keyless appends: each starts at a random partition, so many writers do not pile onto one. */
export class StickyPartitioner {
  private index: number

  constructor(partitions: number) {
    this.index = Math.floor(Math.random() * partitions)
  }

  current(partitions: number): number {
    return this.index % partitions
  }

  rotate(): void {
    this.index = (this.index + 1) % 0x7fffffff
  }
}

/** A sticky spreader per topic, made on first use: the partition for each keyless append call. */
export class TopicSpreaders {
  private readonly byTopic = new Map<string, StickyPartitioner>()

  /** The partition for this call's keyless records; the next call moves on. */
  next(topic: string, partitions: number): number {
    let spreader = this.byTopic.get(topic)
    if (!spreader) {
      spreader = new StickyPartitioner(partitions)
      this.byTopic.set(topic, spreader)
    }
    const partition = spreader.current(partitions)
    spreader.rotate()
    return partition
  }

  forget(topic: string): void {
    this.byTopic.delete(topic)
  }
}
