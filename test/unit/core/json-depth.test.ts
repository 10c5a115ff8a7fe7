import { describe, expect, it } from 'vitest'
import { assertJsonDepth, exceedsJsonDepth, jsonDepth } from '../../../core/json-depth.ts'
import { isTributaryError } from '../../../core/errors.ts'

describe('jsonDepth', () => {
  it('counts arrays and objects, not scalars', () => {
    expect(jsonDepth('1')).toBe(0)
    expect(jsonDepth('"x"')).toBe(0)
    expect(jsonDepth('[]')).toBe(1)
    expect(jsonDepth('{"a":[1,{"b":[]}],"c":{}}')).toBe(4)
  })

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepth('{"a":"[[[{{{\\"[[[","b":["\\\\"]}')).toBe(2)
  })

  it('reads UTF-8 bytes and strings alike', () => {
    const text = '{"é":["ü",{"日本":"[["}]}'
    expect(jsonDepth(Buffer.from(text))).toBe(3)
    expect(jsonDepth(text)).toBe(3)
  })

  it('stops early past the limit', () => {
    const deep = '['.repeat(50_000) + ']'.repeat(50_000)
    expect(jsonDepth(deep)).toBe(50_000)
    expect(jsonDepth(deep, 10)).toBe(11)
  })

  it('assertJsonDepth refuses past the limit with TRB_JSON_TOO_DEEP and passes at it', () => {
    const atLimit = '['.repeat(1000) + ']'.repeat(1000)
    expect(() => assertJsonDepth(atLimit, 1000, 'the body')).not.toThrow()
    try {
      assertJsonDepth(`[${atLimit}]`, 1000, 'the body')
      expect.unreachable()
    } catch (error) {
      expect(isTributaryError(error, 'TRB_JSON_TOO_DEEP')).toBe(true)
      expect((error as Error).message).toContain('the body nests deeper than 1000')
    }
  })

  it('exceedsJsonDepth agrees with the scan whether or not the bracket count lets it skip it', () => {
    const many = JSON.stringify(Array.from({ length: 3000 }, (_, i) => ({ i, tags: [i] })))
    expect(exceedsJsonDepth(many, 1000)).toBe(false)
    expect(exceedsJsonDepth(`{"a":"${'['.repeat(5000)}"}`, 1000)).toBe(false)
    expect(exceedsJsonDepth('['.repeat(1001) + ']'.repeat(1001), 1000)).toBe(true)
    expect(exceedsJsonDepth(Buffer.from('[{'.repeat(501) + '}]'.repeat(501)), 1000)).toBe(true)
    expect(exceedsJsonDepth('[{'.repeat(500) + '}]'.repeat(500), 1000)).toBe(false)
  })
})
