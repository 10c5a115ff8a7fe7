/**
 * Codec test helpers: a codec's versions with whether each is flexible, our encoders and decoders
 * run at one version, and bytes written by hand to check flexible layouts against the spec with no
 * codec in between.
 */
import { KafkaReader } from '../../core/kafka/protocol/reader.ts'
import { KafkaWriter } from '../../core/kafka/protocol/writer.ts'

export type Encode<T> = (writer: KafkaWriter, version: number, value: T) => void
export type Decode<T> = (reader: KafkaReader, version: number) => T

/** Versions min..max of a codec's range, each with whether it is flexible. */
export function eachVersion(range: {
  readonly min: number
  readonly max: number
  readonly flexibleFrom: number
}): Array<[number, boolean]> {
  const out: Array<[number, boolean]> = []
  for (let v = range.min; v <= range.max; v++) out.push([v, v >= range.flexibleFrom])
  return out
}

export function encodeAt<T>(encode: Encode<T>, version: number, flexible: boolean, value: T): Buffer {
  const writer = new KafkaWriter(flexible)
  encode(writer, version, value)
  return writer.toBuffer()
}

/** Decodes `bytes`, failing when the decoder leaves any unread: a short read is a codec bug too. */
export function decodeAt<T>(decode: Decode<T>, version: number, flexible: boolean, bytes: Buffer): T {
  const reader = new KafkaReader(bytes, flexible)
  const value = decode(reader, version)
  if (reader.remaining !== 0) throw new Error(`${reader.remaining} bytes left after decoding v${version}`)
  return value
}

/** The value decoded from its own encoding, the way the wire would carry it. */
export function roundTrip<T, R>(encode: Encode<T>, decode: Decode<R>, version: number, flexible: boolean, value: T): R {
  return decodeAt(decode, version, flexible, encodeAt(encode, version, flexible, value))
}

/** Bytes written by hand, to check a layout against the spec with no codec in between. */
export const bytesOf = {
  int8: (n: number): Buffer => Buffer.from([n & 0xff]),
  int16: (n: number): Buffer => {
    const b = Buffer.alloc(2)
    b.writeInt16BE(n)
    return b
  },
  int32: (n: number): Buffer => {
    const b = Buffer.alloc(4)
    b.writeInt32BE(n)
    return b
  },
  int64: (n: number): Buffer => {
    const b = Buffer.alloc(8)
    b.writeBigInt64BE(BigInt(n))
    return b
  },
  /** A compact (flexible) string or bytes: unsigned varint length + 1 (0 is null), then the bytes. Lengths < 127 only. */
  compact: (value: string | Buffer | null): Buffer =>
    value === null ? Buffer.from([0]) : Buffer.concat([Buffer.from([Buffer.byteLength(value) + 1]), Buffer.from(value)]),
  /** A compact array's length (count + 1). */
  compactCount: (count: number): Buffer => Buffer.from([count + 1]),
  /** An empty tagged-field section. */
  noTags: (): Buffer => Buffer.from([0]),
}
