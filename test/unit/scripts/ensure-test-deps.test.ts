import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const script = fileURLToPath(new URL('../../../scripts/ensure-test-deps.mjs', import.meta.url))

describe('ensure-test-deps (npm pretest)', () => {
  it('passes on a machine that has every peer the tests use', () => {
    const result = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, TRIBUTARY_TEST_DEPS: 'check' } })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })

  it('names what is missing and the exact command when it may not install', () => {
    const result = spawnSync(process.execPath, [script], {
      encoding: 'utf8',
      env: { ...process.env, PATH: '/nonexistent', TRIBUTARY_TEST_DEPS: 'check' },
    })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('kcat (librdkafka)')
    expect(result.stderr).toMatch(/apt-get update && apt-get install -y --no-install-recommends .*\bkcat\b/)
  })
})
