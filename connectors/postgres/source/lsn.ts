/** PostgreSQL log sequence numbers: 64-bit WAL positions written `X/Y` in hex. */
export type Lsn = bigint

export function parseLsn(text: string): Lsn {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text)
  if (!match) throw new Error(`"${text}" is not an LSN (X/Y in hex)`)
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`)
}

const TWO_32 = 2 ** 32

export function formatLsn(lsn: Lsn): string {
  // Called for every change: plain numbers are much cheaper than bigint shifts, and exact below 2^53.
  if (lsn < 9_007_199_254_740_992n) {
    const value = Number(lsn)
    return `${Math.floor(value / TWO_32)
      .toString(16)
      .toUpperCase()}/${(value % TWO_32).toString(16).toUpperCase()}`
  }
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`
}
