/** The day-number calendar against the JS Date's own proleptic Gregorian arithmetic, BC years included. */
import { describe, expect, it } from 'vitest'
import { civilFromDays, daysFromCivil } from '../../../../../core/runtime/plugin.ts'

const DAY_MS = 86_400_000

function utcDays(year: number, month: number, day: number): number {
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  return Math.floor(date.getTime() / DAY_MS)
}

describe('calendar', () => {
  it('agrees with Date.UTC on the first of every month from 4713 BC to 9999 and back', () => {
    const wrong: string[] = []
    for (let year = -4712; year <= 9999; year += 7) {
      for (let month = 1; month <= 12; month++) {
        const days = daysFromCivil(year, month, 1)
        if (days !== utcDays(year, month, 1)) wrong.push(`${year}-${month}: ${days}`)
        const back = civilFromDays(days)
        if (back.year !== year || back.month !== month || back.day !== 1) wrong.push(`${days}: ${JSON.stringify(back)}`)
      }
    }
    expect(wrong.slice(0, 5)).toEqual([])
  })

  it('knows leap days: 2000-02-29 exists, 1900-02-29 is 1900-03-01', () => {
    expect(civilFromDays(daysFromCivil(2000, 2, 29))).toEqual({ year: 2000, month: 2, day: 29 })
    expect(civilFromDays(daysFromCivil(1900, 2, 29))).toEqual({ year: 1900, month: 3, day: 1 })
    expect(daysFromCivil(1970, 1, 1)).toBe(0)
    expect(civilFromDays(-1)).toEqual({ year: 1969, month: 12, day: 31 })
  })
})
