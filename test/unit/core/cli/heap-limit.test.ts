import { describe, expect, it } from 'vitest'
import { defaultHeapMaxMb, resolveHeapMaxMb } from '../../../../core/cli/heap-limit.ts'

const GB = 1024 ** 3

describe('heap limit', () => {
  it('defaults to 1024 MB, or three quarters of a smaller memory limit on the process', () => {
    expect(defaultHeapMaxMb(undefined, 16 * GB)).toBe(1024)
    expect(defaultHeapMaxMb(2 ** 64, 16 * GB)).toBe(1024) // no cgroup limit: the kernel reports a huge one
    expect(defaultHeapMaxMb(8 * GB, 16 * GB)).toBe(1024)
    expect(defaultHeapMaxMb(512 * 1024 ** 2, 16 * GB)).toBe(384)
    expect(defaultHeapMaxMb(32 * 1024 ** 2, 16 * GB)).toBe(64)
  })

  it('takes the flag over the environment, and refuses what is not a whole number of megabytes', () => {
    expect(resolveHeapMaxMb('300', { TRIBUTARY_HEAP_MAX_MB: '700' })).toBe(300)
    expect(resolveHeapMaxMb(undefined, { TRIBUTARY_HEAP_MAX_MB: '700' })).toBe(700)
    expect(resolveHeapMaxMb('0', {})).toBe(0)
    expect(() => resolveHeapMaxMb('1.5', {})).toThrow(/whole number of megabytes/)
    expect(() => resolveHeapMaxMb('lots', {})).toThrow(/whole number of megabytes/)
  })
})
