/**
 * A read cursor over one Kafka request or response body. A reader is made for one message version:
 * in flexible versions (KIP-482) strings, bytes and arrays are "compact" (unsigned-varint length + 1)
 * and structs end in tagged fields, so the codecs call string()/array() and the reader picks the form.
 * The integers and varints are ByteReader's; every overrun throws TRB_PROTOCOL_FRAME, which closes
 * only the connection that sent it.
 */
import { ByteReader } from '../../byte-reader.ts'
import { TributaryError } from '../../errors.ts'

export class KafkaReader extends ByteReader {
  readonly flexible: boolean

  constructor(buf: Buffer, flexible = false, pos = 0) {
    super(buf, pos)
    this.flexible = flexible
  }

  /** The same bytes and position, read as another version's layout. */
  withFlexible(flexible: boolean): KafkaReader {
    return new KafkaReader(this.buf, flexible, this.pos)
  }

  bool(): boolean {
    return this.int8() !== 0
  }

  uuid(): Buffer {
    return this.slice(16)
  }

  string(): string {
    const value = this.nullableString()
    if (value === null) throw malformed('null where a string is required')
    return value
  }

  nullableString(): string | null {
    const length = this.flexible ? this.unsignedVarint() - 1 : this.int16()
    return this.stringOfLength(length)
  }

  /** The request header's client id: an int16-length string even in flexible versions. */
  legacyNullableString(): string | null {
    return this.stringOfLength(this.int16())
  }

  bytes(): Buffer {
    const value = this.nullableBytes()
    if (value === null) throw malformed('null where bytes are required')
    return value
  }

  /** A view into the frame, not a copy. */
  nullableBytes(): Buffer | null {
    return this.nullableSlice(this.flexible ? this.unsignedVarint() - 1 : this.int32())
  }

  array<T>(item: (reader: KafkaReader) => T): T[] {
    const value = this.nullableArray(item)
    if (value === null) throw malformed('null where an array is required')
    return value
  }

  nullableArray<T>(item: (reader: KafkaReader) => T): T[] | null {
    const length = this.flexible ? this.unsignedVarint() - 1 : this.int32()
    if (length === -1) return null
    if (length < 0) throw malformed(`invalid length ${length}`)
    // Each element takes at least one byte, so a length beyond the bytes left is a lie.
    if (length > this.remaining) throw malformed(`array of ${length} elements in ${this.remaining} bytes`)
    const out: T[] = new Array(length)
    for (let i = 0; i < length; i++) out[i] = item(this)
    return out
  }

  /**
   * A struct's tagged fields (flexible versions only). Known tags go to `onTag` with a reader over
   * just their bytes; unknown ones are skipped, as the protocol requires.
   */
  taggedFields(onTag?: (tag: number, field: KafkaReader) => void): void {
    if (!this.flexible) return
    const count = this.unsignedVarint()
    for (let i = 0; i < count; i++) {
      const tag = this.unsignedVarint()
      const field = this.slice(this.unsignedVarint())
      if (onTag) onTag(tag, new KafkaReader(field, true))
    }
  }

  protected override fail(problem: string): Error {
    return malformed(problem)
  }

  private stringOfLength(length: number): string | null {
    return length === -1 ? null : this.utf8(length)
  }
}

export function malformed(problem: string): TributaryError {
  return new TributaryError('TRB_PROTOCOL_FRAME', `malformed Kafka message: ${problem}`, { details: { problem } })
}
