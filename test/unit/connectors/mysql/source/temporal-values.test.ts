import { describe, expect, it } from 'vitest'
import { epochDays, epochMicros, epochMillis, zonedTimestamp } from '../../../../../connectors/mysql/source/temporal-values.ts'

/** Date's own count of ms at a UTC date and time, years below 100 as they are. */
function dateMillis(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second))
  date.setUTCFullYear(year)
  return date.getTime()
}

const two = (n: number) => String(n).padStart(2, '0')

describe('MySQL temporal values', () => {
  it('count ms, µs and days as Date does, over years 1 to 9999 and every day of a month', () => {
    let seed = 7
    const next = (bound: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed % bound
    }
    for (let i = 0; i < 5000; i++) {
      const [year, month, day, hour, minute, second] = [1 + next(9999), 1 + next(12), 1 + next(31), next(24), next(60), next(60)]
      const ms = dateMillis(year, month, day, hour, minute, second)
      const text = `${String(year).padStart(4, '0')}-${two(month)}-${two(day)} ${two(hour)}:${two(minute)}:${two(second)}`
      expect(epochMillis(`${text}.123456`)).toBe(ms + 123)
      expect(epochMicros(`${text}.123456`)).toEqual(Number.isSafeInteger(ms * 1000) ? ms * 1000 + 123_456 : BigInt(ms) * 1000n + 123_456n)
      expect(epochDays(text)).toBe(Math.floor(dateMillis(year, month, day, 0, 0, 0) / 86_400_000))
    }
  })

  it("write a TIMESTAMP as ISO text: the column's digits when streamed, no trailing zeros in a snapshot, a zero date as Debezium does", () => {
    const cases: Array<[string, number, boolean, string | undefined]> = [
      ['2024-02-29 10:11:12.123', 3, true, '2024-02-29T10:11:12.123Z'],
      ['2024-02-29 10:11:12.123', 6, true, '2024-02-29T10:11:12.123000Z'],
      ['2024-02-29 10:11:12.120', 3, false, '2024-02-29T10:11:12.12Z'],
      ['2024-02-29 10:11:12.000', 3, false, '2024-02-29T10:11:12Z'],
      ['2024-02-29 10:11:12', 0, true, '2024-02-29T10:11:12Z'],
      ['2024-01-31 23:59:59.5', 1, true, '2024-01-31T23:59:59.5Z'],
      ['2038-01-19 03:14:07.999999', 6, true, '2038-01-19T03:14:07.999999Z'],
      ['0099-12-31 23:59:59', 0, false, '0099-12-31T23:59:59Z'],
      ['0000-00-00 00:00:00', 0, true, '1970-01-01T00:00:00Z'],
      ['0000-00-00 00:00:00', 0, false, undefined],
    ]
    for (const [text, fsp, streamed, iso] of cases)
      expect(zonedTimestamp(text, fsp, streamed), `${text} fsp ${fsp} ${streamed ? 'streamed' : 'snapshot'}`).toBe(iso)
    // The same text again, asked another way, is not answered from the one before.
    expect(zonedTimestamp('2024-01-01 00:00:00.5', 3, true)).toBe('2024-01-01T00:00:00.500Z')
    expect(zonedTimestamp('2024-01-01 00:00:00.5', 6, true)).toBe('2024-01-01T00:00:00.500000Z')
    expect(zonedTimestamp('2024-01-01 00:00:00.5', 6, false)).toBe('2024-01-01T00:00:00.5Z')
    expect(zonedTimestamp('2024-01-01 00:00:00.5', 6, false)).toBe('2024-01-01T00:00:00.5Z')
  })
})
