/**
 * The requests a connection has received and not yet served: the frame still arriving (in the
 * frame decoder) and the complete frames waiting their turn. It counts their bytes, which is what the
 * connection holds for its client and reports to the listener's buffer budget, and says when reading
 * must pause: too many requests waiting, or a full-size frame's worth of bytes.
 */
import { FrameDecoder } from './frame-decoder.ts'

/** Requests read ahead of the one being answered before the socket stops reading. */
const MAX_QUEUED_REQUESTS = 32

export class RequestQueue {
  private readonly decoder: FrameDecoder
  private readonly frames: Buffer[] = []
  private queuedBytes = 0

  constructor(maxFrameBytes: number) {
    this.decoder = new FrameDecoder(maxFrameBytes)
  }

  /** The largest frame accepted from now on. */
  set maxFrameBytes(bytes: number) {
    this.decoder.maxFrameBytes = bytes
  }

  /** Takes a chunk and returns how many frames it completed; throws TRB_PROTOCOL_FRAME on a bad frame. */
  push(chunk: Buffer): number {
    const frames = this.decoder.push(chunk)
    for (const frame of frames) {
      this.frames.push(frame)
      this.queuedBytes += frame.length
    }
    return frames.length
  }

  shift(): Buffer | undefined {
    const frame = this.frames.shift()
    if (frame) this.queuedBytes -= frame.length
    return frame
  }

  get length(): number {
    return this.frames.length
  }

  /** Bytes held: the frame arriving and the frames waiting. */
  get bufferedBytes(): number {
    return this.decoder.bufferedBytes + this.queuedBytes
  }

  /** True when reading should pause until some are served. */
  isFull(): boolean {
    return this.frames.length >= MAX_QUEUED_REQUESTS || this.queuedBytes >= this.decoder.maxFrameBytes
  }

  clear(): void {
    this.frames.length = 0
    this.queuedBytes = 0
  }
}
