import { describe, expect, it } from 'vitest'
import { clockText, dateText, dayMicros, epochDays, epochMicros, timestampText } from '../../../../connectors/sql-sink/temporal-text.ts'
import { Debezium, Logical } from '../../../../core/runtime/plugin.ts'

describe('temporal text', () => {
  it('writes every day from year 1 to 9999 as the calendar has it', () => {
    const first = Date.parse('0001-01-01T00:00:00Z') / 86_400_000
    const last = Date.parse('9999-12-31T00:00:00Z') / 86_400_000
    const days = Array.from({ length: Math.floor((last - first) / 97) + 1 }, (_, i) => first + i * 97)
    expect(days.map(dateText)).toEqual(days.map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10)))
    expect(dateText(last)).toBe('9999-12-31')
  })

  it('writes days before year 1 as PostgreSQL does (year 0 is 1 BC)', () => {
    expect(dateText(-719_162)).toBe('0001-01-01')
    expect(dateText(-719_163)).toBe('0001-12-31 BC')
    expect(dateText(-719_528)).toBe('0001-01-01 BC')
    expect(timestampText(-719_163n * 86_400_000_000n + 1n)).toBe('0001-12-31 00:00:00.000001 BC')
  })

  it('keeps every microsecond, before and after the epoch, with no float in between', () => {
    expect(timestampText(-1n)).toBe('1969-12-31 23:59:59.999999')
    expect(timestampText(1_709_201_472_123_456n)).toBe('2024-02-29 10:11:12.123456')
    expect(timestampText(253_402_300_799_999_999n)).toBe('9999-12-31 23:59:59.999999')
    expect(epochMicros(Debezium.nanoTimestamp, 1_000_000_000_123_456_789n)).toBe(1_000_000_000_123_456n)
    expect(epochMicros(Debezium.nanoTimestamp, -1)).toBe(-1n)
    expect(epochMicros(Debezium.timestamp, -1)).toBe(-1000n)
    expect(epochMicros(Logical.timestamp(), new Date('2024-02-29T10:11:12.123Z'))).toBe(1_709_201_472_123_000n)
  })

  it('writes times of day, 24:00:00, and MySQL durations past a day or below zero', () => {
    expect(clockText(0n)).toBe('00:00:00.000000')
    expect(clockText(86_400_000_000n)).toBe('24:00:00.000000')
    expect(clockText(-3_020_399_000_001n)).toBe('-838:59:59.000001')
    expect(clockText(dayMicros(Debezium.time, 45_296_789))).toBe('12:34:56.789000')
    expect(clockText(dayMicros(Logical.time(), new Date(59_999)))).toBe('00:00:59.999000')
    expect(clockText(dayMicros(Debezium.nanoTime, 1_999))).toBe('00:00:00.000001')
    expect(epochDays(new Date('1999-12-31T00:00:00Z'))).toBe(10_956)
  })
})
