import { describe, expect, it } from 'vitest'
import { bearerTokenMatcher } from '../../../../core/api/auth.ts'

describe('bearer token matcher', () => {
  it('takes the token under any case of Bearer, and refuses others of any length', () => {
    const matches = bearerTokenMatcher('s3cret')
    expect([matches('Bearer s3cret'), matches('bearer s3cret'), matches('  Bearer   s3cret ')]).toEqual([true, true, true])
    for (const given of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Bearer s3cre',
      'Bearer s3cret2',
      'Bearer S3CRET',
      'Basic s3cret',
      's3cret',
      `Bearer ${'x'.repeat(10_000)}`,
    ]) {
      expect([given?.slice(0, 20), matches(given)]).toEqual([given?.slice(0, 20), false])
    }
  })
})
