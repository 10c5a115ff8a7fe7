import { describe, expect, it } from 'vitest'
import {
  hasPartition,
  transition,
  TxnState,
  withPartitions,
  type TransactionMetadata,
} from '../../../../../core/log/transactions/transaction-state.ts'

const empty: TransactionMetadata = {
  transactionalId: 't',
  producerId: 7,
  producerEpoch: 0,
  lastProducerEpoch: -1,
  timeoutMs: 1000,
  state: TxnState.Empty,
  partitions: [],
  txnStartTimestamp: -1,
  lastUpdateTimestamp: 0,
}

describe('the transaction state machine', () => {
  it('walks Empty → Ongoing → PrepareCommit → CompleteCommit → Ongoing → PrepareAbort → CompleteAbort → Empty', () => {
    const ongoing = transition(empty, TxnState.Ongoing, 10, { partitions: [{ topic: 'a', partition: 0 }], txnStartTimestamp: 10 })
    expect(ongoing).toMatchObject({ state: 'Ongoing', txnStartTimestamp: 10, lastUpdateTimestamp: 10 })
    const prepared = transition(ongoing, TxnState.PrepareCommit, 20)
    // A decision keeps the partitions its markers go to; completing clears them.
    expect(prepared.partitions).toEqual([{ topic: 'a', partition: 0 }])
    const committed = transition(prepared, TxnState.CompleteCommit, 30)
    expect(committed).toMatchObject({ state: 'CompleteCommit', partitions: [], txnStartTimestamp: -1 })
    const again = transition(committed, TxnState.Ongoing, 40, { partitions: [{ topic: 'b', partition: 1 }], txnStartTimestamp: 40 })
    const aborted = transition(transition(again, TxnState.PrepareAbort, 50), TxnState.CompleteAbort, 60)
    expect(transition(aborted, TxnState.Empty, 70, { producerEpoch: 1, lastProducerEpoch: 0 })).toMatchObject({
      state: 'Empty',
      producerEpoch: 1,
      lastProducerEpoch: 0,
    })
  })

  it("refuses moves Kafka's coordinator never makes", () => {
    const illegal: Array<[TransactionMetadata, (typeof TxnState)[keyof typeof TxnState]]> = [
      [empty, TxnState.PrepareCommit],
      [empty, TxnState.CompleteAbort],
      [transition(empty, TxnState.Ongoing, 1), TxnState.CompleteCommit],
      [transition(transition(empty, TxnState.Ongoing, 1), TxnState.PrepareCommit, 2), TxnState.PrepareAbort],
      [transition(transition(empty, TxnState.Ongoing, 1), TxnState.PrepareAbort, 2), TxnState.Ongoing],
    ]
    for (const [from, to] of illegal)
      expect(() => transition(from, to, 9), `${from.state} → ${to}`).toThrow(expect.objectContaining({ code: 'TRB_INTERNAL' }))
  })

  it('adds partitions once each, in order', () => {
    const merged = withPartitions(
      [{ topic: 'a', partition: 0 }],
      [
        { topic: 'b', partition: 0 },
        { topic: 'a', partition: 0 },
        { topic: 'a', partition: 1 },
      ],
    )
    expect(merged).toEqual([
      { topic: 'a', partition: 0 },
      { topic: 'b', partition: 0 },
      { topic: 'a', partition: 1 },
    ])
    expect(hasPartition({ ...empty, partitions: merged }, 'a', 1)).toBe(true)
    expect(hasPartition({ ...empty, partitions: merged }, 'b', 1)).toBe(false)
  })
})
