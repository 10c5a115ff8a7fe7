/**
 * Raw batches of a transactional producer, as a client sends them: data batches with the
 * transactional bit and the producer's id and epoch, and the COMMIT or ABORT markers a transaction
 * coordinator writes. The log assigns the offsets; the base offset here is a placeholder. A value
 * `k=v` is value v under key k; otherwise the key is the value. Keys are padded to 200 bytes, so a
 * few batches fill the smallest segment.
 */
import { ControlRecordType, encodeEndTxnMarkerBatch } from '../../core/log/control-record.ts'
import { ATTR_TRANSACTIONAL, encodeRecordBatch } from '../../core/log/record-batch.ts'

export function txnData(producerId: number, values: readonly string[], producerEpoch = 0): Buffer {
  return encodeRecordBatch(records(values), 0, { producerId, producerEpoch, baseSequence: 0 }, values.length - 1, 1000, ATTR_TRANSACTIONAL)
}

export function plainData(values: readonly string[]): Buffer {
  return encodeRecordBatch(records(values), 0, undefined, values.length - 1, 1000)
}

function records(values: readonly string[]): Array<{ key: Buffer; value: Buffer }> {
  return values.map((text) => {
    const [key, value = key] = text.split('=') as [string, string?]
    return { key: Buffer.from(key.padEnd(200, '.')), value: Buffer.from(value) }
  })
}

export function txnMarker(producerId: number, kind: 'commit' | 'abort', producerEpoch = 0): Buffer {
  const type = kind === 'commit' ? ControlRecordType.Commit : ControlRecordType.Abort
  return encodeEndTxnMarkerBatch({ type, coordinatorEpoch: 0 }, 0, { producerId, producerEpoch }, 1000)
}
