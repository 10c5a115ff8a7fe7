import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { SourceOffsetStore } from '../../../core/runtime/source-offset-store.ts'
import { storageTopics } from '../../../core/runtime/storage-topics.ts'

const OFFSETS_TOPIC = storageTopics().offsets
import { makeTempDir } from '../../support/temp-dir.ts'

let dir: Awaited<ReturnType<typeof makeTempDir>>
let log: EmbeddedLog

beforeEach(async () => {
  dir = await makeTempDir('tributary-offset-store-')
  log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
})
afterEach(async () => {
  await log.close()
  await dir.remove()
})

async function storedRecords(): Promise<number> {
  return (await log.read(OFFSETS_TOPIC, 0, 0)).records.length
}

describe('source offset store', () => {
  it('joins the writes asked for while one is under way into one append, the newest offset of each partition winning', async () => {
    const store = await SourceOffsetStore.open(log, OFFSETS_TOPIC)
    const partition = { server: 'db' }
    const first = store.write('pg', [{ partition, offset: { lsn: 1 } }])
    await Promise.resolve() // the first write is under way
    const later = Array.from({ length: 19 }, (_, i) =>
      store.write('pg', [
        { partition, offset: { lsn: i + 2 } },
        { partition: { server: 'other' }, offset: { lsn: -(i + 2) } },
      ]),
    )
    await Promise.all([first, ...later])

    // One append for the first write and one for the other nineteen: two records per partition at most.
    expect(await storedRecords()).toBe(3)
    expect(store.get('pg', partition)).toEqual({ lsn: 20 })
    expect(store.get('pg', { server: 'other' })).toEqual({ lsn: -20 })
    const reopened = await SourceOffsetStore.open(log, OFFSETS_TOPIC)
    expect(reopened.get('pg', partition)).toEqual({ lsn: 20 })
    expect(reopened.get('pg', { server: 'other' })).toEqual({ lsn: -20 })
  })

  it('resolves a write only once its offsets are durable, and a reset still removes them', async () => {
    const store = await SourceOffsetStore.open(log, OFFSETS_TOPIC)
    await store.write('pg', [{ partition: { server: 'db' }, offset: { lsn: 7 } }])
    expect(await storedRecords()).toBe(1)
    await store.reset('pg')
    expect(store.get('pg', { server: 'db' })).toBeUndefined()
    expect((await SourceOffsetStore.open(log, OFFSETS_TOPIC)).get('pg', { server: 'db' })).toBeUndefined()
  })
})
