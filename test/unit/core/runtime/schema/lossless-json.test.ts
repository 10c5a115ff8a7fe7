/**
 * parseJsonLossless against lossless-json's own parser on hand-picked edge cases and random documents:
 * every integer beyond 2^53 outside a string becomes a bigint, strings and fractions stay as they are.
 */
import { parse } from 'lossless-json'
import { describe, expect, it } from 'vitest'
import { parseJsonLossless } from '../../../../../core/runtime/schema/lossless-json.ts'

function reference(text: string): unknown {
  return parse(text, null, (token: string) => {
    const value = Number(token)
    return Number.isSafeInteger(value) || !/^-?\d+$/.test(token) ? value : BigInt(token)
  })
}

/** Seeded so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

describe('parseJsonLossless', () => {
  it.each([
    ['a 20-digit integer', '{"a":12345678901234567890}', { a: 12345678901234567890n }],
    ['int64 bounds', '[-9223372036854775808,9223372036854775807]', [-9223372036854775808n, 9223372036854775807n]],
    ['2^53 + 1 and the largest safe integer', '[9007199254740993,9007199254740991]', [9007199254740993n, 9007199254740991]],
    ['long fraction digits stay a number', '[1.2345678901234567890]', [1.2345678901234567]],
    ['a long exponent stays a number', '[1e-1234567890123456]', [0]],
    // biome-ignore lint/correctness/noPrecisionLoss: the subject: a fraction beyond double precision stays the nearest number
    ['long integer part of a fraction', '[12345678901234567.5]', [12345678901234567.5]],
    [
      'digits inside strings',
      '{"s":"12345678901234567890 \\" 99999999999999999999","n":99999999999999999999}',
      { s: '12345678901234567890 " 99999999999999999999', n: 99999999999999999999n },
    ],
    [
      'an escaped NUL in the text',
      '{"k\\u0000":1,"x":"\\u00001","n":12345678901234567890}',
      { 'k\u0000': 1, x: '\u00001', n: 12345678901234567890n },
    ],
    [
      'a Debezium envelope',
      '{"payload":{"ts_ns":1765000000000000000,"a":[{"b":18446744073709551615}],"c":"\\\\"}}',
      { payload: { ts_ns: 1765000000000000000n, a: [{ b: 18446744073709551615n }], c: '\\' } },
    ],
    ['a bare long integer', '12345678901234567890', 12345678901234567890n],
  ])('%s', (_name, text, expected) => {
    expect(parseJsonLossless(text)).toEqual(expected)
  })

  it('throws on text that is not JSON, unterminated strings included', () => {
    expect(() => parseJsonLossless('{"a":12345678901234567890,"b":"open')).toThrow()
    expect(() => parseJsonLossless('{"a":1234567890123456789x}')).toThrow()
  })

  it('agrees with lossless-json on 5,000 random documents', () => {
    const next = random(20261206)
    const digits = (): string =>
      String(1 + Math.floor(next() * 9)) + Array.from({ length: Math.floor(next() * 22) }, () => Math.floor(next() * 10)).join('')
    const token = (): string => {
      const pick = next()
      if (pick < 0.3) return (next() < 0.5 ? '-' : '') + digits()
      if (pick < 0.5) return `${digits()}.${digits()}`
      if (pick < 0.6) return `${digits()}e${next() < 0.5 ? '-' : ''}${digits().slice(0, 2)}`
      return JSON.stringify(`${digits()} "\\ ${digits()}`)
    }
    const differing: string[] = []
    for (let i = 0; i < 5000; i++) {
      const parts = Array.from({ length: 6 }, token)
      const text = `{"x":[${parts.join(',')}],"y":{"z":${parts[0]}}}`
      try {
        expect(parseJsonLossless(text)).toEqual(reference(text))
      } catch {
        differing.push(text)
      }
    }
    expect(differing.slice(0, 3)).toEqual([])
  })
})
