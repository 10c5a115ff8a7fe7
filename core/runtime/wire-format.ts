/**
 * Confluent's wire format, which every registry-aware serializer writes and reads: a zero magic byte,
 * the schema's global id as a 4-byte big-endian integer, then the payload in the schema's language.
 * (Protobuf puts the message's index path between the id and the payload; its codec reads that part.)
 */

export const MAGIC_BYTE = 0
export const HEADER_BYTES = 5

/** The header and payload in one buffer. */
export function frame(id: number, payload: Buffer): Buffer {
  const bytes = Buffer.allocUnsafe(HEADER_BYTES + payload.length)
  bytes[0] = MAGIC_BYTE
  bytes.writeUInt32BE(id, 1)
  payload.copy(bytes, HEADER_BYTES)
  return bytes
}

/** The id and payload of framed bytes; a reason when they are not framed so. */
export function unframe(bytes: Buffer): { id: number; payload: Buffer } | { problem: string } {
  if (bytes.length < HEADER_BYTES)
    return {
      problem: `${bytes.length} bytes are too few for the schema registry's wire format (a magic byte and a 4-byte schema id first)`,
    }
  if (bytes[0] !== MAGIC_BYTE)
    return {
      problem: `unknown magic byte ${bytes[0]}: the record was not written in the schema registry's wire format (written by another converter?)`,
    }
  return { id: bytes.readUInt32BE(1), payload: bytes.subarray(HEADER_BYTES) }
}
