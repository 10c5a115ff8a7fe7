/**
 * Avro's long for avsc over the whole int64 range: avsc's own long refuses what lies beyond 2^53,
 * and a Connect int64 (a key, a nanosecond timestamp) may be anywhere up to 2^63-1. Written from a
 * number or a bigint; read as a number, or a bigint beyond 2^53. The zig-zag varint is done here
 * directly, in plain numbers while it fits seven bytes.
 */
import avro from 'avsc'

const MIN = -(2n ** 63n)
const MAX = 2n ** 63n - 1n
/** Below this magnitude the zig-zag value of a number is exact in a double. */
const EXACT = 2 ** 52
const scratch = Buffer.alloc(10)

export function isLong(value: unknown): value is number | bigint {
  return typeof value === 'number' ? Number.isSafeInteger(value) : typeof value === 'bigint' && value >= MIN && value <= MAX
}

/** The zig-zag varint of a long, in a scratch buffer avsc copies at once. */
function encode(value: number | bigint): Buffer {
  let length = 0
  if (typeof value === 'number' && value < EXACT && value > -EXACT) {
    let zigzag = value >= 0 ? value * 2 : -value * 2 - 1
    while (zigzag >= 0x80) {
      scratch[length++] = (zigzag % 0x80) | 0x80
      zigzag = Math.floor(zigzag / 0x80)
    }
    scratch[length++] = zigzag
  } else {
    const big = BigInt(value)
    let zigzag = big >= 0n ? big << 1n : (-big << 1n) - 1n
    while (zigzag >= 0x80n) {
      scratch[length++] = Number(zigzag & 0x7fn) | 0x80
      zigzag >>= 7n
    }
    scratch[length++] = Number(zigzag)
  }
  return scratch.subarray(0, length)
}

function decode(bytes: Buffer): number | bigint {
  if (bytes.length <= 7) {
    let zigzag = 0
    for (let index = bytes.length - 1; index >= 0; index--) zigzag = zigzag * 0x80 + ((bytes[index] as number) & 0x7f)
    return zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2
  }
  let zigzag = 0n
  for (let index = bytes.length - 1; index >= 0; index--) zigzag = (zigzag << 7n) | BigInt((bytes[index] as number) & 0x7f)
  const value = (zigzag >> 1n) ^ -(zigzag & 1n)
  return value >= -BigInt(Number.MAX_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : BigInt.asIntN(64, value)
}

function fromJson(value: unknown): number | bigint {
  if (typeof value === 'string') return decode(encode(BigInt(value)))
  if (typeof value === 'bigint') return decode(encode(value))
  return value as number
}

/** The long type to give avsc for every `long` (see avro-binary.ts's type hook). */
export const longType = avro.types.LongType.__with(
  {
    fromBuffer: decode,
    toBuffer: encode,
    fromJSON: fromJson,
    toJSON: (value: number | bigint) => (typeof value === 'bigint' ? Number(value) : value),
    isValid: isLong,
    compare: (a: number | bigint, b: number | bigint) => (a < b ? -1 : a > b ? 1 : 0),
  },
  true,
)
