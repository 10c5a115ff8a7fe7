import { describe, expect, it } from 'vitest'
import { formatPgArray, parsePgArray } from '../../../../../connectors/postgres/shared/pg-array.ts'

describe('PostgreSQL array text, written', () => {
  it('reads back what it writes, quotes and backslashes included', () => {
    const values = ['plain', 'a "quoted" word', 'back\\slash', 'comma, {braces}', 'NULL', '', 'ünï €', null, ' spaced ']
    const text = formatPgArray(values, (value) => value)
    expect(parsePgArray(text, (value) => value)).toEqual(values)
  })

  it('leaves numbers and booleans bare and writes bytes as hex', () => {
    expect(formatPgArray([1, -2.5, 10n, true, false, undefined], (value) => value)).toBe('{1,-2.5,10,true,false,NULL}')
    expect(formatPgArray([Buffer.from([0xde, 0xad])], (value) => value)).toBe('{\\\\xdead}')
  })
})
