import { describe, expect, it } from 'vitest'
import { FrameDecoder } from '../../../../../core/kafka/server/frame-decoder.ts'

function frame(body: Buffer): Buffer {
  const size = Buffer.alloc(4)
  size.writeInt32BE(body.length)
  return Buffer.concat([size, body])
}

describe('FrameDecoder', () => {
  const bodies = [Buffer.from('first request'), Buffer.alloc(0), Buffer.from('third, a little longer request body')]
  const stream = Buffer.concat(bodies.map(frame))

  it('returns the same frames wherever the stream is split', () => {
    for (let i = 0; i <= stream.length; i++) {
      const decoder = new FrameDecoder(1024)
      const frames = [...decoder.push(stream.subarray(0, i)), ...decoder.push(stream.subarray(i))]
      expect(frames.map((f) => f.toString())).toEqual(bodies.map((b) => b.toString()))
      expect(decoder.bufferedBytes).toBe(0)
    }
  })

  it('reassembles a stream fed one byte at a time', () => {
    const decoder = new FrameDecoder(1024)
    const frames: Buffer[] = []
    for (let i = 0; i < stream.length; i++) frames.push(...decoder.push(stream.subarray(i, i + 1)))
    expect(frames.map((f) => f.toString())).toEqual(bodies.map((b) => b.toString()))
  })

  it('refuses a frame above the limit before buffering it', () => {
    const decoder = new FrameDecoder(100)
    const header = Buffer.alloc(4)
    header.writeInt32BE(101)
    expect(() => decoder.push(header)).toThrow(expect.objectContaining({ code: 'TRB_PROTOCOL_FRAME' }))
  })

  it('refuses a negative size', () => {
    const decoder = new FrameDecoder(100)
    expect(() => decoder.push(Buffer.from([0xff, 0xff, 0xff, 0xfe]))).toThrow(expect.objectContaining({ code: 'TRB_PROTOCOL_FRAME' }))
  })
})
