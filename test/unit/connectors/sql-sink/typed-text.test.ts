import { describe, expect, it } from 'vitest'
import { bitBytes, bitText, typedJson, variableDecimalText } from '../../../../connectors/sql-sink/typed-text.ts'
import { decimalToBytes } from '../../../../core/runtime/schema/logical.ts'

describe('typed text', () => {
  it('reads Debezium Bits as little-endian bytes, the highest bit written first', () => {
    expect(bitText(Buffer.from([0b10110]), 5)).toBe('10110')
    expect(bitText(Buffer.from([0x01, 0x02]), 10)).toBe('1000000001')
    expect(bitText(Buffer.from([0x05]), undefined)).toBe('101')
    expect(bitText(Buffer.from([0x05]), 2_147_483_647)).toBe('101')
    expect(bitText(Buffer.alloc(0), 3)).toBe('000')
    expect(bitBytes(Buffer.from([0x01, 0x02]), 10).toString('hex')).toBe('0201')
  })

  it('writes a VariableScaleDecimal exactly', () => {
    expect(variableDecimalText({ scale: 20, value: decimalToBytes('-1234567890123.45678901234567890123', 20) })).toBe(
      '-1234567890123.45678901234567890123',
    )
    expect(variableDecimalText({ scale: 0, value: Buffer.from([0]) })).toBe('0')
    expect(() => variableDecimalText({ scale: 1 })).toThrow(/VariableScaleDecimal/)
  })

  it('writes typed data as JSON: bytes as base64, int64 digits kept, maps as objects', () => {
    expect(
      typedJson({ a: 9007199254740993n, b: Buffer.from([255]), m: new Map([['k', [1, null]]]), d: new Date(0), s: 'q"', n: Number.NaN }),
    ).toBe('{"a":9007199254740993,"b":"/w==","m":{"k":[1,null]},"d":"1970-01-01T00:00:00.000Z","s":"q\\"","n":null}')
  })
})
