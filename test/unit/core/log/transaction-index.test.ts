import { describe, expect, it } from 'vitest'
import { decodeCommittedRecords } from '../../../../core/log/committed-records.ts'
import type { StoredRecord } from '../../../../core/log/log.ts'
import { setBaseOffset } from '../../../../core/log/record-batch.ts'
import { TransactionIndex, type AbortedTxn } from '../../../../core/log/transaction-index.ts'
import { plainData, txnData, txnMarker } from '../../../support/txn-batches.ts'

const entries: AbortedTxn[] = [
  { producerId: 1, firstOffset: 0, lastOffset: 5, lastStableOffset: 3 },
  { producerId: 2, firstOffset: 3, lastOffset: 8, lastStableOffset: 9 },
  { producerId: 3, firstOffset: 9, lastOffset: 12, lastStableOffset: 13 },
]

describe('TransactionIndex', () => {
  it('writes 34-byte version-0 entries and reads them back, refusing a torn or unknown file', () => {
    const bytes = new TransactionIndex([...entries]).serialize()
    expect(bytes.length).toBe(3 * 34)
    expect(bytes.subarray(0, 34).toString('hex')).toBe(
      '0000' + '0000000000000001' + '0000000000000000' + '0000000000000005' + '0000000000000003',
    )
    expect(TransactionIndex.deserialize(bytes)!.all).toEqual(entries)
    expect(TransactionIndex.deserialize(bytes.subarray(0, 40))).toBeUndefined()
    const later = Buffer.from(bytes)
    later.writeInt16BE(1, 34)
    expect(TransactionIndex.deserialize(later)).toBeUndefined()
  })

  it('collects the entries overlapping a range and says when no later segment can add one', () => {
    const index = new TransactionIndex([...entries])
    const found: AbortedTxn[] = []
    expect(index.collect(6, 9, found)).toBe(true)
    expect(found.map((e) => e.producerId)).toEqual([2])
    const all: AbortedTxn[] = []
    expect(index.collect(0, 20, all)).toBe(false)
    expect(all.map((e) => e.producerId)).toEqual([1, 2, 3])
  })
})

describe('decodeCommittedRecords', () => {
  it("skips an aborted producer's batches from its first offset to its ABORT marker, and every marker", () => {
    const batches = [
      txnData(1, ['x']),
      plainData(['p']),
      txnData(2, ['y']),
      txnMarker(1, 'abort'),
      txnData(1, ['z']),
      txnMarker(2, 'commit'),
      txnMarker(1, 'commit'),
    ]
    batches.forEach((batch, offset) => {
      setBaseOffset(batch, 0, offset)
    })
    const out: StoredRecord[] = []
    decodeCommittedRecords(batches, [{ producerId: 1, firstOffset: 0 }], 't', 0, 0, out)
    expect(out.map((r) => `${r.offset}:${r.value!.toString()}`)).toEqual(['1:p', '2:y', '4:z'])
  })
})
