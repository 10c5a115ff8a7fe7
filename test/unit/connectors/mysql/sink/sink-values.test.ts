import { describe, expect, it } from 'vitest'
import { sqlDateTime, sqlLiteral, sqlTime } from '../../../../../connectors/mysql/sink/sink-values.ts'

describe('mysql-sink literals', () => {
  it('turns ISO date-times into UTC text MySQL accepts, to the microsecond', () => {
    expect(sqlDateTime('2024-02-29T10:11:12.123456')).toBe('2024-02-29 10:11:12.123456')
    expect(sqlDateTime('2024-02-29T10:11:12.123456Z')).toBe('2024-02-29 10:11:12.123456')
    expect(sqlDateTime('2024-03-01T01:00:00+02:00')).toBe('2024-02-29 23:00:00')
    expect(sqlDateTime('1900-01-01 00:00:00+00:53:28')).toBe('1899-12-31 23:06:32')
    expect(sqlDateTime('0099-12-31T23:00:00-01')).toBe('0100-01-01 00:00:00')
    expect(sqlDateTime('2024-02-29')).toBe('2024-02-29')
    expect(sqlDateTime('infinity')).toBe('infinity')
  })

  it('moves a zoned time of day to UTC and leaves durations alone', () => {
    expect(sqlTime('12:00:00.5+02')).toBe('10:00:00.5')
    expect(sqlTime('01:00:00-03:30')).toBe('04:30:00')
    expect(sqlTime('00:30:00+01')).toBe('23:30:00')
    expect(sqlTime('-838:59:59.000001')).toBe('-838:59:59.000001')
  })

  it('writes each value for its column kind', () => {
    expect(sqlLiteral('x', 'json')).toBe(`'\\"x\\"'`)
    expect(sqlLiteral({ a: "it's" }, undefined)).toBe(`'{\\"a\\":\\"it\\'s\\"}'`)
    expect(sqlLiteral('AAEC', 'binary')).toBe(`X'000102'`)
    expect(sqlLiteral(true, 'integer')).toBe('1')
    expect(sqlLiteral(Number.NaN, 'float')).toBe(`'NaN'`)
    expect(sqlLiteral('12.50', 'decimal')).toBe(`'12.50'`)
    expect(sqlLiteral(null, 'json')).toBe('NULL')
  })
})
