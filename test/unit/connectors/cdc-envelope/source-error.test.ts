import { describe, expect, it } from 'vitest'
import { TributaryError } from '../../../../core/runtime/plugin.ts'
import { positionLost, sourceErrorFor } from '../../../../connectors/cdc-envelope/source-error.ts'

const sourceError = sourceErrorFor({
  codes: (cause) => ({ code: (cause as { code?: unknown }).code }),
  isPermanent: (cause) => (cause as { code?: unknown }).code === 'DENIED',
})

describe('sourceErrorFor', () => {
  it("wraps a driver error with its codes, retriable unless the driver's classifier says permanent", () => {
    const passing = sourceError('stream failed', Object.assign(new Error('reset'), { code: 'RESET' }), { slot: 's' })
    expect(passing).toMatchObject({
      code: 'TRB_SOURCE_READ',
      message: 'stream failed: reset',
      retriable: true,
      details: { slot: 's', code: 'RESET' },
    })
    expect(sourceError('cannot start', Object.assign(new Error('no'), { code: 'DENIED' })).retriable).toBe(false)
  })

  it('passes a TributaryError through as it is', () => {
    const decided = new TributaryError('TRB_SOURCE_POSITION_LOST', 'gone', { retriable: false })
    expect(sourceError('stream failed', decided)).toBe(decided)
  })
})

describe('positionLost', () => {
  it('is never retriable and keeps where the position was', () => {
    expect(positionLost('gone', { slot: 's' })).toMatchObject({
      code: 'TRB_SOURCE_POSITION_LOST',
      message: 'gone',
      retriable: false,
      details: { slot: 's' },
    })
  })
})
