/** Kafka's Uuid type on the wire: 16 bytes. Topic ids are RFC 4122 strings in the log. */
export const ZERO_UUID = Buffer.alloc(16)

export function uuidToBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '')
  return hex.length === 32 ? Buffer.from(hex, 'hex') : ZERO_UUID
}

export function uuidFromBytes(bytes: Buffer): string {
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
