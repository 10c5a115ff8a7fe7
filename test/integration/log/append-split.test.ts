import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isTributaryError } from '../../../core/errors.ts'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

let dir: { path: string; remove: () => Promise<void> }
let log: EmbeddedLog

beforeEach(async () => {
  dir = await makeTempDir()
  log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
})
afterEach(async () => {
  await log.close()
  await dir.remove()
})

describe('appending more than max.message.bytes at once', () => {
  it('splits the records into several batches, in order, with consecutive offsets', async () => {
    await log.createTopic('big', { partitions: 2, 'max.message.bytes': 10_000 })
    const records = Array.from({ length: 100 }, (_, i) => ({ key: null, value: Buffer.alloc(500, i), partition: i % 2 }))
    const results = await log.append('big', records)
    expect(results.filter((r) => r.partition === 0).map((r) => r.offset)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    const read = await log.read('big', 1, 0, { maxBytes: 1_000_000 })
    expect(read.records.map((r) => r.value?.[0])).toEqual(Array.from({ length: 50 }, (_, i) => 2 * i + 1))
    const batches = new Set(read.records.map((r) => r.offset - (r.offset % 1)))
    expect(batches.size).toBe(50)
    expect((await log.describeTopic('big')).partitions[1]?.sizeBytes).toBeGreaterThan(25_000)
  })

  it('still refuses a single record larger than the limit', async () => {
    await log.createTopic('small', { 'max.message.bytes': 1000 })
    const error = await log.append('small', [{ key: null, value: Buffer.alloc(2000) }]).catch((e: unknown) => e)
    expect(isTributaryError(error, 'TRB_LOG_RECORD_TOO_LARGE')).toBe(true)
  })
})
