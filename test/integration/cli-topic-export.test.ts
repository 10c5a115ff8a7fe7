import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tributaryCli } from '../support/tributary-cli.ts'
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness.ts'

let harness: WorkerHarness

beforeEach(async () => {
  harness = await startWorkerHarness()
})
afterEach(async () => {
  await harness.close()
})

const consume = (...args: string[]) => tributaryCli(['topics', 'consume', 'exports', '--url', harness.base, ...args])

describe('tributary topics consume as an export', () => {
  it('reads page after page to the end or the limit, with clean output when stderr is no terminal', async () => {
    expect((await harness.request('POST', '/topics', { name: 'exports' })).status).toBe(201)
    const records = Array.from({ length: 2500 }, (_, n) => ({ key: `k${n}`, value: `v${n}` }))
    expect((await harness.request('POST', '/topics/exports/records', { records })).status).toBe(200)

    const all = await consume()
    expect(all.stderr).toBe('')
    const lines = all.stdout.split('\n').filter(Boolean)
    expect(lines).toHaveLength(2500)
    expect(lines[2499]).toBe('2499\tk2499\tv2499')

    const some = await consume('--offset', '100', '--limit', '1500')
    expect(some.stderr).toBe('')
    expect(
      some.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t')[0]),
    ).toEqual(Array.from({ length: 1500 }, (_, n) => String(n + 100)))
  })
})
