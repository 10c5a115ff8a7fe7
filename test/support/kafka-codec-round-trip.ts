/** Encodes a message at one version and decodes it back, the way the wire would carry it. */
import { expect } from 'vitest'
import { KafkaReader } from '../../core/kafka/protocol/reader.ts'
import { KafkaWriter } from '../../core/kafka/protocol/writer.ts'

export type Encode<T> = (writer: KafkaWriter, version: number, value: T) => void
export type Decode<T> = (reader: KafkaReader, version: number) => T

export function encodeAt<T>(encode: Encode<T>, version: number, flexibleFrom: number, value: T): Buffer {
  const writer = new KafkaWriter(version >= flexibleFrom)
  encode(writer, version, value)
  return writer.toBuffer()
}

/** The value decoded from its own encoding; fails when the decoder leaves bytes unread. */
export function roundTrip<T, R>(encode: Encode<T>, decode: Decode<R>, version: number, flexibleFrom: number, value: T): R {
  const reader = new KafkaReader(encodeAt(encode, version, flexibleFrom, value), version >= flexibleFrom)
  const decoded = decode(reader, version)
  expect(reader.remaining, `bytes left after decoding v${version}`).toBe(0)
  return decoded
}

export function versionsOf(range: { readonly min: number; readonly max: number }): number[] {
  return Array.from({ length: range.max - range.min + 1 }, (_, i) => range.min + i)
}
