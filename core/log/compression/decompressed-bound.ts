/**
 * How large a compressed records section can grow when decompressed, read from its framing alone, so
 * that a small batch that would inflate to gigabytes (a "decompression bomb") is refused before any
 * memory is given to it. Each bound is an upper bound that cannot be talked down by the sender: it is
 * summed from the sizes each block may produce, never taken from a declared total.
 *
 * Snappy raw block  => uncompressedLength:uvarint32 data
 * Xerial stream     => see snappy-codec.ts: chunks of raw blocks, each bounded as above
 * LZ4 frame         => magic:u32le(0x184D2204) FLG BD [contentSize:u64le] [dictId:u32le] HC
 *                      { blockSize:u32le (high bit: stored raw) data [blockChecksum:u32le] } endMark:u32le(0)
 *                      [contentChecksum:u32le]; a compressed block inflates to at most BD's block size
 * Zstd frame        => magic:u32le(0xFD2FB528) FHD [window:u8] [dictId] [contentSize]
 *                      { blockHeader:u24le (last:1 type:2 size:21) data } [checksum:u32le]; a raw block
 *                      gives `size` bytes, an RLE block `size` bytes from one, a compressed block at most
 *                      min(window, 128 KiB); the decoder reserves the window (the content size in a
 *                      single-segment frame), so the frame's bound is at least that
 * Both LZ4 and zstd allow skippable frames (magic 0x184D2A5x, size:u32le, data) and concatenated frames.
 * Gzip carries no trustworthy size; zlib's own output limit bounds it instead (compression-codecs.ts).
 */

export type FramedCompression = 'snappy' | 'lz4' | 'zstd'

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00])
const XERIAL_HEADER_BYTES = 16
const LZ4_MAGIC = 0x184d2204
const ZSTD_MAGIC = 0xfd2fb528
const ZSTD_MAX_BLOCK = 128 * 1024
const LZ4_BLOCK_SIZES: Readonly<Record<number, number>> = { 4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024 }

const isSkippableFrame = (magic: number) => (magic & 0xfffffff0) >>> 0 === 0x184d2a50

/** A cursor that throws when the data ends before a field it reads. */
class Cursor {
  pos = 0
  private readonly data: Buffer
  constructor(data: Buffer) {
    this.data = data
  }
  get remaining(): number {
    return this.data.length - this.pos
  }
  skip(bytes: number): void {
    if (bytes > this.remaining) throw new Error(`the frame ends ${bytes - this.remaining} bytes early`)
    this.pos += bytes
  }
  u8(): number {
    this.skip(1)
    return this.data[this.pos - 1]!
  }
  u24le(): number {
    this.skip(3)
    return this.data.readUIntLE(this.pos - 3, 3)
  }
  /** An unsigned little-endian integer of 0 to 8 bytes (a number: exact below 2^53, and larger than any limit above it). */
  uintLE(bytes: number): number {
    this.skip(bytes)
    let value = 0
    for (let i = bytes - 1; i >= 0; i--) value = value * 256 + this.data[this.pos - bytes + i]!
    return value
  }
  u32le(): number {
    this.skip(4)
    return this.data.readUInt32LE(this.pos - 4)
  }
}

/** The length a raw snappy block declares in its preamble: snappy allocates exactly this much. */
function snappyBlockLength(data: Buffer, start: number, end: number): number {
  let length = 0
  for (let pos = start, shift = 0; pos < end && shift <= 28; pos++, shift += 7) {
    const byte = data[pos]!
    length += (byte & 0x7f) * 2 ** shift
    if ((byte & 0x80) === 0) return length
  }
  throw new Error('the snappy block has no complete length preamble')
}

