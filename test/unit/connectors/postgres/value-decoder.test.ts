import { describe, expect, it } from 'vitest'
import { parsePgArray } from '../../../../connectors/postgres/pg-array.ts'
import { decodeTextValue } from '../../../../connectors/postgres/value-decoder.ts'

const none = () => undefined

describe('PostgreSQL text values', () => {
  it('keeps numbers exact', () => {
    expect(decodeTextValue(23, '-42', none)).toBe(-42)
    expect(decodeTextValue(20, '9007199254740991', none)).toBe(9007199254740991)
    expect(decodeTextValue(20, '9223372036854775807', none)).toBe('9223372036854775807')
    expect(decodeTextValue(1700, '12345678901234567890.000000001', none)).toBe('12345678901234567890.000000001')
    expect(decodeTextValue(701, '0.1', none)).toBe(0.1)
    expect(decodeTextValue(701, 'NaN', none)).toBe('NaN')
  })

  it('decodes booleans, json, bytea and times', () => {
    expect(decodeTextValue(16, 't', none)).toBe(true)
    expect(decodeTextValue(3802, '{"a": [1, null]}', none)).toEqual({ a: [1, null] })
    expect(decodeTextValue(17, '\\x48690a', none)).toBe(Buffer.from('Hi\n').toString('base64'))
    expect(decodeTextValue(1114, '2024-02-29 23:59:59.123456', none)).toBe('2024-02-29T23:59:59.123456')
    expect(decodeTextValue(1184, '2024-02-29 23:59:59.5+00', none)).toBe('2024-02-29T23:59:59.5Z')
    expect(decodeTextValue(1082, '2024-02-29', none)).toBe('2024-02-29')
    expect(decodeTextValue(1184, 'infinity', none)).toBe('infinity')
  })

  it('parses arrays with quotes, NULLs, nesting and bounds, element by element', () => {
    expect(decodeTextValue(1007, '{1,2,NULL}', none)).toEqual([1, 2, null])
    expect(decodeTextValue(1009, '{"a,b","c\\"d",plain,"NULL"}', none)).toEqual(['a,b', 'c"d', 'plain', 'NULL'])
    expect(decodeTextValue(1007, '{{1,2},{3,4}}', none)).toEqual([[1, 2], [3, 4]])
    expect(parsePgArray('[0:1]={x,y}', (v) => v)).toEqual(['x', 'y'])
    expect(decodeTextValue(99999, '{red,green}', (oid) => (oid === 99999 ? { category: 'A', element: 25 } : undefined))).toEqual(['red', 'green'])
    expect(decodeTextValue(1009, '{}', none)).toEqual([])
  })

  it('decodes a domain as the type it is over, through domains over domains', () => {
    const domains = (oid: number) => (oid === 70001 ? { category: 'N', element: 0, base: 70000 } : oid === 70000 ? { category: 'N', element: 0, base: 20 } : undefined)
    expect(decodeTextValue(70001, '42', domains)).toBe(42)
    expect(decodeTextValue(70000, '9007199254740993', domains)).toBe('9007199254740993')
  })
})
