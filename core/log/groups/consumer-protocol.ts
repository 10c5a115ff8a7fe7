/**
 * Kafka's consumer protocol payloads carried opaquely by JoinGroup and SyncGroup (protocol type
 * "consumer"), version 0, as Java clients and kafkajs write them, so every kind of member can share
 * one group.
 *
 * ConsumerProtocolSubscription => version:int16 [topics:string] user_data:nullable_bytes
 * ConsumerProtocolAssignment => version:int16 [assigned_partitions: topic:string [partitions:int32]] user_data:nullable_bytes
 * Later versions append fields after these; a decoder reads what it knows and ignores the rest.
 */
import { ByteReader } from '../../byte-reader.ts'
import { TributaryError } from '../../errors.ts'

export const CONSUMER_PROTOCOL_TYPE = 'consumer'

export interface Subscription {
  readonly topics: readonly string[]
  readonly userData: Buffer | null
}

/** topic → sorted partitions */
export type PartitionAssignment = ReadonlyMap<string, readonly number[]>

export function encodeSubscription(subscription: Subscription): Buffer {
  const parts: Buffer[] = [int16(0), int32(subscription.topics.length), ...subscription.topics.map(string), bytes(subscription.userData)]
  return Buffer.concat(parts)
}

export function decodeSubscription(buf: Buffer): Subscription {
  const reader = new Reader(buf)
  reader.int16()
  const topics = reader.array(() => reader.string())
  return { topics, userData: reader.remaining >= 4 ? reader.nullableBytes() : null }
}

export function encodeAssignment(assignment: PartitionAssignment, userData: Buffer | null = null): Buffer {
  const parts: Buffer[] = [int16(0), int32(assignment.size)]
  for (const [topic, partitions] of assignment) {
    parts.push(string(topic), int32(partitions.length), ...partitions.map(int32))
  }
  parts.push(bytes(userData))
  return Buffer.concat(parts)
}

export function decodeAssignment(buf: Buffer): Map<string, number[]> {
  const assignment = new Map<string, number[]>()
  if (buf.length === 0) return assignment
  const reader = new Reader(buf)
  reader.int16()
  const count = reader.int32()
  for (let i = 0; i < count; i++) {
    const topic = reader.string()
    assignment.set(
      topic,
      reader.array(() => reader.int32()),
    )
  }
  return assignment
}

function int16(value: number): Buffer {
  const buf = Buffer.alloc(2)
  buf.writeInt16BE(value)
  return buf
}

function int32(value: number): Buffer {
  const buf = Buffer.alloc(4)
  buf.writeInt32BE(value)
  return buf
}

function string(value: string): Buffer {
  const body = Buffer.from(value, 'utf8')
  return Buffer.concat([int16(body.length), body])
}

function bytes(value: Buffer | null): Buffer {
  return value === null ? int32(-1) : Buffer.concat([int32(value.length), value])
}

/** The version-0 layout's fields; any overrun means the member sent metadata no member can read. */
class Reader extends ByteReader {
  string(): string {
    return this.utf8(this.int16())
  }

  nullableBytes(): Buffer | null {
    const length = this.int32()
    return length < 0 ? null : this.slice(length)
  }

  array<T>(item: () => T): T[] {
    const count = this.int32()
    if (count < 0) return []
    const out: T[] = []
    for (let i = 0; i < count; i++) out.push(item())
    return out
  }

  protected override fail(): Error {
    return new TributaryError('TRB_GROUP_INCONSISTENT_PROTOCOL', 'malformed consumer protocol metadata')
  }
}
