import { describe, expect, it } from 'vitest'
import { OngoingTransactions, transactionEventOf } from '../../../../core/log/ongoing-transactions.ts'
import { plainData, txnData, txnMarker } from '../../../support/txn-batches.ts'

describe('OngoingTransactions', () => {
  it('reads what a batch means: plain, transactional data, COMMIT, ABORT', () => {
    expect(transactionEventOf(plainData(['a']))).toBeUndefined()
    expect(transactionEventOf(txnData(4, ['a']))).toEqual({ producerId: 4 })
    expect(transactionEventOf(txnMarker(4, 'commit'))).toEqual({ producerId: 4, marker: 'commit' })
    expect(transactionEventOf(txnMarker(4, 'abort'))).toEqual({ producerId: 4, marker: 'abort' })
  })

  it('opens at the first data batch, closes at the marker, and keeps a decided transaction unstable until readers see its marker', () => {
    const state = new OngoingTransactions()
    expect(state.apply({ producerId: 1 }, 10, 12)).toBeUndefined()
    state.apply({ producerId: 2 }, 13, 13)
    state.apply({ producerId: 1 }, 14, 15)
    expect([...state.openTransactions]).toEqual([
      [1, 10],
      [2, 13],
    ])
    expect(state.lastStableOffset(16)).toBe(10)
    // The ABORT's entry names the LSO right after it: producer 2's open transaction.
    expect(state.apply({ producerId: 1, marker: 'abort' }, 16, 16)).toEqual({
      producerId: 1,
      firstOffset: 10,
      lastOffset: 16,
      lastStableOffset: 13,
    })
    expect(state.lastStableOffset(16)).toBe(10)
    state.published(17)
    expect(state.lastStableOffset(17)).toBe(13)
    expect(state.apply({ producerId: 2, marker: 'commit' }, 17, 17)).toBeUndefined()
    state.published(18)
    expect(state.lastStableOffset(18)).toBe(18)
    expect(state.openTransactions.size).toBe(0)
  })

  it('ignores a marker for a producer with no open transaction', () => {
    const state = new OngoingTransactions()
    expect(state.apply({ producerId: 9, marker: 'abort' }, 0, 0)).toBeUndefined()
    expect(state.lastStableOffset(1)).toBe(1)
    expect(state.apply({ producerId: 9, marker: 'abort' }, 1, 1)).toBeUndefined()
  })

  it('stores its open transactions in a snapshot and refuses a damaged one', () => {
    const state = new OngoingTransactions()
    state.apply({ producerId: 2 ** 40 }, 7, 7)
    state.apply({ producerId: 3 }, 9, 9)
    const bytes = state.serialize()
    expect(bytes.length).toBe(6 + 2 * 16)
    expect([...OngoingTransactions.deserialize(bytes).openTransactions]).toEqual([
      [2 ** 40, 7],
      [3, 9],
    ])
    expect(() => OngoingTransactions.deserialize(bytes.subarray(0, bytes.length - 1))).toThrow(/malformed/)
  })
})
