/**
 * Splits a byte stream into Kafka frames: int32 size, then that many bytes. Chunks may split a frame
 * anywhere, including inside the size. A frame larger than `maxFrameBytes` or with a negative size is
 * a protocol error: the connection that sent it is closed, before its bytes are buffered.
 */
import { TributaryError } from '../../errors.ts'

export class FrameDecoder {
  /** May change between frames: a connection takes larger frames once it has authenticated. */
  maxFrameBytes: number
  private pending: Buffer[] = []
  private pendingBytes = 0
  /** Bytes the frame in progress needs in all, size prefix included, once its size is known. */
  private awaitedBytes = 4

  constructor(maxFrameBytes: number) {
    this.maxFrameBytes = maxFrameBytes
  }

  /** Bytes held for a frame not yet complete. */
  get bufferedBytes(): number {
    return this.pendingBytes
  }

  /** Feeds a chunk and returns the frames it completes (views, not copies, where possible). */
  push(chunk: Buffer): Buffer[] {
    let data = chunk
    if (this.pendingBytes > 0) {
      this.pending.push(chunk)
      this.pendingBytes += chunk.length
      // A large frame arrives in many chunks: join them once, when the whole frame is here.
      if (this.pendingBytes < this.awaitedBytes) return []
      data = Buffer.concat(this.pending, this.pendingBytes)
      this.pending = []
      this.pendingBytes = 0
    }
    const frames: Buffer[] = []
    let pos = 0
    this.awaitedBytes = 4
    while (data.length - pos >= 4) {
      const size = data.readInt32BE(pos)
      if (size < 0 || size > this.maxFrameBytes) {
        throw new TributaryError(
          'TRB_PROTOCOL_FRAME',
          `frame of ${size} bytes is outside 0..${this.maxFrameBytes} (socket.request.max.bytes)`,
          { details: { size } },
        )
      }
      if (data.length - pos - 4 < size) {
        this.awaitedBytes = 4 + size
        break
      }
      frames.push(data.subarray(pos + 4, pos + 4 + size))
      pos += 4 + size
    }
    if (pos < data.length) {
      this.pending.push(data.subarray(pos))
      this.pendingBytes = data.length - pos
    }
    return frames
  }
}
