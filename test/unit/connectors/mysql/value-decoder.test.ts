import { describe, expect, it } from 'vitest'
import type { Column, ColumnKind } from '../../../../connectors/mysql/catalog.ts'
import { decodeValue } from '../../../../connectors/mysql/value-decoder.ts'

const column = (kind: ColumnKind, width: number | null = null): Column => ({ name: 'c', kind, width })

describe('MySQL values', () => {
  it('keeps integers and decimals exact', () => {
    expect(decodeValue(column('integer'), 9007199254740991)).toBe(9007199254740991)
    expect(decodeValue(column('integer'), '18446744073709551615')).toBe('18446744073709551615')
    expect(decodeValue(column('integer'), '42')).toBe(42)
    expect(decodeValue(column('decimal'), '-0.1000')).toBe('-0.1000')
  })

  it('prints a binlog FLOAT with the digits the server prints', () => {
    expect(decodeValue(column('float'), Math.fround(0.1))).toBe(0.1)
    expect(decodeValue(column('float'), Math.fround(123456.7))).toBe(123456.7)
    expect(decodeValue(column('float'), 1.5)).toBe(1.5)
  })

  it('renders dates and times as ISO text, zero dates as null', () => {
    expect(decodeValue(column('datetime'), '2024-02-29 10:11:12.123456')).toBe('2024-02-29T10:11:12.123456')
    expect(decodeValue(column('timestamp'), '2024-02-29 10:11:12')).toBe('2024-02-29T10:11:12Z')
    expect(decodeValue(column('date'), '0000-00-00')).toBeNull()
    expect(decodeValue(column('datetime'), '0000-00-00 00:00:00')).toBeNull()
    expect(decodeValue(column('time'), '-838:59:59.000001')).toBe('-838:59:59.000001')
  })

  it('renders bytes as base64, BIT(1) as a boolean, JSON parsed', () => {
    expect(decodeValue(column('other'), Buffer.from([0, 1, 2]))).toBe('AAEC')
    expect(decodeValue(column('bit', 1), Buffer.from([1]))).toBe(true)
    expect(decodeValue(column('bit', 1), Buffer.from([0]))).toBe(false)
    expect(decodeValue(column('bit', 10), Buffer.from([2, 0xaa]))).toBe('Aqo=')
    expect(decodeValue(column('json'), '{"a":[1,null]}')).toEqual({ a: [1, null] })
    expect(decodeValue(column('json'), { a: 1 })).toEqual({ a: 1 })
    expect(decodeValue(column('other'), null)).toBeNull()
  })
})
