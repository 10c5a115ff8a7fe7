/**
 * The message indexes Confluent's Protobuf serializers put between the schema id and the payload:
 * the path of the record's message in the schema's file (its index among the file's messages, then
 * among that message's nested ones…), as a zigzag varint count and zigzag varint indexes. The first
 * message of the file, `[0]`, is written as the single byte 0.
 */

function writeVarint(bytes: number[], value: number): void {
  let rest = value >>> 0
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80)
    rest >>>= 7
  }
  bytes.push(rest)
}

const zigzag = (value: number): number => ((value << 1) ^ (value >> 31)) >>> 0
const unzigzag = (value: number): number => (value >>> 1) ^ -(value & 1)

export function encodeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0])
  const bytes: number[] = []
  writeVarint(bytes, zigzag(indexes.length))
  for (const index of indexes) writeVarint(bytes, zigzag(index))
  return Buffer.from(bytes)
}

/** The indexes at the start of a payload (`[0]` for the single byte 0) and where the message begins. */
export function decodeMessageIndexes(payload: Buffer): { indexes: number[]; offset: number } {
  let offset = 0
  const readVarint = (): number => {
    let value = 0
    for (let shift = 0; shift < 35; shift += 7) {
      if (offset >= payload.length) throw new Error('the payload ends inside its message indexes')
      const byte = payload[offset++] as number
      value |= (byte & 0x7f) << shift
      if ((byte & 0x80) === 0) return value >>> 0
    }
    throw new Error('a message index is longer than a 32-bit varint')
  }
  const count = unzigzag(readVarint())
  if (count === 0) return { indexes: [0], offset }
  if (count < 0 || count > payload.length) throw new Error(`${count} message indexes cannot be right`)
  const indexes: number[] = []
  for (let i = 0; i < count; i++) indexes.push(unzigzag(readVarint()))
  return { indexes, offset }
}
