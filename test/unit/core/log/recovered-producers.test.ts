import { describe, expect, it } from 'vitest'
import { ControlRecordType, encodeEndTxnMarkerBatch } from '../../../../core/log/control-record.ts'
import { RecoveredProducers } from '../../../../core/log/recovered-producers.ts'
import { encodeRecordBatch } from '../../../../core/log/record-batch.ts'

function batch(baseOffset: number, producerId: number, producerEpoch: number, baseSequence: number, count = 1): Buffer {
  const records = Array.from({ length: count }, (_, i) => ({ key: null, value: Buffer.from(String(i)) }))
  return encodeRecordBatch(records, baseOffset, { producerId, producerEpoch, baseSequence }, count - 1, 1000)
}

describe('RecoveredProducers', () => {
  it("keeps each producer's last five batches under its newest epoch, with their sequences and offsets", () => {
    const producers = new RecoveredProducers()
    for (let i = 0; i < 7; i++) producers.observe(batch(i * 2, 3, 0, i * 2, 2))
    producers.observe(batch(20, 4, 1, 0))
    producers.observe(batch(21, 4, 2, 0, 3))
    producers.observe(batch(24, 4, 1, 1)) // an older epoch's straggler says nothing of the producer now
    expect(producers.take(3)).toEqual({
      epoch: 0,
      recent: [4, 6, 8, 10, 12].map((n) => ({ firstSequence: n, lastSequence: n + 1, baseOffset: n })),
    })
    expect(producers.take(4)).toEqual({ epoch: 2, recent: [{ firstSequence: 0, lastSequence: 2, baseOffset: 21 }] })
  })

  it('gives a producer out once, and skips markers and batches without a producer or sequence', () => {
    const producers = new RecoveredProducers()
    producers.observe(encodeRecordBatch([{ key: null, value: Buffer.from('plain') }], 0))
    producers.observe(batch(1, 5, 0, -1))
    producers.observe(
      encodeEndTxnMarkerBatch({ type: ControlRecordType.Commit, coordinatorEpoch: 0 }, 2, { producerId: 6, producerEpoch: 0 }, 1000),
    )
    expect(producers.take(5)).toBeUndefined()
    expect(producers.take(6)).toBeUndefined()
    producers.observe(batch(3, 7, 0, 0x7fffffff, 2)) // the sequence wraps past int32 max
    expect(producers.take(7)).toEqual({ epoch: 0, recent: [{ firstSequence: 0x7fffffff, lastSequence: 0, baseOffset: 3 }] })
    expect(producers.take(7)).toBeUndefined()
  })
})