function snappyBound(data: Buffer): number {
  if (data.length < XERIAL_MAGIC.length || data.compare(XERIAL_MAGIC, 0, XERIAL_MAGIC.length, 0, XERIAL_MAGIC.length) !== 0) {
    return snappyBlockLength(data, 0, data.length)
  }
  let total = 0
  let pos = 0
  while (pos < data.length) {
    if (data[pos] === XERIAL_MAGIC[0]) {
      pos += XERIAL_HEADER_BYTES
      continue
    }
    if (data.length - pos < 4) throw new Error('the xerial snappy stream ends inside a chunk length')
    const chunk = data.readInt32BE(pos)
    pos += 4
    if (chunk < 0 || pos + chunk > data.length) throw new Error('a xerial snappy chunk runs past the end')
    total += snappyBlockLength(data, pos, pos + chunk)
    pos += chunk
  }
  return total
}

function lz4FrameBound(cursor: Cursor): number {
  const flags = cursor.u8()
  const blockMax = LZ4_BLOCK_SIZES[(cursor.u8() >> 4) & 0x07]
  if (blockMax === undefined) throw new Error('the LZ4 frame names no valid block size')
  cursor.skip(((flags & 0x08) !== 0 ? 8 : 0) + ((flags & 0x01) !== 0 ? 4 : 0) + 1)
  const blockChecksum = (flags & 0x10) !== 0 ? 4 : 0
  let total = 0
  for (;;) {
    const word = cursor.u32le()
    if (word === 0) break
    const size = word & 0x7fffffff
    total += (word & 0x80000000) !== 0 ? size : blockMax
    cursor.skip(size + blockChecksum)
  }
  cursor.skip((flags & 0x04) !== 0 ? 4 : 0)
  return total
}

function zstdFrameBound(cursor: Cursor): number {
  const descriptor = cursor.u8()
  const singleSegment = (descriptor & 0x20) !== 0
  const contentSizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][descriptor >> 6]!
  let window = ZSTD_MAX_BLOCK
  if (!singleSegment) {
    const windowByte = cursor.u8()
    const base = 2 ** (10 + (windowByte >> 3))
    window = base + (base / 8) * (windowByte & 0x07)
  }
  cursor.skip([0, 1, 2, 4][descriptor & 0x03]!)
  const contentSize = cursor.uintLE(contentSizeBytes)
  // A single-segment frame's window is its declared content size (2-byte sizes count from 256).
  if (singleSegment) window = contentSizeBytes === 2 ? contentSize + 256 : contentSize
  const blockMax = Math.min(window, ZSTD_MAX_BLOCK)
  let total = 0
  for (;;) {
    const header = cursor.u24le()
    const type = (header >> 1) & 0x03
    const size = header >>> 3
    if (type === 3) throw new Error('the zstd frame has a block of the reserved type')
    total += type === 2 ? blockMax : size
    cursor.skip(type === 1 ? 1 : size)
    if ((header & 1) !== 0) break
  }
  cursor.skip((descriptor & 0x04) !== 0 ? 4 : 0)
  // The decoder reserves the window before it writes a byte: a small frame may name a large one.
  return Math.max(total, window)
}

/** Sums the bounds of the frames in `data` (LZ4 or zstd), stepping over skippable frames. */
function framesBound(data: Buffer, magic: number, frameBound: (cursor: Cursor) => number): number {
  const cursor = new Cursor(data)
  let total = 0
  do {
    const found = cursor.u32le()
    if (isSkippableFrame(found)) cursor.skip(cursor.u32le())
    else if (found === magic) total += frameBound(cursor)
    else throw new Error(`no frame starts at byte ${cursor.pos - 4}`)
  } while (cursor.remaining > 0)
  return total
}

/**
 * At most how many bytes `data` decompresses to, read from its framing. Throws when the framing is
 * malformed, so that the codec's own error need not be reached.
 */
export function decompressedBound(compression: FramedCompression, data: Buffer): number {
  if (compression === 'snappy') return snappyBound(data)
  if (compression === 'lz4') return framesBound(data, LZ4_MAGIC, lz4FrameBound)
  return framesBound(data, ZSTD_MAGIC, zstdFrameBound)
}
