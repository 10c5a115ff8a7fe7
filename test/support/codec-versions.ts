/**
 * Helpers for codec tests: each version of a range with whether it is flexible, and the bytes of
 * fields written out by hand (compact strings, tagged fields) to check flexible layouts against the
 * spec with no codec in between.
 */

/** Versions min..max of a codec's range, each with whether it is flexible. */
export function eachVersion(range: { min: number; max: number; flexibleFrom: number }): Array<[number, boolean]> {
  const out: Array<[number, boolean]> = []
  for (let v = range.min; v <= range.max; v++) out.push([v, v >= range.flexibleFrom])
  return out
}

/** Bytes written by hand, to check a layout against the spec with no codec in between. */
export const bytesOf = {
  int8: (n: number): Buffer => Buffer.from([n & 0xff]),
  int16: (n: number): Buffer => { const b = Buffer.alloc(2); b.writeInt16BE(n); return b },
  int32: (n: number): Buffer => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b },
  int64: (n: number): Buffer => { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(n)); return b },
  /** A compact (flexible) string or bytes: unsigned varint length + 1 (0 is null), then the bytes. Lengths < 127 only. */
  compact: (value: string | Buffer | null): Buffer => value === null ? Buffer.from([0]) : Buffer.concat([Buffer.from([Buffer.byteLength(value) + 1]), Buffer.from(value)]),
  /** A compact array's length (count + 1). */
  compactCount: (count: number): Buffer => Buffer.from([count + 1]),
  /** An empty tagged-field section. */
  noTags: (): Buffer => Buffer.from([0]),
}
