import { crc32c } from '@node-rs/crc32'
import { describe, expect, it } from 'vitest'
import {
  ControlRecordType,
  controlBatchType,
  decodeControlRecordKey,
  decodeEndTxnMarkerValue,
  encodeControlRecordKey,
  encodeEndTxnMarkerBatch,
  encodeEndTxnMarkerValue,
  readEndTxnMarker,
} from '../../../../core/log/control-record.ts'
import {
  checkBatch,
  decodeBatchRecords,
  encodeRecordBatch,
  isControlBatch,
  isTransactionalBatch,
  readBatchHeader,
} from '../../../../core/log/record-batch.ts'
import type { StoredRecord } from '../../../../core/log/log.ts'
import { bytesOf } from '../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeBatch } from '../../../support/kafkajs-codec.ts'

const T0 = 1_700_000_000_000
const producer = { producerId: 4_000_000_001, producerEpoch: 7 }

describe('control records', () => {
  it('writes the key as version 0 and the type, and the marker value as version 0 and the coordinator epoch', () => {
    expect(encodeControlRecordKey(ControlRecordType.Abort)).toEqual(Buffer.concat([bytesOf.int16(0), bytesOf.int16(0)]))
    expect(encodeControlRecordKey(ControlRecordType.Commit)).toEqual(Buffer.concat([bytesOf.int16(0), bytesOf.int16(1)]))
    expect(encodeEndTxnMarkerValue(12)).toEqual(Buffer.concat([bytesOf.int16(0), bytesOf.int32(12)]))
    expect(decodeControlRecordKey(encodeControlRecordKey(ControlRecordType.Commit))).toBe(ControlRecordType.Commit)
    expect(decodeEndTxnMarkerValue(encodeEndTxnMarkerValue(2 ** 31 - 1))).toBe(2 ** 31 - 1)
  })

  it('reads a later version by its version-0 fields, and refuses a negative version or short bytes', () => {
    expect(decodeControlRecordKey(Buffer.concat([bytesOf.int16(1), bytesOf.int16(1), Buffer.from('later')]))).toBe(1)
    expect(decodeEndTxnMarkerValue(Buffer.concat([bytesOf.int16(3), bytesOf.int32(9), bytesOf.int32(0)]))).toBe(9)
    expect(() => decodeControlRecordKey(Buffer.concat([bytesOf.int16(-1), bytesOf.int16(1)]))).toThrow(/version -1/)
    expect(() => decodeControlRecordKey(bytesOf.int16(0))).toThrow(/2 bytes/)
    expect(() => decodeEndTxnMarkerValue(Buffer.concat([bytesOf.int16(0), bytesOf.int16(1)]))).toThrow(/4 bytes/)
  })

  it('builds a marker batch byte for byte as the format describes it', () => {
    const batch = encodeEndTxnMarkerBatch({ type: ControlRecordType.Commit, coordinatorEpoch: 3 }, 100, producer, T0)
    const record = Buffer.concat([
      Buffer.from([0, 0, 0]), // attributes, timestamp delta, offset delta
      Buffer.from([4 << 1]),
      bytesOf.int16(0),
      bytesOf.int16(1), // key: length 4 (zigzag), version 0, COMMIT
      Buffer.from([6 << 1]),
      bytesOf.int16(0),
      bytesOf.int32(3), // value: length 6, version 0, coordinator epoch
      Buffer.from([0]), // no headers
    ])
    const afterCrc = Buffer.concat([
      bytesOf.int16(0x30),
      bytesOf.int32(0),
      bytesOf.int64(T0),
      bytesOf.int64(T0),
      bytesOf.int64(producer.producerId),
      bytesOf.int16(7),
      bytesOf.int32(-1),
      bytesOf.int32(1),
      Buffer.from([record.length << 1]),
      record,
    ])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32c(afterCrc))
    const expected = Buffer.concat([
      bytesOf.int64(100),
      bytesOf.int32(4 + 1 + 4 + afterCrc.length),
      bytesOf.int32(-1),
      bytesOf.int8(2),
      crc,
      afterCrc,
    ])
    expect(batch.toString('hex')).toBe(expected.toString('hex'))
    expect(checkBatch(batch, 0)).toBeUndefined()
  })

  it('tells a marker batch from a data batch and reads its type and coordinator epoch', () => {
    for (const type of [ControlRecordType.Abort, ControlRecordType.Commit]) {
      const batch = encodeEndTxnMarkerBatch({ type, coordinatorEpoch: 5 }, 0, producer, T0)
      const header = readBatchHeader(batch)
      expect([isControlBatch(header.attributes), isTransactionalBatch(header.attributes)]).toEqual([true, true])
      expect([header.producerId, header.producerEpoch, header.baseSequence, header.recordCount, header.lastOffset]).toEqual([
        producer.producerId,
        7,
        -1,
        1,
        0,
      ])
      expect(controlBatchType(batch)).toBe(type)
      expect(readEndTxnMarker(batch)).toEqual({ type, coordinatorEpoch: 5 })
      // Readers of data never see the marker's record.
      const out: StoredRecord[] = []
      decodeBatchRecords(batch, 't', 0, 0, out)
      expect(out).toEqual([])
    }
    const data = encodeRecordBatch([{ key: Buffer.from('k'), value: Buffer.from('v'), timestamp: T0 }], 0)
    expect(controlBatchType(data)).toBeUndefined()
    expect(readEndTxnMarker(data)).toBeUndefined()
  })

  it('reads a marker batch that sits after other bytes', () => {
    const batch = encodeEndTxnMarkerBatch({ type: ControlRecordType.Abort, coordinatorEpoch: 0 }, 9, producer, T0)
    const joined = Buffer.concat([encodeRecordBatch([{ key: null, value: Buffer.from('v'), timestamp: T0 }], 8), batch])
    expect(readEndTxnMarker(joined, joined.length - batch.length)).toEqual({ type: ControlRecordType.Abort, coordinatorEpoch: 0 })
  })

  it('does not take a control batch of another type for a transaction marker', () => {
    const other = encodeRecordBatch(
      [{ key: encodeControlRecordKey(2), value: Buffer.from('leader change'), timestamp: T0 }],
      0,
      undefined,
      0,
      T0,
      0x20,
    )
    expect(controlBatchType(other)).toBe(2)
    expect(readEndTxnMarker(other)).toBeUndefined()
    expect(() => encodeEndTxnMarkerBatch({ type: 2, coordinatorEpoch: 0 }, 0, producer)).toThrow(/not a transaction marker/)
  })

  it('writes a batch kafkajs reads as a transactional control batch with our key and value', async () => {
    const batch = encodeEndTxnMarkerBatch({ type: ControlRecordType.Abort, coordinatorEpoch: 11 }, 42, producer, T0)
    const decoded = await kafkajsDecodeBatch(batch)
    expect(decoded).toMatchObject({
      firstOffset: '42',
      inTransaction: true,
      isControlBatch: true,
      producerId: String(producer.producerId),
      producerEpoch: 7,
      firstSequence: -1,
    })
    expect(decoded.records).toHaveLength(1)
    expect(decoded.records[0]).toMatchObject({
      offset: '42',
      key: encodeControlRecordKey(ControlRecordType.Abort),
      value: encodeEndTxnMarkerValue(11),
    })
  })
})
