/**
 * A poll of postgres-cdc's stream stays near batch.size however many records a transaction's commit
 * brings, and is cut only where its last offset is a safe place to resume.
 */
import { describe, expect, it } from 'vitest'
import { RecordBacklog } from '../../../../../connectors/postgres/source/record-backlog.ts'
import { TRANSACTION_END, TRANSACTION_RECORDS } from '../../../../../connectors/postgres/source/stream-reader.ts'
import type { SourceOffset, SourceRecord } from '../../../../../core/runtime/plugin.ts'

const record = (n: number, offset: SourceOffset): SourceRecord => ({
  topic: 't',
  key: n,
  value: n,
  sourcePartition: { server: 's' },
  sourceOffset: offset,
})
/** A transaction streamed whole: each record counts its place, the last ends it. */
const streamed = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    record(i + 1, i === count - 1 ? { lsn: '0/2', [TRANSACTION_END]: true } : { lsn: '0/1', txId: 9, [TRANSACTION_RECORDS]: i + 1 }),
  )
const keys = (records: readonly SourceRecord[]) => records.map((r) => r.key)

describe('the record backlog', () => {
  it('hands a transaction of 25 records out 10 at a time, each poll ending at a counted record', () => {
    const backlog = new RecordBacklog()
    const first = backlog.take(streamed(25), 10)
    expect(keys(first)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(first.at(-1)?.sourceOffset[TRANSACTION_RECORDS]).toBe(10)
    expect(backlog.isEmpty).toBe(false)
    expect(keys(backlog.take([], 10))).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20])
    expect(keys(backlog.take([], 10))).toEqual([21, 22, 23, 24, 25])
    expect(backlog.isEmpty).toBe(true)
  })

  it('cuts no later than the first safe place past the limit, and hands out whole what has none', () => {
    const backlog = new RecordBacklog()
    // Records of a transaction handed out as they came: only the third's offset says where it is.
    const unmarked = [
      record(1, { lsn: '0/1' }),
      record(2, { lsn: '0/1' }),
      record(3, { lsn: '0/1', txId: 9, [TRANSACTION_RECORDS]: 3 }),
      record(4, { lsn: '0/1' }),
    ]
    expect(keys(backlog.take(unmarked, 2))).toEqual([1, 2, 3])
    expect(keys(backlog.take([record(5, { lsn: '0/1' }), record(6, { lsn: '0/1' })], 2))).toEqual([4, 5, 6])
    expect(backlog.isEmpty).toBe(true)
  })
})
