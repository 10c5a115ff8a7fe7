/**
 * Two CompactedStores on one topic, as two workers of a group hold `_tributary-configs`: each reads
 * what the other wrote with catchUp(), which names the changed keys, waits at the end when asked,
 * and never lets an older record overwrite a newer value the store already has.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { CompactedStore } from '../../../core/log/compacted-store.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('CompactedStore.catchUp', () => {
  it("brings in other writers' changes in log order and keeps a newer own write", async () => {
    const dir = await makeTempDir()
    cleanups.push(() => dir.remove())
    const log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
    cleanups.push(() => log.close())
    const mine = await CompactedStore.open<number>(log, 'table')
    const theirs = await CompactedStore.open<number>(log, 'table')

    await theirs.write([
      ['a', 1],
      ['b', 2],
    ])
    await theirs.delete('b')
    expect(await mine.catchUp()).toEqual(['a', 'b'])
    expect([mine.get('a'), mine.get('b')]).toEqual([1, undefined])
    expect(await mine.catchUp()).toEqual([])

    // theirs writes a=3, then mine writes a=4 before reading: the older 3 must not win.
    await theirs.set('a', 3)
    await mine.set('a', 4)
    await mine.catchUp()
    expect(mine.get('a')).toBe(4)
    await theirs.catchUp()
    expect(theirs.get('a')).toBe(4)

    // A waiting catchUp returns as soon as the other side writes.
    const waiting = mine.catchUp({ maxWaitMs: 10_000 })
    await theirs.set('c', 5)
    expect(await waiting).toEqual(['c'])
  })
})
